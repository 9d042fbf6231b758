package iamapi

import (
	"context"
	"slices"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wireInlinePolicy struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func inlineToWire(ps []iam.InlinePolicy) list[wireInlinePolicy] {
	out := make(list[wireInlinePolicy], 0, len(ps))
	for _, p := range ps {
		out = append(out, wireInlinePolicy{PolicyName: p.Name, PolicyDocument: encodeDocument(p.Document)})
	}
	return out
}

type wireUserDetail struct {
	Path                    string                   `xml:"Path"`
	UserName                string                   `xml:"UserName"`
	UserID                  string                   `xml:"UserId"`
	Arn                     string                   `xml:"Arn"`
	CreateDate              string                   `xml:"CreateDate"`
	UserPolicyList          list[wireInlinePolicy]   `xml:"UserPolicyList"`
	GroupList               list[string]             `xml:"GroupList"`
	AttachedManagedPolicies list[wireAttachedPolicy] `xml:"AttachedManagedPolicies"`
	Tags                    list[wireTag]            `xml:"Tags"`
}

type wireGroupDetail struct {
	Path                    string                   `xml:"Path"`
	GroupName               string                   `xml:"GroupName"`
	GroupID                 string                   `xml:"GroupId"`
	Arn                     string                   `xml:"Arn"`
	CreateDate              string                   `xml:"CreateDate"`
	GroupPolicyList         list[wireInlinePolicy]   `xml:"GroupPolicyList"`
	AttachedManagedPolicies list[wireAttachedPolicy] `xml:"AttachedManagedPolicies"`
}

type wireRoleDetail struct {
	Path                     string                   `xml:"Path"`
	RoleName                 string                   `xml:"RoleName"`
	RoleID                   string                   `xml:"RoleId"`
	Arn                      string                   `xml:"Arn"`
	CreateDate               string                   `xml:"CreateDate"`
	AssumeRolePolicyDocument string                   `xml:"AssumeRolePolicyDocument"`
	InstanceProfileList      list[string]             `xml:"InstanceProfileList"`
	RolePolicyList           list[wireInlinePolicy]   `xml:"RolePolicyList"`
	AttachedManagedPolicies  list[wireAttachedPolicy] `xml:"AttachedManagedPolicies"`
	Tags                     list[wireTag]            `xml:"Tags"`
}

type wirePolicyDetail struct {
	wirePolicy
	PolicyVersionList list[wirePolicyVersion] `xml:"PolicyVersionList"`
}

type accountDetailsInput struct {
	Filter   []string `query:"Filter"`
	MaxItems *int32   `query:"MaxItems"`
	Marker   *string  `query:"Marker"`
}

type accountDetailsOutput struct {
	UserDetailList  list[wireUserDetail]   `xml:"UserDetailList"`
	GroupDetailList list[wireGroupDetail]  `xml:"GroupDetailList"`
	RoleDetailList  list[wireRoleDetail]   `xml:"RoleDetailList"`
	Policies        list[wirePolicyDetail] `xml:"Policies"`
	truncation
}

// detail is one entry of GetAccountAuthorizationDetails: the pages run over users, then
// groups, roles and policies, each in key order.
type detail struct {
	key string
	add func(*accountDetailsOutput)
}

var entityFilters = []string{"User", "Group", "Role", "LocalManagedPolicy", "AWSManagedPolicy"}

func (a *API) getAccountAuthorizationDetails(ctx context.Context, in *accountDetailsInput) (*accountDetailsOutput, error) {
	want := map[string]bool{}
	for _, f := range in.Filter {
		if !slices.Contains(entityFilters, f) {
			return nil, errdefs.InvalidArgument("1 validation error detected: Value '[%s]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]", f)
		}
		want[f] = true
	}
	all := len(want) == 0
	var details []detail
	for i, add := range []func(context.Context, []detail) ([]detail, error){a.userDetails, a.groupDetails, a.roleDetails, a.policyDetails(all || want["LocalManagedPolicy"], all || want["AWSManagedPolicy"])} {
		if i < 3 && !all && !want[entityFilters[i]] {
			continue
		}
		var err error
		if details, err = add(ctx, details); err != nil {
			return nil, err
		}
	}
	page, tr, err := markerPage(details, func(d detail) string { return d.key }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &accountDetailsOutput{UserDetailList: list[wireUserDetail]{}, GroupDetailList: list[wireGroupDetail]{}, RoleDetailList: list[wireRoleDetail]{}, Policies: list[wirePolicyDetail]{}, truncation: tr}
	for _, d := range page {
		d.add(out)
	}
	return out, nil
}

// entityDetails adds one detail for each item of coll, keyed "<section>/<id>": toWire makes
// its wire shape, which add appends to its list of the output.
func entityDetails[T, W any](ctx context.Context, coll store.Collection[T], details []detail, section string,
	toWire func(T) W, add func(*accountDetailsOutput, W)) ([]detail, error) {
	items, _, err := coll.List(ctx, "")
	for _, it := range items {
		w := toWire(it.Value)
		details = append(details, detail{section + "/" + it.ID, func(o *accountDetailsOutput) { add(o, w) }})
	}
	return details, err
}

func (a *API) userDetails(ctx context.Context, details []detail) ([]detail, error) {
	return entityDetails(ctx, a.deps.Store.IAMUsers, details, "1", func(u iam.User) wireUserDetail {
		w := wireUserDetail{
			Path: u.Path, UserName: u.Name, UserID: u.ID, Arn: u.ARN(a.account), CreateDate: timestamp(u.CreateDate),
			UserPolicyList: inlineToWire(u.Policies.Inline), GroupList: list[string]{}, AttachedManagedPolicies: attachedToWire(u.Policies.Attached), Tags: tagsToWire(u.Tags),
		}
		for _, g := range u.Groups {
			if gi, err := a.deps.Store.IAMGroups.Get(ctx, g); err == nil {
				w.GroupList = append(w.GroupList, gi.Value.Name)
			}
		}
		return w
	}, func(o *accountDetailsOutput, w wireUserDetail) { o.UserDetailList = append(o.UserDetailList, w) })
}

func (a *API) groupDetails(ctx context.Context, details []detail) ([]detail, error) {
	return entityDetails(ctx, a.deps.Store.IAMGroups, details, "2", func(g iam.Group) wireGroupDetail {
		return wireGroupDetail{
			Path: g.Path, GroupName: g.Name, GroupID: g.ID, Arn: g.ARN(a.account), CreateDate: timestamp(g.CreateDate),
			GroupPolicyList: inlineToWire(g.Policies.Inline), AttachedManagedPolicies: attachedToWire(g.Policies.Attached),
		}
	}, func(o *accountDetailsOutput, w wireGroupDetail) { o.GroupDetailList = append(o.GroupDetailList, w) })
}

func (a *API) roleDetails(ctx context.Context, details []detail) ([]detail, error) {
	return entityDetails(ctx, a.deps.Store.IAMRoles, details, "3", func(r iam.Role) wireRoleDetail {
		return wireRoleDetail{
			Path: r.Path, RoleName: r.Name, RoleID: r.ID, Arn: r.ARN(a.account), CreateDate: timestamp(r.CreateDate),
			AssumeRolePolicyDocument: encodeDocument(r.AssumeRolePolicy), InstanceProfileList: list[string]{},
			RolePolicyList: inlineToWire(r.Policies.Inline), AttachedManagedPolicies: attachedToWire(r.Policies.Attached), Tags: tagsToWire(r.Tags),
		}
	}, func(o *accountDetailsOutput, w wireRoleDetail) { o.RoleDetailList = append(o.RoleDetailList, w) })
}

// policyDetails adds the customer managed policies (local) and the AWS managed ones that are
// attached to something (aws), as IAM lists them.
func (a *API) policyDetails(local, aws bool) func(context.Context, []detail) ([]detail, error) {
	return func(ctx context.Context, details []detail) ([]detail, error) {
		all, err := a.allPolicies(ctx, "")
		for _, p := range all {
			if p.IsAWS() && (!aws || p.AttachmentCount == 0) || !p.IsAWS() && !local {
				continue
			}
			w := wirePolicyDetail{wirePolicy: policyToWire(p), PolicyVersionList: list[wirePolicyVersion]{}}
			w.Tags = nil
			for _, v := range p.Versions {
				w.PolicyVersionList = append(w.PolicyVersionList, versionToWire(p, v, true))
			}
			details = append(details, detail{"4/" + p.ARN(), func(o *accountDetailsOutput) { o.Policies = append(o.Policies, w) }})
		}
		return details, err
	}
}
