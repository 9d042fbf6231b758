package iamapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

// entity is what the policy operations of users, groups and roles need to know of each.
type entity[T any] struct {
	kind     string // user, group, role: in messages
	op       string // User, Group, Role: in operation names
	coll     func(*store.Store) store.Collection[T]
	notFound func(name string) error
	policies func(*T) *iam.Policies
	name     func(*entityInput) (*string, string) // the member naming the entity, and its name in messages
}

var (
	users = entity[iam.User]{
		kind: "user", op: "User", notFound: iam.UserNotFound,
		coll:     func(s *store.Store) store.Collection[iam.User] { return s.IAMUsers },
		policies: func(u *iam.User) *iam.Policies { return &u.Policies },
		name:     func(in *entityInput) (*string, string) { return in.UserName, "userName" },
	}
	groups = entity[iam.Group]{
		kind: "group", op: "Group", notFound: iam.GroupNotFound,
		coll:     func(s *store.Store) store.Collection[iam.Group] { return s.IAMGroups },
		policies: func(g *iam.Group) *iam.Policies { return &g.Policies },
		name:     func(in *entityInput) (*string, string) { return in.GroupName, "groupName" },
	}
	roles = entity[iam.Role]{
		kind: "role", op: "Role", notFound: iam.RoleNotFound,
		coll:     func(s *store.Store) store.Collection[iam.Role] { return s.IAMRoles },
		policies: func(r *iam.Role) *iam.Policies { return &r.Policies },
		name:     func(in *entityInput) (*string, string) { return in.RoleName, "roleName" },
	}
)

// entityInput holds the members of every policy operation of users, groups and roles; each
// operation reads those of its model.
type entityInput struct {
	UserName       *string `query:"UserName"`
	GroupName      *string `query:"GroupName"`
	RoleName       *string `query:"RoleName"`
	PolicyArn      *string `query:"PolicyArn"`
	PolicyName     *string `query:"PolicyName"`
	PolicyDocument *string `query:"PolicyDocument"`
	PathPrefix     *string `query:"PathPrefix"`
	Marker         *string `query:"Marker"`
	MaxItems       *int32  `query:"MaxItems"`
}

// entityOps returns the attached and inline policy operations of e's kind.
func entityOps[T any](a *API, e entity[T]) map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"Attach" + e.op + "Policy": awsproto.Query(func(ctx context.Context, in *entityInput) (*emptyOutput, error) { return attach(ctx, a, e, in) }),
		"Detach" + e.op + "Policy": awsproto.Query(func(ctx context.Context, in *entityInput) (*emptyOutput, error) { return detach(ctx, a, e, in) }),
		"ListAttached" + e.op + "Policies": awsproto.Query(func(ctx context.Context, in *entityInput) (*listAttachedOutput, error) {
			return listAttached(ctx, a, e, in)
		}),
		"Put" + e.op + "Policy": awsproto.Query(func(ctx context.Context, in *entityInput) (*emptyOutput, error) { return putInline(ctx, a, e, in) }),
		"Get" + e.op + "Policy": awsproto.Query(func(ctx context.Context, in *entityInput) (*inlinePolicyOutput, error) {
			return getInline(ctx, a, e, in)
		}),
		"List" + e.op + "Policies": awsproto.Query(func(ctx context.Context, in *entityInput) (*listInlineOutput, error) {
			return listInline(ctx, a, e, in)
		}),
		"Delete" + e.op + "Policy": awsproto.Query(func(ctx context.Context, in *entityInput) (*emptyOutput, error) { return deleteInline(ctx, a, e, in) }),
	}
}

// get reads the entity the request names.
func (e entity[T]) get(ctx context.Context, st *store.Store, in *entityInput) (store.Item[T], error) {
	p, field := e.name(in)
	name, err := required(p, field)
	if err != nil {
		return store.Item[T]{}, err
	}
	it, err := e.coll(st).Get(ctx, iam.Key(name))
	if errors.Is(err, errdefs.ErrNotFound) {
		return it, e.notFound(name)
	}
	return it, err
}

// update applies change to the entity the request names and writes it.
func (e entity[T]) update(ctx context.Context, st *store.Store, in *entityInput, change func(*T, string) error) error {
	p, field := e.name(in)
	if _, err := required(p, field); err != nil {
		return err
	}
	_, err := e.coll(st).Update(ctx, iam.Key(*p), func(v *T) error { return change(v, *p) })
	// The store's not-found is the entity's; change's own (a missing inline policy) is IAM's.
	if errors.Is(err, errdefs.ErrNotFound) && !errors.Is(err, iam.ErrNoSuchEntity) {
		return e.notFound(*p)
	}
	return err
}

func attach[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*emptyOutput, error) {
	return changeAttachment(ctx, a, e, in, 1, func(ps *iam.Policies, arn string) error { return ps.Attach(arn) })
}

func detach[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*emptyOutput, error) {
	return changeAttachment(ctx, a, e, in, -1, func(ps *iam.Policies, arn string) error { return ps.Detach(arn) })
}

