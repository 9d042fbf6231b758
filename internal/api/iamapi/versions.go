package iamapi

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wirePolicyVersion struct {
	Document         *string `xml:"Document,omitempty"`
	VersionID        string  `xml:"VersionId"`
	IsDefaultVersion bool    `xml:"IsDefaultVersion"`
	CreateDate       string  `xml:"CreateDate"`
}

func versionToWire(p iam.ManagedPolicy, v iam.PolicyVersion, withDocument bool) wirePolicyVersion {
	w := wirePolicyVersion{VersionID: v.ID, IsDefaultVersion: v.ID == p.DefaultVersion, CreateDate: timestamp(v.CreateDate)}
	if withDocument {
		w.Document = ptr(encodeDocument(v.Document))
	}
	return w
}

type createPolicyVersionInput struct {
	PolicyArn      *string `query:"PolicyArn"`
	PolicyDocument *string `query:"PolicyDocument"`
	SetAsDefault   *bool   `query:"SetAsDefault"`
}

type policyVersionOutput struct {
	PolicyVersion wirePolicyVersion `xml:"PolicyVersion"`
}

func (a *API) createPolicyVersion(ctx context.Context, in *createPolicyVersionInput) (*policyVersionOutput, error) {
	arn, err := required(in.PolicyArn, "policyArn")
	if err != nil {
		return nil, err
	}
	doc, err := required(in.PolicyDocument, "policyDocument")
	if err != nil {
		return nil, err
	}
	var v iam.PolicyVersion
	p, err := a.changePolicy(ctx, arn, func(p *iam.ManagedPolicy) (err error) {
		v, err = p.AddVersion(doc, awsproto.Deref(in.SetAsDefault), a.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return &policyVersionOutput{PolicyVersion: versionToWire(p, v, false)}, nil
}

// changePolicy applies change to the customer managed policy arn and writes it.
func (a *API) changePolicy(ctx context.Context, arn string, change func(*iam.ManagedPolicy) error) (iam.ManagedPolicy, error) {
	return store.Retry(func() (iam.ManagedPolicy, error) {
		it, err := a.customerPolicy(ctx, arn)
		if err != nil {
			return iam.ManagedPolicy{}, err
		}
		if err := change(&it.Value); err != nil {
			return iam.ManagedPolicy{}, err
		}
		var txn store.Txn
		if err := a.deps.Store.IAMPolicies.Put(&txn, it.ID, it.Value, it.Revision); err != nil {
			return iam.ManagedPolicy{}, err
		}
		_, err = a.deps.Store.Commit(ctx, &txn)
		return it.Value, err
	})
}

type policyVersionInput struct {
	PolicyArn *string `query:"PolicyArn"`
	VersionID *string `query:"VersionId"`
}

func (in *policyVersionInput) members() (arn, version string, err error) {
	if arn, err = required(in.PolicyArn, "policyArn"); err != nil {
		return "", "", err
	}
	version, err = required(in.VersionID, "versionId")
	return arn, version, err
}

func (a *API) getPolicyVersion(ctx context.Context, in *policyVersionInput) (*policyVersionOutput, error) {
	arn, id, err := in.members()
	if err != nil {
		return nil, err
	}
	it, err := a.policy(ctx, arn)
	if err != nil {
		return nil, err
	}
	v, err := it.Value.Version(id)
	if err != nil {
		return nil, err
	}
	return &policyVersionOutput{PolicyVersion: versionToWire(it.Value, v, true)}, nil
}

type listPolicyVersionsInput struct {
	PolicyArn *string `query:"PolicyArn"`
	Marker    *string `query:"Marker"`
	MaxItems  *int32  `query:"MaxItems"`
}

type listPolicyVersionsOutput struct {
	Versions list[wirePolicyVersion] `xml:"Versions"`
	truncation
}

func (a *API) listPolicyVersions(ctx context.Context, in *listPolicyVersionsInput) (*listPolicyVersionsOutput, error) {
	arn, err := required(in.PolicyArn, "policyArn")
	if err != nil {
		return nil, err
	}
	it, err := a.policy(ctx, arn)
	if err != nil {
		return nil, err
	}
	page, tr, err := markerPage(it.Value.Versions, versionKey, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &listPolicyVersionsOutput{Versions: list[wirePolicyVersion]{}, truncation: tr}
	for _, v := range page {
		out.Versions = append(out.Versions, versionToWire(it.Value, v, false))
	}
	return out, nil
}

// versionKey sorts versions by number: v10 after v9.
func versionKey(v iam.PolicyVersion) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(v.ID, "v"))
	return fmt.Sprintf("%010d", n)
}

func (a *API) setDefaultPolicyVersion(ctx context.Context, in *policyVersionInput) (*emptyOutput, error) {
	arn, id, err := in.members()
	if err != nil {
		return nil, err
	}
	_, err = a.changePolicy(ctx, arn, func(p *iam.ManagedPolicy) error { return p.SetDefault(id, a.now()) })
	return &emptyOutput{}, err
}

func (a *API) deletePolicyVersion(ctx context.Context, in *policyVersionInput) (*emptyOutput, error) {
	arn, id, err := in.members()
	if err != nil {
		return nil, err
	}
	_, err = a.changePolicy(ctx, arn, func(p *iam.ManagedPolicy) error { return p.DeleteVersion(id) })
	return &emptyOutput{}, err
}
