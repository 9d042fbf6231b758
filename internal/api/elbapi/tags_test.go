package elbapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestTags(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	lbs, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{})
	if err != nil {
		t.Fatal(err)
	}
	rule := createRule(t, env.Env, env.listener, 1, env.blue)
	arns := []string{aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn), env.blue, env.listener, aws.ToString(rule.RuleArn)}
	if _, err := env.ELBV2.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: arns, Tags: []types.Tag{tag("team", "web"), tag("env", "dev")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ELBV2.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{tag("env", "prod")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ELBV2.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: arns[1:2], TagKeys: []string{"team", "ghost"}}); err != nil {
		t.Fatal(err)
	}
	out, err := env.ELBV2.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range out.TagDescriptions {
		s := ""
		for _, tg := range d.Tags {
			s += aws.ToString(tg.Key) + "=" + aws.ToString(tg.Value) + " "
		}
		got[aws.ToString(d.ResourceArn)] = s
	}
	want := map[string]string{arns[0]: "team=web env=prod ", arns[1]: "env=dev ", arns[2]: "team=web env=dev ", arns[3]: "team=web env=dev "}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("tags of %s = %q, want %q", k, got[k], v)
		}
	}
	created, err := env.ELBV2.CreateTargetGroup(ctx, &elbv2.CreateTargetGroupInput{Name: aws.String("tagged"), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80),
		Tags: []types.Tag{tag("a", "1")}})
	if err != nil {
		t.Fatal(err)
	}
	tags, err := env.ELBV2.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{aws.ToString(created.TargetGroups[0].TargetGroupArn)}})
	if err != nil || len(tags.TagDescriptions[0].Tags) != 1 {
		t.Fatalf("tags given at creation: %+v %v", tags, err)
	}
}

func TestTagErrors(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	var fifty []types.Tag
	for i := range 50 {
		fifty = append(fifty, tag(fmt.Sprintf("k%d", i), ""))
	}
	if _, err := env.ELBV2.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{env.green}, Tags: fifty}); err != nil {
		t.Fatal(err)
	}
	add := func(arns []string, tags ...types.Tag) func() error {
		return func() error {
			_, err := env.ELBV2.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: arns, Tags: tags})
			return err
		}
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"fifty-one", add([]string{env.blue, env.green}, tag("one-more", "")), "TooManyTags"},
		{"duplicate keys", add([]string{env.blue}, tag("a", "1"), tag("a", "2")), "DuplicateTagKeys"},
		{"reserved key", add([]string{env.blue}, tag("aws:x", "1")), "ValidationError"},
		{"missing target group", add([]string{env.blue, arnPrefix + "targetgroup/x/0123456789abcdef"}, tag("a", "1")), "TargetGroupNotFound"},
		{"missing load balancer", add([]string{arnPrefix + "loadbalancer/app/x/0123456789abcdef"}, tag("a", "1")), "LoadBalancerNotFound"},
		{"missing listener", add([]string{env.listener[:len(env.listener)-16] + "0123456789abcdef"}, tag("a", "1")), "ListenerNotFound"},
		{"not an elb arn", add([]string{"arn:aws:ecs:us-east-1:000000000000:cluster/x"}, tag("a", "1")), "ValidationError"},
		{"remove from missing rule", func() error {
			_, err := env.ELBV2.RemoveTags(ctx, &elbv2.RemoveTagsInput{ResourceArns: []string{arnPrefix + "listener-rule/app/x/0123456789abcdef/0123456789abcdef/0123456789abcdef"}, TagKeys: []string{"a"}})
			return err
		}, "RuleNotFound"},
		{"describe missing", func() error {
			_, err := env.ELBV2.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: []string{arnPrefix + "targetgroup/x/0123456789abcdef"}})
			return err
		}, "TargetGroupNotFound"},
		{"twenty-one resources", func() error {
			arns := make([]string, 21)
			for i := range arns {
				arns[i] = env.blue
			}
			_, err := env.ELBV2.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env.Env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
}
