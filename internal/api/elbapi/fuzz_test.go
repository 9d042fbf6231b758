package elbapi_test

import (
	"net/url"
	"testing"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// Resources that fuzzSetup creates, with the ids the counter of a fresh service gives them.
const (
	fuzzLB       = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0001020304050607"
	fuzzTG       = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/08090a0b0c0d0e0f"
	fuzzListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0001020304050607/1011121314151617"
	fuzzDefault  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/0001020304050607/1011121314151617/18191a1b1c1d1e1f"
	fuzzRule     = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/0001020304050607/1011121314151617/2021222324252627"
)

// fuzzSetup gives every input a load balancer, a listener, a rule and a target group.
var fuzzSetup = []apitest.Call{
	{Op: "CreateLoadBalancer", Body: "Name=web"},
	{Op: "CreateTargetGroup", Body: "Name=blue&Protocol=HTTP&Port=80"},
	{Op: "CreateListener", Body: url.Values{"LoadBalancerArn": {fuzzLB}, "Protocol": {"HTTP"}, "Port": {"8080"},
		"DefaultActions.member.1.Type": {"forward"}, "DefaultActions.member.1.TargetGroupArn": {fuzzTG}}.Encode()},
	{Op: "CreateRule", Body: url.Values{"ListenerArn": {fuzzListener}, "Priority": {"10"}, "Conditions.member.1.Field": {"path-pattern"},
		"Conditions.member.1.Values.member.1": {"/a"}, "Actions.member.1.Type": {"forward"}, "Actions.member.1.TargetGroupArn": {fuzzTG}}.Encode()},
}

// FuzzOperations sends arbitrary form bodies to every ELBv2 operation of a service that holds
// a load balancer, a listener, a rule and a target group, built afresh for each input. No
// input may panic, and every failure must be a client error (4xx): a 500 would mean the server
// itself broke.
func FuzzOperations(f *testing.F) {
	seeds := []struct {
		op   string
		form url.Values
	}{
		{"CreateLoadBalancer", url.Values{"Name": {"web2"}, "Subnets.member.1": {"s"}, "Scheme": {"internal"}, "Tags.member.1.Key": {"k"}}},
		{"DescribeLoadBalancers", url.Values{"LoadBalancerArns.member.1": {fuzzLB}, "Names.member.1": {"web"}, "PageSize": {"1"}, "Marker": {"d2Vi"}}},
		{"DescribeLoadBalancerAttributes", url.Values{"LoadBalancerArn": {fuzzLB}}},
		{"ModifyLoadBalancerAttributes", url.Values{"LoadBalancerArn": {fuzzLB}, "Attributes.member.1.Key": {"idle_timeout.timeout_seconds"}, "Attributes.member.1.Value": {"30"}}},
		{"DeleteLoadBalancer", url.Values{"LoadBalancerArn": {fuzzLB}}},
		{"CreateTargetGroup", url.Values{"Name": {"green"}, "Protocol": {"HTTPS"}, "Port": {"443"}, "HealthCheckIntervalSeconds": {"0"}, "Matcher.HttpCode": {"200-299"}}},
		{"DescribeTargetGroups", url.Values{"TargetGroupArns.member.1": {fuzzTG}, "Names.member.1": {"blue"}, "PageSize": {"1"}}},
		{"ModifyTargetGroup", url.Values{"TargetGroupArn": {fuzzTG}, "HealthCheckPath": {"/h"}, "HealthyThresholdCount": {"11"}}},
		{"DescribeTargetGroupAttributes", url.Values{"TargetGroupArn": {fuzzTG}}},
		{"ModifyTargetGroupAttributes", url.Values{"TargetGroupArn": {fuzzTG}, "Attributes.member.1.Key": {"deregistration_delay.timeout_seconds"}, "Attributes.member.1.Value": {"0"}}},
		{"DeleteTargetGroup", url.Values{"TargetGroupArn": {fuzzTG}}},
		{"RegisterTargets", url.Values{"TargetGroupArn": {fuzzTG}, "Targets.member.1.Id": {"i-1"}, "Targets.member.1.Port": {"8080"}}},
		{"DeregisterTargets", url.Values{"TargetGroupArn": {fuzzTG}, "Targets.member.1.Id": {"i-1"}}},
		{"DescribeTargetHealth", url.Values{"TargetGroupArn": {fuzzTG}, "Include.member.1": {"All"}, "Targets": {""}}},
		{"CreateListener", url.Values{"LoadBalancerArn": {fuzzLB}, "Protocol": {"HTTPS"}, "Port": {"8443"}, "Certificates.member.1.CertificateArn": {"file:///nonexistent.pem"},
			"DefaultActions.member.1.Type": {"redirect"}, "DefaultActions.member.1.RedirectConfig.Protocol": {"HTTPS"}, "DefaultActions.member.1.RedirectConfig.StatusCode": {"HTTP_301"}}},
		{"DescribeListeners", url.Values{"LoadBalancerArn": {fuzzLB}, "ListenerArns.member.1": {fuzzListener}}},
		{"ModifyListener", url.Values{"ListenerArn": {fuzzListener}, "Port": {"8081"}, "DefaultActions.member.1.Type": {"fixed-response"}, "DefaultActions.member.1.FixedResponseConfig.StatusCode": {"404"}}},
		{"DeleteListener", url.Values{"ListenerArn": {fuzzListener}}},
		{"CreateRule", url.Values{"ListenerArn": {fuzzListener}, "Priority": {"20"}, "Conditions.member.1.Field": {"query-string"}, "Conditions.member.1.QueryStringConfig.Values.member.1.Value": {"x"},
			"Actions.member.1.Type": {"forward"}, "Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn": {fuzzTG},
			"Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight": {"5"}, "Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled": {"true"}}},
		{"DescribeRules", url.Values{"ListenerArn": {fuzzListener}, "RuleArns.member.1": {fuzzDefault}}},
		{"ModifyRule", url.Values{"RuleArn": {fuzzRule}, "Conditions.member.1.Field": {"source-ip"}, "Conditions.member.1.SourceIpConfig.Values.member.1": {"10.0.0.0/8"}}},
		{"SetRulePriorities", url.Values{"RulePriorities.member.1.RuleArn": {fuzzRule}, "RulePriorities.member.1.Priority": {"3"}, "RulePriorities.member.2.RuleArn": {fuzzDefault}}},
		{"DeleteRule", url.Values{"RuleArn": {fuzzRule}}},
		{"AddTags", url.Values{"ResourceArns.member.1": {fuzzLB}, "ResourceArns.member.2": {fuzzRule}, "Tags.member.1.Key": {"k"}, "Tags.member.1.Value": {"v"}}},
		{"DescribeTags", url.Values{"ResourceArns.member.1": {fuzzLB}, "ResourceArns.member.2": {fuzzTG}}},
		{"RemoveTags", url.Values{"ResourceArns.member.1": {fuzzLB}, "TagKeys.member.1": {"k"}}},
	}
	calls := make([]apitest.Call, len(seeds))
	for i, s := range seeds {
		calls[i] = apitest.Call{Op: s.op, Body: s.form.Encode()}
	}
	apitest.FuzzQuery(f, goldenService, fuzzSetup, calls)
}
