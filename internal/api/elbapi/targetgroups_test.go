package elbapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestCreateAndDescribeTargetGroup(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue")
	arn := aws.ToString(tg.TargetGroupArn)
	if !strings.HasPrefix(arn, arnPrefix+"targetgroup/blue/") || len(arn) != len(arnPrefix+"targetgroup/blue/")+16 {
		t.Fatalf("ARN %s", arn)
	}
	if aws.ToInt32(tg.HealthCheckIntervalSeconds) != 30 || aws.ToInt32(tg.HealthCheckTimeoutSeconds) != 5 || aws.ToInt32(tg.HealthyThresholdCount) != 5 ||
		aws.ToInt32(tg.UnhealthyThresholdCount) != 2 || aws.ToString(tg.HealthCheckPath) != "/" || aws.ToString(tg.HealthCheckPort) != "traffic-port" ||
		aws.ToString(tg.Matcher.HttpCode) != "200" || !aws.ToBool(tg.HealthCheckEnabled) || tg.HealthCheckProtocol != types.ProtocolEnumHttp ||
		tg.TargetType != types.TargetTypeEnumInstance || aws.ToString(tg.ProtocolVersion) != "HTTP1" || aws.ToString(tg.VpcId) != "vpc-1" ||
		tg.LoadBalancerArns == nil || len(tg.LoadBalancerArns) != 0 {
		t.Fatalf("target group %+v", tg)
	}
	if again := createTG(t, env, "blue"); aws.ToString(again.TargetGroupArn) != arn {
		t.Fatal("creating it again with the same settings must return it")
	}
	_, err := env.ELBV2.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("blue"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(81), VpcId: aws.String("vpc-1")})
	wantCode(t, err, "DuplicateTargetGroupName")

	green := createTG(t, env, "green", func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumIp })
	lb := createLB(t, env, "web")
	createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, arn)
	for _, in := range []elbv2.DescribeTargetGroupsInput{
		{Names: []string{"blue"}}, {TargetGroupArns: []string{arn}}, {LoadBalancerArn: lb.LoadBalancerArn},
	} {
		out, err := env.ELBV2.DescribeTargetGroups(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.TargetGroups) != 1 || aws.ToString(out.TargetGroups[0].TargetGroupArn) != arn ||
			len(out.TargetGroups[0].LoadBalancerArns) != 1 || out.TargetGroups[0].LoadBalancerArns[0] != aws.ToString(lb.LoadBalancerArn) {
			t.Fatalf("describe %+v: %+v", in, out.TargetGroups)
		}
	}
	all, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{})
	if err != nil || len(all.TargetGroups) != 2 || aws.ToString(all.TargetGroups[1].TargetGroupArn) != aws.ToString(green.TargetGroupArn) {
		t.Fatalf("all: %+v %v", all, err)
	}
}

