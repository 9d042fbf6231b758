package elbapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/elb"
)

// ruleEnv is a load balancer with an HTTP listener on 8080 forwarding to blue, and a green
// target group.
type ruleEnv struct {
	*apitest.Env
	listener    string
	blue, green string
}

func newRuleEnv(t *testing.T) ruleEnv {
	t.Helper()
	env := apitest.New(t)
	lb := createLB(t, env, "web")
	blue, green := createTG(t, env, "blue"), createTG(t, env, "green")
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(blue.TargetGroupArn))
	return ruleEnv{env, aws.ToString(l.ListenerArn), aws.ToString(blue.TargetGroupArn), aws.ToString(green.TargetGroupArn)}
}

func priorities(t *testing.T, env ruleEnv) []string {
	t.Helper()
	out, err := env.ELBV2.DescribeRules(apitest.Context(t), &elbv2.DescribeRulesInput{ListenerArn: aws.String(env.listener)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range out.Rules {
		got = append(got, aws.ToString(r.Priority))
	}
	return got
}

func TestCreateAndDescribeRules(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	out, err := env.ELBV2.CreateRule(ctx, &elbv2.CreateRuleInput{
		ListenerArn: aws.String(env.listener), Priority: aws.Int32(10),
		Conditions: []types.RuleCondition{
			{Field: aws.String("path-pattern"), Values: []string{"/api/*"}},
			{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Canary"), Values: []string{"true"}}},
			{Field: aws.String("query-string"), QueryStringConfig: &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Key: aws.String("v"), Value: aws.String("2")}}}},
		},
		Actions: []types.Action{{Type: types.ActionTypeEnumForward, Order: aws.Int32(1), ForwardConfig: &types.ForwardActionConfig{TargetGroups: []types.TargetGroupTuple{
			{TargetGroupArn: aws.String(env.blue), Weight: aws.Int32(0)}, {TargetGroupArn: aws.String(env.green), Weight: aws.Int32(100)},
		}}}},
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := out.Rules[0]
	if aws.ToString(r.Priority) != "10" || aws.ToBool(r.IsDefault) || len(r.Conditions) != 3 {
		t.Fatalf("rule %+v", r)
	}
	if c := r.Conditions[0]; aws.ToString(c.Field) != "path-pattern" || c.Values[0] != "/api/*" || c.PathPatternConfig.Values[0] != "/api/*" {
		t.Fatalf("path condition %+v", c)
	}
	if c := r.Conditions[1]; aws.ToString(c.HttpHeaderConfig.HttpHeaderName) != "X-Canary" || len(c.Values) != 0 {
		t.Fatalf("header condition %+v", c)
	}
	if w := r.Actions[0].ForwardConfig.TargetGroups[0].Weight; aws.ToInt32(w) != 0 || w == nil {
		t.Fatal("a weight of 0 must be reported")
	}
	createRule(t, env.Env, env.listener, 5, env.green)
	createRule(t, env.Env, env.listener, 50000, env.green)
	if got := priorities(t, env); !cmp.Equal(got, []string{"5", "10", "50000", "default"}) {
		t.Fatalf("priorities %v", got)
	}
	byARN, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(r.RuleArn)}})
	if err != nil || len(byARN.Rules) != 1 || aws.ToString(byARN.Rules[0].RuleArn) != aws.ToString(r.RuleArn) {
		t.Fatalf("by ARN: %+v %v", byARN, err)
	}
	tgs, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"green"}})
	if err != nil || len(tgs.TargetGroups[0].LoadBalancerArns) != 1 {
		t.Fatalf("a group a rule forwards to is in use: %+v %v", tgs, err)
	}
}

