package iampolicy

import (
	"slices"
	"strings"
)

// StatementRef names one statement of the policies given to Evaluate or Explain: the index of
// its policy and of the statement in that policy.
type StatementRef struct {
	Policy    int
	Statement int
}

// Explanation is an evaluation with its reasons, as IAM's policy simulator reports them.
type Explanation struct {
	// Result is what Evaluate decides for the same request and policies.
	Result Result
	// Matched are the statements that decided, in order: every matching Deny statement of an
	// explicit deny, every matching Allow statement of an allow, none of an implicit deny.
	Matched []StatementRef
	// MissingKeys are the condition keys, as the policies write them, of statements whose
	// action and resource match the request but whose key the request does not set.
	MissingKeys []string
}

// Explain decides r as Evaluate does and says why. It visits every statement, so it is for
// explanations (the simulator, fargo iam explain), not for deciding calls: Evaluate stops at
// the first deny and does not look further once it found an allow.
func Explain(r *Request, policies ...Policy) Explanation {
	var e Explanation
	var allows, denies []StatementRef
	for pi := range policies {
		statements := policies[pi].Statements
		for si := range statements {
			s := &statements[si]
			if !s.matchesTarget(r) {
				continue
			}
			e.MissingKeys = s.appendMissingKeys(e.MissingKeys, r)
			if !s.matches(r) {
				continue
			}
			ref := StatementRef{Policy: pi, Statement: si}
			if s.Effect == EffectDeny {
				denies = append(denies, ref)
			} else {
				allows = append(allows, ref)
			}
		}
	}
	switch {
	case len(denies) > 0:
		e.Result = Result{Decision: ExplicitDeny, Policy: denies[0].Policy, Statement: denies[0].Statement}
		e.Matched = denies
	case len(allows) > 0:
		e.Result = Result{Decision: Allow, Policy: allows[0].Policy, Statement: allows[0].Statement}
		e.Matched = allows
	default:
		e.Result = Result{Decision: ImplicitDeny, Policy: -1, Statement: -1}
	}
	return e
}

// matchesTarget reports whether the statement's action and resource match r, whatever its
// conditions say.
func (s *Statement) matchesTarget(r *Request) bool {
	c := &s.compiled
	if anyMatch(c.actions, r.Action, r) == c.notAction {
		return false
	}
	return len(c.resources) == 0 || anyMatch(c.resources, r.Resource, r) != c.notResource
}

// appendMissingKeys adds the statement's condition keys that r does not set and that are not
// yet in out (compared case-insensitively, as keys are).
func (s *Statement) appendMissingKeys(out []string, r *Request) []string {
	for i := range s.compiled.conditions {
		c := &s.compiled.conditions[i]
		if v, ok := c.key.lookup(r); ok && v.len() > 0 {
			continue
		}
		name := s.Conditions[i].Key
		if !slices.ContainsFunc(out, func(k string) bool { return strings.EqualFold(k, name) }) {
			out = append(out, name)
		}
	}
	return out
}

// ConditionKeys returns the condition keys the policies use, as first written, each once
// (compared case-insensitively), sorted: what IAM's GetContextKeysFor*Policy answer.
func ConditionKeys(policies ...Policy) []string {
	var keys []string
	for pi := range policies {
		for si := range policies[pi].Statements {
			for _, c := range policies[pi].Statements[si].Conditions {
				if !slices.ContainsFunc(keys, func(k string) bool { return strings.EqualFold(k, c.Key) }) {
					keys = append(keys, c.Key)
				}
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// UsesResourceTags reports whether a condition of the policy tests aws:ResourceTag/<key>, so
// that a caller looks up the tags of the resources only for policies that need them.
func (p *Policy) UsesResourceTags() bool {
	for si := range p.Statements {
		for ci := range p.Statements[si].compiled.conditions {
			if p.Statements[si].compiled.conditions[ci].key.kind == keyResourceTag {
				return true
			}
		}
	}
	return false
}
