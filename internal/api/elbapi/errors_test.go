package elbapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestErrorMessages pins what a client reads for each way an error is made: a domain sentinel
// with a detail from the domain or from the API, and a plain validation error.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	lb := createLB(t, env, "web")
	tg := createTG(t, env, "blue")
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 80, aws.ToString(tg.TargetGroupArn))
	createRule(t, env, aws.ToString(l.ListenerArn), 1, aws.ToString(tg.TargetGroupArn))
	ghost := arnPrefix + "targetgroup/ghost/0123456789abcdef"
	tests := []struct {
		name    string
		call    func() error
		code    string
		message string
	}{
		{"one of several not found", func() error {
			_, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{aws.ToString(tg.TargetGroupArn), ghost}})
			return err
		}, "TargetGroupNotFound", "One or more target groups not found"},
		{"not found by arn", func() error {
			_, err := env.ELBV2.DescribeTargetGroupAttributes(ctx, &elbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(ghost)})
			return err
		}, "TargetGroupNotFound", "Target group '" + ghost + "' not found"},
		{"domain detail", func() error {
			_, err := env.ELBV2.CreateRule(ctx, &elbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1),
				Conditions: pathRule("/other/*"), Actions: forward(aws.ToString(tg.TargetGroupArn))})
			return err
		}, "PriorityInUse", "Priority '1' is currently in use"},
		{"domain detail of a validation kind", func() error {
			_, err := env.ELBV2.AddTags(ctx, &elbv2.AddTagsInput{ResourceArns: []string{aws.ToString(tg.TargetGroupArn)},
				Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("a"), Value: aws.String("2")}}})
			return err
		}, "DuplicateTagKeys", "Tag key 'a' is specified more than once"},
		{"api detail", func() error {
			_, err := env.ELBV2.DeleteTargetGroup(ctx, &elbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
			return err
		}, "ResourceInUse", "Target group '" + aws.ToString(tg.TargetGroupArn) + "' is currently in use by a listener or a rule of load balancer '" + aws.ToString(lb.LoadBalancerArn) + "'"},
		{"validation", func() error {
			_, err := env.ELBV2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String("web")})
			return err
		}, "ValidationError", "'web' is not a valid load balancer ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env, func() { apitest.WantError(t, tt.call(), tt.code, tt.message, http.StatusBadRequest) })
		})
	}
}