// changeAttachment attaches or detaches (delta 1 or -1) a managed policy, and rewrites a
// customer managed policy's attachment count in the same transaction: DeletePolicy checks it.
func changeAttachment[T any](ctx context.Context, a *API, e entity[T], in *entityInput, delta int, change func(*iam.Policies, string) error) (*emptyOutput, error) {
	arn, err := required(in.PolicyArn, "policyArn")
	if err != nil {
		return nil, err
	}
	_, err = store.Retry(func() (struct{}, error) {
		it, err := e.get(ctx, a.deps.Store, in)
		if err != nil {
			return struct{}{}, err
		}
		pol, err := a.policy(ctx, arn)
		if err != nil && (delta > 0 || !errors.Is(err, iam.ErrNoSuchEntity)) {
			return struct{}{}, err
		}
		ps := e.policies(&it.Value)
		if delta > 0 && slices.Contains(ps.Attached, arn) {
			return struct{}{}, nil
		}
		if err := change(ps, arn); err != nil {
			return struct{}{}, err
		}
		var txn store.Txn
		if err := e.coll(a.deps.Store).Put(&txn, it.ID, it.Value, it.Revision); err != nil {
			return struct{}{}, err
		}
		if pol.ID != "" {
			pol.Value.AttachmentCount += delta
			if err := a.deps.Store.IAMPolicies.Put(&txn, pol.ID, pol.Value, pol.Revision); err != nil {
				return struct{}{}, err
			}
		}
		_, err = a.deps.Store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	return &emptyOutput{}, err
}

type wireAttachedPolicy struct {
	PolicyName string `xml:"PolicyName"`
	PolicyArn  string `xml:"PolicyArn"`
}

type listAttachedOutput struct {
	AttachedPolicies list[wireAttachedPolicy] `xml:"AttachedPolicies"`
	truncation
}

func listAttached[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*listAttachedOutput, error) {
	it, err := e.get(ctx, a.deps.Store, in)
	if err != nil {
		return nil, err
	}
	attached := attachedToWire(e.policies(&it.Value).Attached)
	attached = slices.DeleteFunc(attached, func(p wireAttachedPolicy) bool {
		ref, _ := iam.ParsePolicyARN(p.PolicyArn)
		return !pathPrefix(ref.Path, in.PathPrefix)
	})
	page, tr, err := markerPage(attached, func(p wireAttachedPolicy) string { return p.PolicyArn }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &listAttachedOutput{AttachedPolicies: page, truncation: tr}, nil
}

// attachedToWire names the attached policies arns, sorted by ARN.
func attachedToWire(arns []string) list[wireAttachedPolicy] {
	out := make(list[wireAttachedPolicy], 0, len(arns))
	for _, arn := range slices.Sorted(slices.Values(arns)) {
		ref, _ := iam.ParsePolicyARN(arn)
		out = append(out, wireAttachedPolicy{PolicyName: ref.Name, PolicyArn: arn})
	}
	return out
}

func putInline[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*emptyOutput, error) {
	name, err := required(in.PolicyName, "policyName")
	if err != nil {
		return nil, err
	}
	doc, err := required(in.PolicyDocument, "policyDocument")
	if err != nil {
		return nil, err
	}
	err = e.update(ctx, a.deps.Store, in, func(v *T, entityName string) error {
		return e.policies(v).Put(e.kind, entityName, name, doc)
	})
	return &emptyOutput{}, err
}

type inlinePolicyOutput struct {
	UserName       string `xml:"UserName,omitempty"`
	GroupName      string `xml:"GroupName,omitempty"`
	RoleName       string `xml:"RoleName,omitempty"`
	PolicyName     string `xml:"PolicyName"`
	PolicyDocument string `xml:"PolicyDocument"`
}

func getInline[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*inlinePolicyOutput, error) {
	name, err := required(in.PolicyName, "policyName")
	if err != nil {
		return nil, err
	}
	it, err := e.get(ctx, a.deps.Store, in)
	if err != nil {
		return nil, err
	}
	ip, err := e.policies(&it.Value).Get(e.kind, name)
	if err != nil {
		return nil, err
	}
	out := &inlinePolicyOutput{PolicyName: ip.Name, PolicyDocument: encodeDocument(ip.Document)}
	entityName, _ := e.name(in)
	switch e.kind {
	case "user":
		out.UserName = *entityName
	case "group":
		out.GroupName = *entityName
	default:
		out.RoleName = *entityName
	}
	return out, nil
}

type listInlineOutput struct {
	PolicyNames list[string] `xml:"PolicyNames"`
	truncation
}

func listInline[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*listInlineOutput, error) {
	it, err := e.get(ctx, a.deps.Store, in)
	if err != nil {
		return nil, err
	}
	page, tr, err := markerPage(e.policies(&it.Value).Names(), func(s string) string { return s }, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	return &listInlineOutput{PolicyNames: page, truncation: tr}, nil
}

func deleteInline[T any](ctx context.Context, a *API, e entity[T], in *entityInput) (*emptyOutput, error) {
	name, err := required(in.PolicyName, "policyName")
	if err != nil {
		return nil, err
	}
	err = e.update(ctx, a.deps.Store, in, func(v *T, _ string) error { return e.policies(v).Delete(e.kind, name) })
	return &emptyOutput{}, err
}
