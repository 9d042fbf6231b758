package elbapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestAttributeRequestErrors checks the answers of Describe and Modify*Attributes, for load
// balancers and target groups alike, to requests that the SDKs refuse to send or that name
// nothing: each names the member or the kind of object at fault.
func TestAttributeRequestErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	lbARN, tgARN := aws.ToString(createLB(t, env, "web").LoadBalancerArn), aws.ToString(createTG(t, env, "blue").TargetGroupArn)
	// A load balancer deleted and created again under its name has another ARN.
	stale := aws.ToString(createLB(t, env, "old").LoadBalancerArn)
	if _, err := env.ELBV2.DeleteLoadBalancer(apitest.Context(t), &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: &stale}); err != nil {
		t.Fatal(err)
	}
	createLB(t, env, "old")
	key := url.Values{"Attributes.member.1.Key": {"deletion_protection.enabled"}, "Attributes.member.1.Value": {"true"}}
	noKey := url.Values{"Attributes.member.1.Value": {"true"}}
	tests := []struct {
		name   string
		action string
		member string // the request member with the ARN
		arn    string // "" leaves it out
		attrs  url.Values
		code   string
		text   string // in the message
	}{
		{"describe lb, no arn", "DescribeLoadBalancerAttributes", "LoadBalancerArn", "", nil, "ValidationError", "'loadBalancerArn'"},
		{"describe tg, no arn", "DescribeTargetGroupAttributes", "TargetGroupArn", "", nil, "ValidationError", "'targetGroupArn'"},
		{"describe lb, a target group's arn", "DescribeLoadBalancerAttributes", "LoadBalancerArn", tgARN, nil, "ValidationError", ""},
		{"describe tg, a load balancer's arn", "DescribeTargetGroupAttributes", "TargetGroupArn", lbARN, nil, "ValidationError", ""},
		{"describe lb, stale arn", "DescribeLoadBalancerAttributes", "LoadBalancerArn", stale, nil, "LoadBalancerNotFound", "Load balancer '" + stale + "' not found"},
		{"describe tg, missing", "DescribeTargetGroupAttributes", "TargetGroupArn", strings.Replace(tgARN, "/blue/", "/gone/", 1), nil, "TargetGroupNotFound", "Target group '"},
		{"modify lb, no arn", "ModifyLoadBalancerAttributes", "LoadBalancerArn", "", key, "ValidationError", "'loadBalancerArn'"},
		{"modify tg, no arn", "ModifyTargetGroupAttributes", "TargetGroupArn", "", key, "ValidationError", "'targetGroupArn'"},
		{"modify lb, no attributes", "ModifyLoadBalancerAttributes", "LoadBalancerArn", lbARN, nil, "ValidationError", "'attributes'"},
		{"modify tg, no attributes", "ModifyTargetGroupAttributes", "TargetGroupArn", tgARN, nil, "ValidationError", "'attributes'"},
		{"modify lb, attribute without key", "ModifyLoadBalancerAttributes", "LoadBalancerArn", lbARN, noKey, "ValidationError", "An attribute key must be specified"},
		{"modify tg, attribute without key", "ModifyTargetGroupAttributes", "TargetGroupArn", tgARN, noKey, "ValidationError", "An attribute key must be specified"},
		{"modify lb, stale arn", "ModifyLoadBalancerAttributes", "LoadBalancerArn", stale, key, "LoadBalancerNotFound", "Load balancer '" + stale + "' not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"Action": {tt.action}}
			if tt.arn != "" {
				form.Set(tt.member, tt.arn)
			}
			for k, v := range tt.attrs {
				form[k] = v
			}
			unchanged(t, env, func() {
				status, body := rawQuery(t, env, form)
				body = strings.ReplaceAll(body, "&#39;", "'")
				if status != 400 || !strings.Contains(body, "<Code>"+tt.code+"</Code>") || !strings.Contains(body, tt.text) {
					t.Fatalf("%d %s, want 400 %s with %q", status, body, tt.code, tt.text)
				}
			})
		})
	}
}
