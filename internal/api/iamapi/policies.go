package iamapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

type wirePolicy struct {
	PolicyName                    string        `xml:"PolicyName"`
	PolicyID                      string        `xml:"PolicyId"`
	Arn                           string        `xml:"Arn"`
	Path                          string        `xml:"Path"`
	DefaultVersionID              string        `xml:"DefaultVersionId"`
	AttachmentCount               int           `xml:"AttachmentCount"`
	PermissionsBoundaryUsageCount int           `xml:"PermissionsBoundaryUsageCount"`
	IsAttachable                  bool          `xml:"IsAttachable"`
	Description                   string        `xml:"Description,omitempty"`
	CreateDate                    string        `xml:"CreateDate"`
	UpdateDate                    string        `xml:"UpdateDate"`
	Tags                          list[wireTag] `xml:"Tags,omitempty"`
}

func policyToWire(p iam.ManagedPolicy) wirePolicy {
	return wirePolicy{
		PolicyName: p.Name, PolicyID: p.ID, Arn: p.ARN(), Path: p.Path, DefaultVersionID: p.DefaultVersion,
		AttachmentCount: p.AttachmentCount, IsAttachable: true, Description: p.Description,
		CreateDate: timestamp(p.CreateDate), UpdateDate: timestamp(p.UpdateDate), Tags: tagsToWire(p.Tags),
	}
}

type createPolicyInput struct {
	PolicyName     *string   `query:"PolicyName"`
	Path           *string   `query:"Path"`
	PolicyDocument *string   `query:"PolicyDocument"`
	Description    *string   `query:"Description"`
	Tags           []wireTag `query:"Tags"`
}

type policyOutput struct {
	Policy wirePolicy `xml:"Policy"`
}

