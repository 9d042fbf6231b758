package elb_test

import (
	"fmt"
	"testing"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

var pathAPI = []elb.ConditionSpec{{Field: "path-pattern", Values: []string{"/api/*"}}}

func newListener(t *testing.T) (elb.Listener, elb.Rule) {
	t.Helper()
	lb := newLB(t, elb.LoadBalancerSpec{Name: "web"})
	l, def, err := elb.NewListener(scope, lb, elb.ListenerSpec{Port: 80, Protocol: "HTTP", DefaultActions: forwardBlue}, tgID, lbID)
	if err != nil {
		t.Fatal(err)
	}
	return l, def
}

func ruleID(i int) string { return fmt.Sprintf("%016x", i) }

func TestNewRule(t *testing.T) {
	t.Parallel()
	l, def := newListener(t)
	r10, err := elb.NewRule(scope, l, elb.RuleSpec{Priority: 10, Conditions: pathAPI, Actions: forwardBlue}, ruleID(10), []elb.Rule{def}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if r10.PriorityString() != "10" || r10.IsDefault || r10.LoadBalancerARN != l.LoadBalancerARN {
		t.Fatalf("rule %+v", r10)
	}
	siblings := []elb.Rule{def, r10}
	tests := []struct {
		name    string
		spec    elb.RuleSpec
		lbRules int
		want    error
	}{
		{"fine", elb.RuleSpec{Priority: 20, Conditions: pathAPI, Actions: forwardBlue}, 1, nil},
		{"priority in use", elb.RuleSpec{Priority: 10, Conditions: pathAPI, Actions: forwardBlue}, 1, elb.ErrPriorityInUse},
		{"priority 0", elb.RuleSpec{Priority: 0, Conditions: pathAPI, Actions: forwardBlue}, 1, errdefs.ErrInvalidArgument},
		{"priority 50001", elb.RuleSpec{Priority: 50001, Conditions: pathAPI, Actions: forwardBlue}, 1, errdefs.ErrInvalidArgument},
		{"no conditions", elb.RuleSpec{Priority: 20, Actions: forwardBlue}, 1, errdefs.ErrInvalidArgument},
		{"no actions", elb.RuleSpec{Priority: 20, Conditions: pathAPI}, 1, errdefs.ErrInvalidArgument},
		{"too many rules", elb.RuleSpec{Priority: 20, Conditions: pathAPI, Actions: forwardBlue}, elb.MaxRulesPerLoadBalancer, elb.ErrTooManyRules},
		{"bad tags", elb.RuleSpec{Priority: 20, Conditions: pathAPI, Actions: forwardBlue, Tags: []elb.Tag{{}}}, 1, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := elb.NewRule(scope, l, tt.spec, ruleID(99), siblings, tt.lbRules)
			wantErr(t, err, tt.want)
		})
	}
	if _, err := def.Modify(pathAPI, nil); !errorsIs(err, elb.ErrOperationNotPermitted) {
		t.Fatalf("default rule conditions: %v", err)
	}
	if m, err := def.Modify(nil, []elb.ActionSpec{{Type: "forward", TargetGroupARN: tg2ARN}}); err != nil || m.Actions[0].Forward.TargetGroups[0].ARN != tg2ARN {
		t.Fatalf("default rule actions: %+v %v", m, err)
	}
}

func TestSetPriorities(t *testing.T) {
	t.Parallel()
	l, def := newListener(t)
	rules := []elb.Rule{def}
	for _, p := range []int{1, 2, 3} {
		r, err := elb.NewRule(scope, l, elb.RuleSpec{Priority: p, Conditions: pathAPI, Actions: forwardBlue}, ruleID(p), rules, len(rules)-1)
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, r)
	}
	tests := []struct {
		name    string
		changes []elb.PriorityChange
		want    error
	}{
		{"swap", []elb.PriorityChange{{rules[1].ARN, 2}, {rules[2].ARN, 1}}, nil},
		{"move up", []elb.PriorityChange{{rules[3].ARN, 100}}, nil},
		{"collide", []elb.PriorityChange{{rules[1].ARN, 2}}, elb.ErrPriorityInUse},
		{"rule twice", []elb.PriorityChange{{rules[1].ARN, 5}, {rules[1].ARN, 6}}, errdefs.ErrInvalidArgument},
		{"default rule", []elb.PriorityChange{{def.ARN, 5}}, elb.ErrOperationNotPermitted},
		{"unknown rule", []elb.PriorityChange{{def.ARN + "0", 5}}, elb.ErrRuleNotFound},
		{"out of range", []elb.PriorityChange{{rules[1].ARN, 50001}}, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := elb.SetPriorities(rules, tt.changes)
			wantErr(t, err, tt.want)
			if err == nil && (len(got) != len(tt.changes) || got[0].Priority != tt.changes[0].Priority) {
				t.Fatalf("SetPriorities = %+v", got)
			}
		})
	}
	if rules[1].Priority != 1 {
		t.Fatal("SetPriorities changed its input")
	}
}

func TestTargetGroupUsers(t *testing.T) {
	t.Parallel()
	l, def := newListener(t)
	r, err := elb.NewRule(scope, l, elb.RuleSpec{Priority: 1, Conditions: pathAPI, Actions: []elb.ActionSpec{forwardTo(
		elb.WeightedTargetGroup{ARN: tgARN, Weight: 1}, elb.WeightedTargetGroup{ARN: tg2ARN, Weight: 1})}}, ruleID(1), []elb.Rule{def}, 0)
	if err != nil {
		t.Fatal(err)
	}
	users := elb.TargetGroupUsers([]elb.Rule{def, r})
	if len(users) != 2 || len(users[tgARN]) != 1 || users[tgARN][0] != l.LoadBalancerARN || len(users[tg2ARN]) != 1 {
		t.Fatalf("users %v", users)
	}
	blue := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80})
	h2 := blue
	h2.ProtocolVersion = "HTTP2"
	tests := []struct {
		name     string
		groups   map[string]elb.TargetGroup
		lb       string
		protocol string
		want     error
	}{
		{"fine", map[string]elb.TargetGroup{tgARN: blue}, l.LoadBalancerARN, "HTTP", nil},
		{"missing", map[string]elb.TargetGroup{}, l.LoadBalancerARN, "HTTP", elb.ErrTargetGroupNotFound},
		{"other load balancer", map[string]elb.TargetGroup{tgARN: blue}, "arn:other", "HTTP", elb.ErrTargetGroupAssociationLimit},
		{"http2 behind http", map[string]elb.TargetGroup{tgARN: h2}, l.LoadBalancerARN, "HTTP", elb.ErrIncompatibleProtocols},
		{"http2 behind https", map[string]elb.TargetGroup{tgARN: h2}, l.LoadBalancerARN, "HTTPS", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, elb.CheckForwards(def.Actions, tt.protocol, tt.lb, tt.groups, users), tt.want)
		})
	}
}
