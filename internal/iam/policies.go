package iam

import (
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// InlinePolicy is a policy embedded in one user, group or role.
type InlinePolicy struct {
	Name     string
	Document string
}

// Policies are the permissions policies of a user, group or role: managed policies attached
// by ARN, in the order attached, and inline policies, sorted by name.
type Policies struct {
	Attached []string
	Inline   []InlinePolicy
}

// Empty reports whether no policy is attached or embedded.
func (p Policies) Empty() bool { return len(p.Attached) == 0 && len(p.Inline) == 0 }

// Attach adds the managed policy arn; attaching it again changes nothing.
func (p *Policies) Attach(arn string) error {
	if slices.Contains(p.Attached, arn) {
		return nil
	}
	if len(p.Attached) >= MaxAttachedPolicies {
		return errdefs.Detail(ErrLimitExceeded, "Cannot exceed quota for PoliciesPerEntity: %d", MaxAttachedPolicies)
	}
	p.Attached = append(p.Attached, arn)
	return nil
}

// Detach removes the managed policy arn, which must be attached.
func (p *Policies) Detach(arn string) error {
	i := slices.Index(p.Attached, arn)
	if i < 0 {
		return errdefs.Detail(ErrNoSuchEntity, "Policy %s was not found.", arn)
	}
	p.Attached = slices.Delete(p.Attached, i, i+1)
	return nil
}

// Put adds or replaces the inline policy name of an entity of kind ("user", "group", "role")
// named entity, within the entity's size quota for all of its inline policies.
func (p *Policies) Put(kind, entity, name, doc string) error {
	if err := CheckName("policyName", name, MaxPolicyNameLen); err != nil {
		return err
	}
	if err := CheckDocument(doc); err != nil {
		return err
	}
	next := slices.DeleteFunc(slices.Clone(p.Inline), func(ip InlinePolicy) bool { return ip.Name == name })
	next = append(next, InlinePolicy{Name: name, Document: doc})
	slices.SortFunc(next, func(a, b InlinePolicy) int { return strings.Compare(a.Name, b.Name) })
	total, limit := 0, inlineQuota[kind]
	for _, ip := range next {
		total += size(ip.Document)
	}
	if total > limit {
		return errdefs.Detail(ErrLimitExceeded, "Maximum policy size of %d bytes exceeded for %s %s", limit, kind, entity)
	}
	p.Inline = next
	return nil
}

var inlineQuota = map[string]int{"user": MaxUserInlineSize, "group": MaxGroupInlineSize, "role": MaxRoleInlineSize}

// Get returns the inline policy name of an entity of kind.
func (p Policies) Get(kind, name string) (InlinePolicy, error) {
	i := slices.IndexFunc(p.Inline, func(ip InlinePolicy) bool { return ip.Name == name })
	if i < 0 {
		return InlinePolicy{}, errdefs.Detail(ErrNoSuchEntity, "The %s policy with name %s cannot be found.", kind, name)
	}
	return p.Inline[i], nil
}

// Delete removes the inline policy name of an entity of kind.
func (p *Policies) Delete(kind, name string) error {
	if _, err := p.Get(kind, name); err != nil {
		return err
	}
	p.Inline = slices.DeleteFunc(p.Inline, func(ip InlinePolicy) bool { return ip.Name == name })
	return nil
}

// Names returns the names of the inline policies, sorted.
func (p Policies) Names() []string {
	out := make([]string, len(p.Inline))
	for i, ip := range p.Inline {
		out[i] = ip.Name
	}
	return out
}

// CheckDeletable refuses to delete an entity that still has policies, with IAM's messages.
func (p Policies) CheckDeletable() error {
	if len(p.Attached) > 0 {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete entity, must detach all policies first.")
	}
	if len(p.Inline) > 0 {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete entity, must delete policies first.")
	}
	return nil
}
