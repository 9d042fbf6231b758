package iamapi

import (
	"context"
	"errors"
	"strings"

	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/iampolicy"
	"github.com/fargohq/fargo/internal/tagset"
)

// sourcePolicy is one policy of a simulation, named as the simulator's MatchedStatements name
// it: SourcePolicyId and SourcePolicyType.
type sourcePolicy struct {
	id     string
	typ    string // user, group, role (inline), aws-managed, user-managed; empty for PolicyInputList
	policy iampolicy.Policy
}

// simulated is a principal of SimulatePrincipalPolicy: who it is and its policies, in the
// order enforcement reads them (identity.Directory): the entity's own, then its groups'.
type simulated struct {
	principal authz.Principal
	policies  []sourcePolicy
}

// entityRef is what a user, group or role ARN names.
type entityRef struct {
	kind, path, name string
}

// parseEntityARN reads arn:aws:iam::<account>:<user|group|role><path><name> of this account.
func (a *API) parseEntityARN(arn string) (entityRef, error) {
	bad := errdefs.Detail(iam.ErrInvalidInput, "Invalid ARN %s: expected the ARN of a user, group or role of account %s.", arn, a.account)
	resource, ok := strings.CutPrefix(arn, "arn:aws:iam::"+a.account+":")
	if !ok {
		return entityRef{}, bad
	}
	kind, pathName, ok := strings.Cut(resource, "/")
	if !ok || pathName == "" || strings.HasSuffix(pathName, "/") || (kind != "user" && kind != "group" && kind != "role") {
		return entityRef{}, bad
	}
	i := strings.LastIndex(pathName, "/")
	return entityRef{kind: kind, path: "/" + pathName[:i+1], name: pathName[i+1:]}, nil
}

// simulatedPrincipal reads the user, group or role arn names, and its policies.
func (a *API) simulatedPrincipal(ctx context.Context, arn string) (simulated, error) {
	ref, err := a.parseEntityARN(arn)
	if err != nil {
		return simulated{}, err
	}
	var s simulated
	switch ref.kind {
	case "user":
		err = a.simulatedUser(ctx, ref, &s)
	case "group":
		err = a.simulatedGroup(ctx, ref, &s)
	default:
		err = a.simulatedRole(ctx, ref, &s)
	}
	return s, err
}

func (a *API) simulatedUser(ctx context.Context, ref entityRef, s *simulated) error {
	it, err := a.deps.Store.IAMUsers.Get(ctx, iam.Key(ref.name))
	if err := found(err, it.Value.Path == ref.path, iam.UserNotFound(ref.name)); err != nil {
		return err
	}
	u := it.Value
	s.principal = authz.Principal{ARN: u.ARN(a.account), Account: a.account, Username: u.Name, UserID: u.ID, Tags: tagset.Map(u.Tags)}
	if err := a.appendSources(ctx, s, "user", u.Policies); err != nil {
		return err
	}
	for _, g := range u.Groups {
		git, err := a.deps.Store.IAMGroups.Get(ctx, g)
		if errors.Is(err, errdefs.ErrNotFound) {
			continue // removed since; enforcement skips it too
		}
		if err != nil {
			return err
		}
		if err := a.appendSources(ctx, s, "group", git.Value.Policies); err != nil {
			return err
		}
	}
	return nil
}

func (a *API) simulatedGroup(ctx context.Context, ref entityRef, s *simulated) error {
	it, err := a.deps.Store.IAMGroups.Get(ctx, iam.Key(ref.name))
	if err := found(err, it.Value.Path == ref.path, iam.GroupNotFound(ref.name)); err != nil {
		return err
	}
	s.principal = authz.Principal{ARN: it.Value.ARN(a.account), Account: a.account}
	return a.appendSources(ctx, s, "group", it.Value.Policies)
}

func (a *API) simulatedRole(ctx context.Context, ref entityRef, s *simulated) error {
	it, err := a.deps.Store.IAMRoles.Get(ctx, iam.Key(ref.name))
	if err := found(err, it.Value.Path == ref.path, iam.RoleNotFound(ref.name)); err != nil {
		return err
	}
	r := it.Value
	s.principal = authz.Principal{ARN: r.ARN(a.account), Account: a.account, UserID: r.ID, Tags: tagset.Map(r.Tags)}
	return a.appendSources(ctx, s, "role", r.Policies)
}

// found turns a store read into the entity's NoSuchEntity when it found nothing, or found an
// entity of that name under another path than the ARN's.
func found(err error, samePath bool, notFound error) error {
	if errors.Is(err, errdefs.ErrNotFound) || err == nil && !samePath {
		return notFound
	}
	return err
}

// appendSources adds the default version of each attached managed policy and each inline
// policy of an entity of kind (user, group, role).
func (a *API) appendSources(ctx context.Context, s *simulated, kind string, ps iam.Policies) error {
	for _, arn := range ps.Attached {
		it, err := a.policy(ctx, arn)
		if errors.Is(err, iam.ErrNoSuchEntity) {
			continue // deleted since it was attached; enforcement skips it too
		}
		if err != nil {
			return err
		}
		typ := "user-managed"
		if it.Value.IsAWS() {
			typ = "aws-managed"
		}
		if err := s.add(it.Value.Name, typ, it.Value.Default().Document); err != nil {
			return err
		}
	}
	for _, ip := range ps.Inline {
		if err := s.add(ip.Name, kind, ip.Document); err != nil {
			return err
		}
	}
	return nil
}

func (s *simulated) add(id, typ, doc string) error {
	p, err := iampolicy.Parse([]byte(doc))
	if err != nil {
		return errors.New("stored policy " + id + " no longer parses: " + err.Error())
	}
	s.policies = append(s.policies, sourcePolicy{id: id, typ: typ, policy: p})
	return nil
}
