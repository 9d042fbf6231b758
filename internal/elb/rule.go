package elb

import (
	"slices"
	"strconv"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Rule limits.
const (
	// MaxRulesPerLoadBalancer is ALB's quota of rules per load balancer, default rules not
	// counted.
	MaxRulesPerLoadBalancer = 100
	MinPriority             = 1
	MaxPriority             = 50000
	// DefaultPriority is the priority ALB reports for a listener's default rule.
	DefaultPriority = "default"
)

// Rule routes the requests that match its conditions with its actions. Every listener has one
// default rule (IsDefault, no conditions, evaluated last) that holds the listener's default
// actions.
type Rule struct {
	// ID is the 16 hex digits that end the ARN.
	ID              string
	ARN             string
	ListenerARN     string
	LoadBalancerARN string
	// Priority is 1-50000, lowest evaluated first; 0 for the default rule.
	Priority   int
	IsDefault  bool
	Conditions []Condition
	Actions    []Action
	Tags       []Tag
}

// PriorityString is the priority as ALB reports it: "10", or "default".
func (r Rule) PriorityString() string {
	if r.IsDefault {
		return DefaultPriority
	}
	return strconv.Itoa(r.Priority)
}

// TargetGroupARNs returns the target groups r's actions forward to.
func (r Rule) TargetGroupARNs() []string {
	var out []string
	for _, a := range r.Actions {
		out = append(out, a.TargetGroupARNs()...)
	}
	return out
}

func newDefaultRule(scope arn.Scope, l Listener, id string, actions []Action) Rule {
	ref, _ := ParseListenerARN(l.ARN)
	return Rule{
		ID: id, ARN: RuleARN(scope, RuleRef{Listener: ref, ID: id}),
		ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN,
		IsDefault: true, Conditions: []Condition{}, Actions: actions,
	}
}

// RuleSpec is what CreateRule asks for.
type RuleSpec struct {
	Priority   int
	Conditions []ConditionSpec
	Actions    []ActionSpec
	Tags       []Tag
}

// NewRule validates spec and returns the rule it creates on l. siblings are the listener's
// rules, lbRules the number of rules (default rules not counted) of its load balancer.
func NewRule(scope arn.Scope, l Listener, spec RuleSpec, id string, siblings []Rule, lbRules int) (Rule, error) {
	if err := checkPriority(spec.Priority); err != nil {
		return Rule{}, err
	}
	conds, err := NewConditions(spec.Conditions)
	if err != nil {
		return Rule{}, err
	}
	actions, err := NewActions(spec.Actions)
	if err != nil {
		return Rule{}, err
	}
	if err := ValidateTagRequest(spec.Tags); err != nil {
		return Rule{}, err
	}
	if slices.ContainsFunc(siblings, func(r Rule) bool { return !r.IsDefault && r.Priority == spec.Priority }) {
		return Rule{}, errdefs.Detail(ErrPriorityInUse, "Priority '%d' is currently in use", spec.Priority)
	}
	if lbRules >= MaxRulesPerLoadBalancer {
		return Rule{}, errdefs.Detail(ErrTooManyRules, "A load balancer can have at most %d rules", MaxRulesPerLoadBalancer)
	}
	ref, _ := ParseListenerARN(l.ARN)
	return Rule{
		ID: id, ARN: RuleARN(scope, RuleRef{Listener: ref, ID: id}),
		ListenerARN: l.ARN, LoadBalancerARN: l.LoadBalancerARN,
		Priority: spec.Priority, Conditions: conds, Actions: actions, Tags: slices.Clone(spec.Tags),
	}, nil
}

func checkPriority(p int) error {
	if p < MinPriority || p > MaxPriority {
		return invalidf("Rule priority must be between %d and %d", MinPriority, MaxPriority)
	}
	return nil
}

// Modify returns r with new conditions and actions; a nil list keeps the current ones. The
// conditions of a default rule cannot change.
func (r Rule) Modify(conds []ConditionSpec, actions []ActionSpec) (Rule, error) {
	if conds != nil {
		if r.IsDefault {
			return Rule{}, errdefs.Detail(ErrOperationNotPermitted, "The conditions of a default rule cannot be modified")
		}
		c, err := NewConditions(conds)
		if err != nil {
			return Rule{}, err
		}
		r.Conditions = c
	}
	if actions != nil {
		a, err := NewActions(actions)
		if err != nil {
			return Rule{}, err
		}
		r.Actions = a
	}
	return r, nil
}

// PriorityChange is one pair of SetRulePriorities.
type PriorityChange struct {
	RuleARN  string
	Priority int
}

// SetPriorities applies changes to rules, every rule of the listeners the changes touch, all or
// nothing. It returns the changed rules in the order of changes. A rule named twice or a
// priority out of range is a validation error, a default rule OperationNotPermitted, an unknown
// rule RuleNotFound, and two rules of one listener with the same priority afterwards
// PriorityInUse.
func SetPriorities(rules []Rule, changes []PriorityChange) ([]Rule, error) {
	byARN := make(map[string]int, len(rules))
	for i, r := range rules {
		byARN[r.ARN] = i
	}
	next := slices.Clone(rules)
	out := make([]Rule, 0, len(changes))
	for i, c := range changes {
		if err := checkPriority(c.Priority); err != nil {
			return nil, err
		}
		if slices.ContainsFunc(changes[:i], func(o PriorityChange) bool { return o.RuleARN == c.RuleARN }) {
			return nil, invalidf("Rule '%s' is named more than once", clip(c.RuleARN))
		}
		j, ok := byARN[c.RuleARN]
		if !ok {
			return nil, errdefs.Detail(ErrRuleNotFound, "Rule '%s' not found", clip(c.RuleARN))
		}
		if next[j].IsDefault {
			return nil, errdefs.Detail(ErrOperationNotPermitted, "The priority of a default rule cannot be changed")
		}
		next[j].Priority = c.Priority
		out = append(out, next[j])
	}
	taken := map[string]bool{}
	for _, r := range next {
		key := r.ListenerARN + " " + strconv.Itoa(r.Priority)
		if !r.IsDefault && taken[key] {
			return nil, errdefs.Detail(ErrPriorityInUse, "Priority '%d' is currently in use", r.Priority)
		}
		taken[key] = true
	}
	return out, nil
}
