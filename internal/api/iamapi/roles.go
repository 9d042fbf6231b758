package iamapi

import (
	"context"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wireRole struct {
	Path                     string        `xml:"Path"`
	RoleName                 string        `xml:"RoleName"`
	RoleID                   string        `xml:"RoleId"`
	Arn                      string        `xml:"Arn"`
	CreateDate               string        `xml:"CreateDate"`
	AssumeRolePolicyDocument string        `xml:"AssumeRolePolicyDocument"`
	Description              string        `xml:"Description,omitempty"`
	MaxSessionDuration       int           `xml:"MaxSessionDuration"`
	Tags                     list[wireTag] `xml:"Tags,omitempty"`
}

func (a *API) roleToWire(r iam.Role) wireRole {
	return wireRole{
		Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(a.account), CreateDate: timestamp(r.CreateDate),
		AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy), Description: r.Description,
		MaxSessionDuration: r.MaxSessionDuration, Tags: tagsToWire(r.Tags),
	}
}

type createRoleInput struct {
	Path                     *string   `query:"Path"`
	RoleName                 *string   `query:"RoleName"`
	AssumeRolePolicyDocument *string   `query:"AssumeRolePolicyDocument"`
	Description              *string   `query:"Description"`
	MaxSessionDuration       *int32    `query:"MaxSessionDuration"`
	PermissionsBoundary      *string   `query:"PermissionsBoundary"`
	Tags                     []wireTag `query:"Tags"`
}

type roleOutput struct {
	Role wireRole `xml:"Role"`
}

func (a *API) createRole(ctx context.Context, in *createRoleInput) (*roleOutput, error) {
	name, err := required(in.RoleName, "roleName")
	if err != nil {
		return nil, err
	}
	doc, err := required(in.AssumeRolePolicyDocument, "assumeRolePolicyDocument")
	if err != nil {
		return nil, err
	}
	if in.PermissionsBoundary != nil {
		return nil, errdefs.Detail(iam.ErrInvalidInput, "Permissions boundaries are not supported by fargo.")
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := iam.NewID(iam.RoleIDPrefix, a.deps.Random)
	if err != nil {
		return nil, err
	}
	maxSession := 0
	if in.MaxSessionDuration != nil {
		maxSession = max(int(*in.MaxSessionDuration), 1) // an explicit 0 is out of range
	}
	r, err := iam.NewRole(iam.Role{
		Name: name, Path: awsproto.Deref(in.Path), ID: id, AssumeRolePolicy: doc,
		Description: awsproto.Deref(in.Description), MaxSessionDuration: maxSession, Tags: tags,
	}, a.now())
	if err != nil {
		return nil, err
	}
	if err := createNamed(ctx, a.deps.Store.IAMRoles, name, r, iam.RoleExists); err != nil {
		return nil, err
	}
	return &roleOutput{Role: a.roleToWire(r)}, nil
}

type roleNameInput struct {
	RoleName *string `query:"RoleName"`
}

func (a *API) getRole(ctx context.Context, in *roleNameInput) (*roleOutput, error) {
	it, err := roles.get(ctx, a.deps.Store, &entityInput{RoleName: in.RoleName})
	if err != nil {
		return nil, err
	}
	return &roleOutput{Role: a.roleToWire(it.Value)}, nil
}

type listRolesInput struct {
	PathPrefix *string `query:"PathPrefix"`
	Marker     *string `query:"Marker"`
	MaxItems   *int32  `query:"MaxItems"`
}

type listRolesOutput struct {
	Roles list[wireRole] `xml:"Roles"`
	truncation
}

func (a *API) listRoles(ctx context.Context, in *listRolesInput) (*listRolesOutput, error) {
	out, tr, err := listByPath(ctx, a.deps.Store.IAMRoles, func(r iam.Role) string { return r.Path }, in.PathPrefix, in.Marker, in.MaxItems,
		func(r iam.Role) wireRole {
			w := a.roleToWire(r)
			w.Tags = nil // ListRoles leaves tags out, as IAM does
			return w
		})
	if err != nil {
		return nil, err
	}
	return &listRolesOutput{Roles: out, truncation: tr}, nil
}

func (a *API) deleteRole(ctx context.Context, in *roleNameInput) (*emptyOutput, error) {
	_, err := store.Retry(func() (struct{}, error) {
		it, err := roles.get(ctx, a.deps.Store, &entityInput{RoleName: in.RoleName})
		if err != nil {
			return struct{}{}, err
		}
		if err := it.Value.Policies.CheckDeletable(); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, removeAt(ctx, a.deps.Store, a.deps.Store.IAMRoles, it)
	})
	return &emptyOutput{}, err
}

type updateAssumeRolePolicyInput struct {
	RoleName       *string `query:"RoleName"`
	PolicyDocument *string `query:"PolicyDocument"`
}

func (a *API) updateAssumeRolePolicy(ctx context.Context, in *updateAssumeRolePolicyInput) (*emptyOutput, error) {
	doc, err := required(in.PolicyDocument, "policyDocument")
	if err != nil {
		return nil, err
	}
	if err := iam.CheckTrustPolicy(doc); err != nil {
		return nil, err
	}
	err = roles.update(ctx, a.deps.Store, &entityInput{RoleName: in.RoleName}, func(r *iam.Role, _ string) error {
		r.AssumeRolePolicy = doc
		return nil
	})
	return &emptyOutput{}, err
}