func TestModifyDeleteAndReprioritizeRules(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	r1, r2 := createRule(t, env.Env, env.listener, 1, env.blue), createRule(t, env.Env, env.listener, 2, env.blue)
	mod, err := env.ELBV2.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: r1.RuleArn, Actions: []types.Action{{
		Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("503"), ContentType: aws.String("text/plain"), MessageBody: aws.String("down")},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if m := mod.Rules[0]; aws.ToString(m.Actions[0].FixedResponseConfig.MessageBody) != "down" || m.Conditions[0].Values[0] != "/p1/*" {
		t.Fatalf("modified %+v", m)
	}
	swapped, err := env.ELBV2.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: r1.RuleArn, Priority: aws.Int32(2)}, {RuleArn: r2.RuleArn, Priority: aws.Int32(1)},
	}})
	if err != nil || len(swapped.Rules) != 2 || aws.ToString(swapped.Rules[0].Priority) != "2" {
		t.Fatalf("swap: %+v %v", swapped, err)
	}
	rules, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(env.listener)})
	if err != nil || aws.ToString(rules.Rules[0].RuleArn) != aws.ToString(r2.RuleArn) {
		t.Fatalf("after swap: %+v %v", rules, err)
	}
	def := rules.Rules[2]
	unchanged(t, env.Env, func() {
		_, err := env.ELBV2.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: def.RuleArn})
		wantCode(t, err, "OperationNotPermitted")
	})
	modDef, err := env.ELBV2.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: def.RuleArn, Actions: forward(env.green)})
	if err != nil || aws.ToString(modDef.Rules[0].Priority) != "default" {
		t.Fatalf("default rule actions: %+v %v", modDef, err)
	}
	ls, err := env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{env.listener}})
	if err != nil || aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn) != env.green {
		t.Fatalf("the listener's default actions follow its default rule: %+v %v", ls, err)
	}
	if _, err := env.ELBV2.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: r1.RuleArn}); err != nil {
		t.Fatal(err)
	}
	if got := priorities(t, env); !cmp.Equal(got, []string{"1", "default"}) {
		t.Fatalf("priorities %v", got)
	}
}