func TestModifyTargetGroup(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue")
	out, err := env.ELBV2.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{
		TargetGroupArn: tg.TargetGroupArn, HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(10),
		HealthyThresholdCount: aws.Int32(2), Matcher: &types.Matcher{HttpCode: aws.String("200-299")},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := out.TargetGroups[0]
	if aws.ToString(got.HealthCheckPath) != "/health" || aws.ToInt32(got.HealthCheckIntervalSeconds) != 10 || aws.ToInt32(got.HealthyThresholdCount) != 2 ||
		aws.ToString(got.Matcher.HttpCode) != "200-299" || aws.ToInt32(got.HealthCheckTimeoutSeconds) != 5 {
		t.Fatalf("modified %+v", got)
	}
	attrs, err := env.ELBV2.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn,
		Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("30")},
			{Key: aws.String("stickiness.enabled"), Value: aws.String("true")}}})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := env.ELBV2.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn})
	if err != nil || len(desc.Attributes) != len(attrs.Attributes) {
		t.Fatalf("describe attributes: %v %v", desc, err)
	}
	values := map[string]string{}
	for _, a := range desc.Attributes {
		values[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	for k, v := range map[string]string{"deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "true", "stickiness.type": "lb_cookie",
		"slow_start.duration_seconds": "0", "load_balancing.algorithm.type": "round_robin", "stickiness.lb_cookie.duration_seconds": "86400"} {
		if values[k] != v {
			t.Fatalf("attribute %s = %q, want %q", k, values[k], v)
		}
	}
}

func TestTargetGroupErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue")
	ghost := aws.String(arnPrefix + "targetgroup/ghost/0123456789abcdef")
	create := func(mod func(*elbv2.CreateTargetGroupInput)) func() error {
		return func() error {
			in := &elbv2.CreateTargetGroupInput{Name: aws.String("new"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80)}
			mod(in)
			_, err := env.ELBV2.CreateTargetGroup(ctx, in)
			return err
		}
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"lambda", create(func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumLambda }), "ValidationError"},
		{"tcp", create(func(in *elbv2.CreateTargetGroupInput) { in.Protocol = types.ProtocolEnumTcp }), "ValidationError"},
		{"no port", create(func(in *elbv2.CreateTargetGroupInput) { in.Port = nil }), "ValidationError"},
		{"interval 0", create(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckIntervalSeconds = aws.Int32(0) }), "ValidationError"},
		{"timeout over interval", create(func(in *elbv2.CreateTargetGroupInput) {
			in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds = aws.Int32(10), aws.Int32(20)
		}), "InvalidConfigurationRequest"},
		{"health checks off", create(func(in *elbv2.CreateTargetGroupInput) { in.HealthCheckEnabled = aws.Bool(false) }), "InvalidConfigurationRequest"},
		{"matcher 600", create(func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{HttpCode: aws.String("600")} }), "ValidationError"},
		{"grpc matcher", create(func(in *elbv2.CreateTargetGroupInput) { in.Matcher = &types.Matcher{GrpcCode: aws.String("12")} }), "ValidationError"},
		{"duplicate tags", create(func(in *elbv2.CreateTargetGroupInput) {
			in.Tags = []types.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}
		}), "DuplicateTagKeys"},
		{"describe missing", func() error {
			_, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{*ghost}})
			return err
		}, "TargetGroupNotFound"},
		{"describe missing name", func() error {
			_, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"blue", "ghost"}})
			return err
		}, "TargetGroupNotFound"},
		{"describe by missing load balancer", func() error {
			_, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(arnPrefix + "loadbalancer/app/x/0123456789abcdef")})
			return err
		}, "LoadBalancerNotFound"},
		{"two filters", func() error {
			_, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{Names: []string{"blue"}, TargetGroupArns: []string{*ghost}})
			return err
		}, "ValidationError"},
		{"modify missing", func() error {
			_, err := env.ELBV2.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: ghost, HealthCheckPath: aws.String("/x")})
			return err
		}, "TargetGroupNotFound"},
		{"modify out of range", func() error {
			_, err := env.ELBV2.ModifyTargetGroup(ctx, &elbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn, UnhealthyThresholdCount: aws.Int32(11)})
			return err
		}, "ValidationError"},
		{"attribute out of range", func() error {
			_, err := env.ELBV2.ModifyTargetGroupAttributes(ctx, &elbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: tg.TargetGroupArn,
				Attributes: []types.TargetGroupAttribute{{Key: aws.String("slow_start.duration_seconds"), Value: aws.String("10")}}})
			return err
		}, "InvalidConfigurationRequest"},
		{"attributes of missing", func() error {
			_, err := env.ELBV2.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: ghost})
			return err
		}, "TargetGroupNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
	unchanged(t, env, func() {
		status, body := rawQuery(t, env, url.Values{"Action": {"CreateTargetGroup"}, "Protocol": {"HTTP"}, "Port": {"80"}})
		if status != 400 || !strings.Contains(body, "<Code>ValidationError</Code>") {
			t.Fatalf("no name: %d %s", status, body)
		}
	})
}

func TestDeleteTargetGroup(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	blue, green := createTG(t, env, "blue"), createTG(t, env, "green")
	lb := createLB(t, env, "web")
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(blue.TargetGroupArn))
	rule := createRule(t, env, aws.ToString(l.ListenerArn), 5, aws.ToString(green.TargetGroupArn))
	for _, tg := range []types.TargetGroup{blue, green} {
		unchanged(t, env, func() {
			_, err := env.ELBV2.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
			wantCode(t, err, "ResourceInUse")
		})
	}
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: green.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("i-1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ELBV2.DeleteRule(ctx, &elbv2.DeleteRuleInput{RuleArn: rule.RuleArn}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // deleting a deleted target group succeeds
		if _, err := env.ELBV2.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: green.TargetGroupArn}); err != nil {
			t.Fatal(err)
		}
	}
	if s := snapshot(t, env); len(s["targets"]) != 0 || len(s["target groups"]) != 1 {
		t.Fatalf("after delete: %v", s)
	}
	_, err := env.ELBV2.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String("green")})
	wantCode(t, err, "ValidationError")
}