func (a *API) createPolicy(ctx context.Context, in *createPolicyInput) (*policyOutput, error) {
	name, err := required(in.PolicyName, "policyName")
	if err != nil {
		return nil, err
	}
	doc, err := required(in.PolicyDocument, "policyDocument")
	if err != nil {
		return nil, err
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	id, err := iam.NewID(iam.PolicyIDPrefix, a.deps.Random)
	if err != nil {
		return nil, err
	}
	p, err := iam.NewManagedPolicy(iam.ManagedPolicy{
		Account: a.account, Name: name, Path: awsproto.Deref(in.Path), ID: id, Description: awsproto.Deref(in.Description), Tags: tags,
	}, doc, a.now())
	if err != nil {
		return nil, err
	}
	if err := createNamed(ctx, a.deps.Store.IAMPolicies, name, p, iam.PolicyExists); err != nil {
		return nil, err
	}
	return &policyOutput{Policy: policyToWire(p)}, nil
}

// policy reads the managed policy arn names: an AWS managed one (with no store ID) or a
// customer managed one of the account.
func (a *API) policy(ctx context.Context, arn string) (store.Item[iam.ManagedPolicy], error) {
	ref, err := iam.ParsePolicyARN(arn)
	if err != nil {
		return store.Item[iam.ManagedPolicy]{}, err
	}
	if ref.Account == iam.AWSAccount {
		p, ok := iam.AWSPolicy(ref)
		if !ok {
			return store.Item[iam.ManagedPolicy]{}, iam.PolicyNotFound(arn)
		}
		return store.Item[iam.ManagedPolicy]{Value: p}, nil
	}
	it, err := a.deps.Store.IAMPolicies.Get(ctx, iam.Key(ref.Name))
	switch {
	case errors.Is(err, errdefs.ErrNotFound) || err == nil && it.Value.ARN() != arn || ref.Account != a.account:
		return it, iam.PolicyNotFound(arn)
	case err != nil:
		return it, err
	}
	return it, nil
}

// customerPolicy reads a policy that the request may change: AWS managed ones are read-only.
func (a *API) customerPolicy(ctx context.Context, arn string) (store.Item[iam.ManagedPolicy], error) {
	it, err := a.policy(ctx, arn)
	if err == nil && it.Value.IsAWS() {
		return it, errdefs.Detail(iam.ErrInvalidInput, "The AWS managed policy %s cannot be changed or deleted.", arn)
	}
	return it, err
}

type policyARNInput struct {
	PolicyArn *string `query:"PolicyArn"`
}

func (a *API) getPolicy(ctx context.Context, in *policyARNInput) (*policyOutput, error) {
	arn, err := required(in.PolicyArn, "policyArn")
	if err != nil {
		return nil, err
	}
	it, err := a.policy(ctx, arn)
	if err != nil {
		return nil, err
	}
	if it.Value.IsAWS() {
		counts, err := a.awsAttachments(ctx)
		if err != nil {
			return nil, err
		}
		it.Value.AttachmentCount = counts[arn]
	}
	return &policyOutput{Policy: policyToWire(it.Value)}, nil
}

// awsAttachments counts the attachments of each AWS managed policy, which has no record in
// the store to count them in.
func (a *API) awsAttachments(ctx context.Context) (map[string]int, error) {
	counts := map[string]int{}
	add := func(ps iam.Policies) {
		for _, arn := range ps.Attached {
			if strings.HasPrefix(arn, "arn:aws:iam::aws:") {
				counts[arn]++
			}
		}
	}
	users, _, err := a.deps.Store.IAMUsers.List(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		add(u.Value.Policies)
	}
	groups, _, err := a.deps.Store.IAMGroups.List(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		add(g.Value.Policies)
	}
	roles, _, err := a.deps.Store.IAMRoles.List(ctx, "")
	if err != nil {
		return nil, err
	}
	for _, r := range roles {
		add(r.Value.Policies)
	}
	return counts, nil
}

type listPoliciesInput struct {
	Scope             *string `query:"Scope"`
	OnlyAttached      *bool   `query:"OnlyAttached"`
	PathPrefix        *string `query:"PathPrefix"`
	PolicyUsageFilter *string `query:"PolicyUsageFilter"`
	Marker            *string `query:"Marker"`
	MaxItems          *int32  `query:"MaxItems"`
}

type listPoliciesOutput struct {
	Policies list[wirePolicy] `xml:"Policies"`
	truncation
}

func (a *API) listPolicies(ctx context.Context, in *listPoliciesInput) (*listPoliciesOutput, error) {
	scope := awsproto.Deref(in.Scope)
	if scope != "" && scope != "All" && scope != "AWS" && scope != "Local" {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]", scope)
	}
	all, err := a.allPolicies(ctx, scope)
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(p iam.ManagedPolicy) bool {
		return !pathPrefix(p.Path, in.PathPrefix) || awsproto.Deref(in.OnlyAttached) && p.AttachmentCount == 0
	})
	page, tr, err := markerPage(all, func(p iam.ManagedPolicy) string { return p.ARN() }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &listPoliciesOutput{Policies: list[wirePolicy]{}, truncation: tr}
	for _, p := range page {
		w := policyToWire(p)
		w.Description, w.Tags = "", nil // ListPolicies leaves them out, as IAM does
		out.Policies = append(out.Policies, w)
	}
	return out, nil
}

// allPolicies returns the managed policies of scope (All, AWS or Local; "" for All) with their
// attachment counts, sorted by ARN.
func (a *API) allPolicies(ctx context.Context, scope string) ([]iam.ManagedPolicy, error) {
	var out []iam.ManagedPolicy
	if scope != "Local" {
		counts, err := a.awsAttachments(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range iam.AWSPolicies() {
			p.AttachmentCount = counts[p.ARN()]
			out = append(out, p)
		}
	}
	if scope != "AWS" {
		items, _, err := a.deps.Store.IAMPolicies.List(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, it.Value)
		}
	}
	slices.SortFunc(out, func(x, y iam.ManagedPolicy) int { return strings.Compare(x.ARN(), y.ARN()) })
	return out, nil
}

func (a *API) deletePolicy(ctx context.Context, in *policyARNInput) (*emptyOutput, error) {
	arn, err := required(in.PolicyArn, "policyArn")
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		it, err := a.customerPolicy(ctx, arn)
		if err != nil {
			return struct{}{}, err
		}
		if err := it.Value.CheckDeletable(); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, removeAt(ctx, a.deps.Store, a.deps.Store.IAMPolicies, it)
	})
	return &emptyOutput{}, err
}
