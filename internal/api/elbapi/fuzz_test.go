package elbapi_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
)

// Resources that fuzzSetup creates, with the ids the counter gives them.
const (
	fuzzLB       = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0001020304050607"
	fuzzTG       = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/08090a0b0c0d0e0f"
	fuzzListener = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0001020304050607/1011121314151617"
	fuzzDefault  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/0001020304050607/1011121314151617/18191a1b1c1d1e1f"
	fuzzRule     = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/0001020304050607/1011121314151617/2021222324252627"
)

// FuzzOperations sends arbitrary form bodies to every ELBv2 operation of a service that holds
// a load balancer, a listener, a rule and a target group. No input may panic, and every failure
// must be a client error (4xx): a 500 would mean the server itself broke.
func FuzzOperations(f *testing.F) {
	svc := goldenService(f)
	for _, step := range [][2]string{
		{"CreateLoadBalancer", "Name=web"},
		{"CreateTargetGroup", "Name=blue&Protocol=HTTP&Port=80"},
		{"CreateListener", url.Values{"LoadBalancerArn": {fuzzLB}, "Protocol": {"HTTP"}, "Port": {"8080"},
			"DefaultActions.member.1.Type": {"forward"}, "DefaultActions.member.1.TargetGroupArn": {fuzzTG}}.Encode()},
		{"CreateRule", url.Values{"ListenerArn": {fuzzListener}, "Priority": {"10"}, "Conditions.member.1.Field": {"path-pattern"},
			"Conditions.member.1.Values.member.1": {"/a"}, "Actions.member.1.Type": {"forward"}, "Actions.member.1.TargetGroupArn": {fuzzTG}}.Encode()},
	} {
		form, _ := url.ParseQuery(step[1])
		if _, err := svc.Operations[step[0]](context.Background(), awsproto.Request{Form: form}); err != nil {
			f.Fatalf("%s: %v", step[0], err)
		}
	}
	ops := apitest.Operations(svc)
	seeds := []url.Values{
		{"Name": {"web2"}, "Subnets.member.1": {"s"}, "Scheme": {"internal"}, "Tags.member.1.Key": {"k"}},
		{"LoadBalancerArns.member.1": {fuzzLB}, "Names.member.1": {"web"}, "PageSize": {"1"}, "Marker": {"d2Vi"}},
		{"LoadBalancerArn": {fuzzLB}, "Attributes.member.1.Key": {"idle_timeout.timeout_seconds"}, "Attributes.member.1.Value": {"30"}},
		{"Name": {"green"}, "Protocol": {"HTTPS"}, "Port": {"443"}, "HealthCheckIntervalSeconds": {"0"}, "Matcher.HttpCode": {"200-299"}},
		{"TargetGroupArn": {fuzzTG}, "Targets.member.1.Id": {"i-1"}, "Targets.member.1.Port": {"8080"}, "HealthCheckPath": {"/h"}},
		{"TargetGroupArn": {fuzzTG}, "Attributes.member.1.Key": {"deregistration_delay.timeout_seconds"}, "Attributes.member.1.Value": {"0"}},
		{"LoadBalancerArn": {fuzzLB}, "Protocol": {"HTTPS"}, "Port": {"8443"}, "Certificates.member.1.CertificateArn": {"file:///nonexistent.pem"},
			"DefaultActions.member.1.Type": {"redirect"}, "DefaultActions.member.1.RedirectConfig.Protocol": {"HTTPS"}, "DefaultActions.member.1.RedirectConfig.StatusCode": {"HTTP_301"}},
		{"ListenerArn": {fuzzListener}, "Port": {"8081"}, "DefaultActions.member.1.Type": {"fixed-response"}, "DefaultActions.member.1.FixedResponseConfig.StatusCode": {"404"}},
		{"ListenerArn": {fuzzListener}, "Priority": {"20"}, "Conditions.member.1.Field": {"query-string"}, "Conditions.member.1.QueryStringConfig.Values.member.1.Value": {"x"},
			"Actions.member.1.Type": {"forward"}, "Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn": {fuzzTG},
			"Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight": {"5"}, "Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled": {"true"}},
		{"RuleArn": {fuzzRule}, "Conditions.member.1.Field": {"source-ip"}, "Conditions.member.1.SourceIpConfig.Values.member.1": {"10.0.0.0/8"}},
		{"RulePriorities.member.1.RuleArn": {fuzzRule}, "RulePriorities.member.1.Priority": {"3"}, "RulePriorities.member.2.RuleArn": {fuzzDefault}},
		{"ResourceArns.member.1": {fuzzLB}, "ResourceArns.member.2": {fuzzRule}, "Tags.member.1.Key": {"k"}, "TagKeys.member.1": {"k"}},
		{"ListenerArn": {fuzzListener}, "RuleArns.member.1": {fuzzDefault}},
		{"TargetGroupArn": {fuzzTG}, "Include.member.1": {"All"}, "Targets": {""}},
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s.Encode()))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return // the front door answers MalformedQueryString before any operation runs
		}
		op := ops[int(opIndex)%len(ops)]
		_, err = svc.Operations[op](context.Background(), awsproto.Request{Form: form})
		apitest.NoFault(t, svc, op, body, err)
	})
}
