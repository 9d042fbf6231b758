package iampolicy

import (
	"slices"
	"strings"
)

// Decision is the outcome of an evaluation, in the words of IAM's policy simulator.
type Decision uint8

// The decisions. The zero value denies.
const (
	ImplicitDeny Decision = iota // no statement allows the request
	Allow                        // a statement allows it and none denies it
	ExplicitDeny                 // a statement denies it
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// Result is a decision and, unless it is ImplicitDeny, the statement that made it: the index
// of its policy in the policies given to Evaluate and of the statement in that policy.
type Result struct {
	Decision  Decision
	Policy    int
	Statement int
}

// Evaluate decides whether the policies allow r, as AWS evaluates the identity-based policies
// of a principal within one account: a matching Deny statement in any policy denies (and
// Evaluate returns the first one), otherwise a matching Allow statement allows (the first
// one), otherwise the request is denied implicitly.
func Evaluate(r *Request, policies ...Policy) Result {
	allow := Result{Decision: ImplicitDeny, Policy: -1, Statement: -1}
	for pi := range policies {
		statements := policies[pi].Statements
		for si := range statements {
			s := &statements[si]
			if s.Effect != EffectDeny && allow.Decision == Allow {
				continue // one allow is enough; only a deny can change the outcome now
			}
			if !s.matches(r) {
				continue
			}
			if s.Effect == EffectDeny {
				return Result{Decision: ExplicitDeny, Policy: pi, Statement: si}
			}
			allow = Result{Decision: Allow, Policy: pi, Statement: si}
		}
	}
	return allow
}

// compiledStatement is a statement in the form Evaluate reads.
type compiledStatement struct {
	actions     []pattern // of Actions, or of NotActions when notAction
	notAction   bool
	resources   []pattern // of Resources, or NotResources; none in a trust policy
	notResource bool
	conditions  []condition
}

func compileStatement(s *Statement, variables bool) (compiledStatement, error) {
	c := compiledStatement{notAction: len(s.NotActions) > 0, notResource: len(s.NotResources) > 0}
	for _, a := range slices.Concat(s.Actions, s.NotActions) {
		c.actions = append(c.actions, compilePattern(a, patternOptions{glob: true, fold: true}))
	}
	for _, res := range slices.Concat(s.Resources, s.NotResources) {
		c.resources = append(c.resources, compilePattern(res, patternOptions{glob: true, variables: variables}))
	}
	for _, cond := range s.Conditions {
		cc, err := compileCondition(cond, variables)
		if err != nil {
			return compiledStatement{}, err
		}
		c.conditions = append(c.conditions, cc)
	}
	return c, nil
}

// matches reports whether the statement applies to r: its action, resource, principal (trust
// and resource policies) and every condition.
func (s *Statement) matches(r *Request) bool {
	c := &s.compiled
	if anyMatch(c.actions, r.Action, r) == c.notAction {
		return false
	}
	if len(c.resources) > 0 && anyMatch(c.resources, r.Resource, r) == c.notResource {
		return false
	}
	if !s.Principal.IsZero() && !s.Principal.matches(r) {
		return false
	}
	if !s.NotPrincipal.IsZero() && s.NotPrincipal.matches(r) {
		return false
	}
	for i := range c.conditions {
		if !c.conditions[i].eval(r) {
			return false
		}
	}
	return true
}

func anyMatch(patterns []pattern, s string, r *Request) bool {
	for i := range patterns {
		if patterns[i].match(s, r) {
			return true
		}
	}
	return false
}

// matches reports whether the principal element names r's principal: "*", its account (as an
// id or the account's root ARN), its ARN, or a service principal by name.
func (p *Principal) matches(r *Request) bool {
	if p.Any {
		return true
	}
	for typ, ids := range p.IDs {
		for _, id := range ids {
			if principalIDMatches(typ, id, r) {
				return true
			}
		}
	}
	return false
}

func principalIDMatches(typ, id string, r *Request) bool {
	if typ != "AWS" {
		return id == r.PrincipalARN
	}
	if id == "*" || id == r.PrincipalARN || (r.PrincipalAccount != "" && id == r.PrincipalAccount) {
		return true
	}
	rest, ok := strings.CutSuffix(id, ":root")
	return ok && r.PrincipalAccount != "" && strings.HasPrefix(rest, "arn:") && strings.HasSuffix(rest, ":iam::"+r.PrincipalAccount)
}