func TestRuleErrors(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	r1, r2 := createRule(t, env.Env, env.listener, 1, env.blue), createRule(t, env.Env, env.listener, 2, env.blue)
	rules, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: aws.String(env.listener)})
	if err != nil {
		t.Fatal(err)
	}
	def := rules.Rules[2].RuleArn
	ghostRule := aws.String(aws.ToString(r1.RuleArn)[:len(aws.ToString(r1.RuleArn))-16] + "0123456789abcdef")
	create := func(mod func(*elbv2.CreateRuleInput)) func() error {
		return func() error {
			in := &elbv2.CreateRuleInput{ListenerArn: aws.String(env.listener), Priority: aws.Int32(3), Conditions: pathRule("/x"), Actions: forward(env.blue)}
			mod(in)
			_, err := env.ELBV2.CreateRule(ctx, in)
			return err
		}
	}
	setPriorities := func(pairs ...types.RulePriorityPair) func() error {
		return func() error {
			_, err := env.ELBV2.SetRulePriorities(ctx, &elbv2.SetRulePrioritiesInput{RulePriorities: pairs})
			return err
		}
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"priority in use", create(func(in *elbv2.CreateRuleInput) { in.Priority = aws.Int32(1) }), "PriorityInUse"},
		{"priority 0", create(func(in *elbv2.CreateRuleInput) { in.Priority = aws.Int32(0) }), "ValidationError"},
		{"missing listener", create(func(in *elbv2.CreateRuleInput) {
			in.ListenerArn = aws.String(env.listener[:len(env.listener)-16] + "0123456789abcdef")
		}), "ListenerNotFound"},
		{"missing group", create(func(in *elbv2.CreateRuleInput) { in.Actions = forward(arnPrefix + "targetgroup/x/0123456789abcdef") }), "TargetGroupNotFound"},
		{"no conditions", create(func(in *elbv2.CreateRuleInput) { in.Conditions = []types.RuleCondition{} }), "ValidationError"},
		{"two paths", create(func(in *elbv2.CreateRuleInput) { in.Conditions = append(pathRule("/a"), pathRule("/b")...) }), "ValidationError"},
		{"six groups", create(func(in *elbv2.CreateRuleInput) {
			var tgs []types.TargetGroupTuple
			for range 6 {
				tgs = append(tgs, types.TargetGroupTuple{TargetGroupArn: aws.String(env.blue)})
			}
			in.Actions = []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{TargetGroups: tgs}}}
		}), "ValidationError"},
		{"weight 1000", create(func(in *elbv2.CreateRuleInput) {
			in.Actions = []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
				TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(env.blue), Weight: aws.Int32(1000)}}}}}
		}), "ValidationError"},
		{"transforms", create(func(in *elbv2.CreateRuleInput) { in.Transforms = []types.RuleTransform{{Type: "host-header-rewrite"}} }), "ValidationError"},
		{"regex", create(func(in *elbv2.CreateRuleInput) {
			in.Conditions = []types.RuleCondition{{Field: aws.String("path-pattern"), RegexValues: []string{"^/a"}}}
		}), "ValidationError"},
		{"modify default conditions", func() error {
			_, err := env.ELBV2.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: def, Conditions: pathRule("/x")})
			return err
		}, "OperationNotPermitted"},
		{"modify missing", func() error {
			_, err := env.ELBV2.ModifyRule(ctx, &elbv2.ModifyRuleInput{RuleArn: ghostRule, Actions: forward(env.blue)})
			return err
		}, "RuleNotFound"},
		{"delete missing", func() error {
			_, err := env.ELBV2.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: ghostRule})
			return err
		}, "RuleNotFound"},
		{"describe missing", func() error {
			_, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(ghostRule)}})
			return err
		}, "RuleNotFound"},
		{"describe both", func() error {
			_, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{RuleArns: []string{aws.ToString(r1.RuleArn)}, ListenerArn: aws.String(env.listener)})
			return err
		}, "ValidationError"},
		{"set to a taken priority", setPriorities(types.RulePriorityPair{RuleArn: r1.RuleArn, Priority: aws.Int32(2)}), "PriorityInUse"},
		{"set half a swap", setPriorities(types.RulePriorityPair{RuleArn: r1.RuleArn, Priority: aws.Int32(3)}, types.RulePriorityPair{RuleArn: r2.RuleArn, Priority: aws.Int32(3)}), "PriorityInUse"},
		{"set default", setPriorities(types.RulePriorityPair{RuleArn: def, Priority: aws.Int32(7)}), "OperationNotPermitted"},
		{"set missing", setPriorities(types.RulePriorityPair{RuleArn: r1.RuleArn, Priority: aws.Int32(7)}, types.RulePriorityPair{RuleArn: ghostRule, Priority: aws.Int32(8)}), "RuleNotFound"},
		{"set out of range", setPriorities(types.RulePriorityPair{RuleArn: r1.RuleArn, Priority: aws.Int32(50001)}), "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env.Env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
}

func TestTooManyRules(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	for i := range elb.MaxRulesPerLoadBalancer {
		createRule(t, env.Env, env.listener, int32(i+1), env.blue)
	}
	unchanged(t, env.Env, func() {
		_, err := env.ELBV2.CreateRule(apitest.Context(t), &elbv2.CreateRuleInput{ListenerArn: aws.String(env.listener),
			Priority: aws.Int32(1000), Conditions: pathRule("/x"), Actions: forward(env.blue)})
		wantCode(t, err, "TooManyRules")
	})
	pages := elbv2.NewDescribeRulesPaginator(env.ELBV2, &elbv2.DescribeRulesInput{ListenerArn: aws.String(env.listener), PageSize: aws.Int32(30)})
	n, seen := 0, 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(apitest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, r := range page.Rules {
			seen++
			if want := fmt.Sprint(seen); seen <= elb.MaxRulesPerLoadBalancer && aws.ToString(r.Priority) != want {
				t.Fatalf("rule %d has priority %s", seen, aws.ToString(r.Priority))
			}
		}
	}
	if n != 4 || seen != elb.MaxRulesPerLoadBalancer+1 {
		t.Fatalf("%d pages, %d rules", n, seen)
	}
}
