package elbapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

const acmARN = "arn:aws:acm:us-east-1:000000000000:certificate/site"

// writeCertificate puts the files of acmARN into the environment's certificate directory. The
// API checks that they exist; their contents are the data plane's business.
func writeCertificate(t *testing.T, env *apitest.Env) {
	t.Helper()
	for _, ext := range []string{".crt", ".key"} {
		if err := os.WriteFile(filepath.Join(env.CertificateDir, "site"+ext), []byte("PEM"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCreateAndDescribeListener(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	writeCertificate(t, env)
	lb := createLB(t, env, "web")
	lbARN := aws.ToString(lb.LoadBalancerArn)
	blue, green := createTG(t, env, "blue"), createTG(t, env, "green")
	l := createListener(t, env, lbARN, 8080, aws.ToString(blue.TargetGroupArn))
	wantPrefix := arnPrefix + "listener/app/web/" + lbARN[len(lbARN)-16:] + "/"
	if arn := aws.ToString(l.ListenerArn); !strings.HasPrefix(arn, wantPrefix) || len(arn) != len(wantPrefix)+16 {
		t.Fatalf("listener ARN %s", arn)
	}
	if a := l.DefaultActions[0]; a.Type != "forward" || aws.ToString(a.TargetGroupArn) != aws.ToString(blue.TargetGroupArn) ||
		len(a.ForwardConfig.TargetGroups) != 1 || aws.ToInt32(a.ForwardConfig.TargetGroups[0].Weight) != 1 || aws.ToBool(a.ForwardConfig.TargetGroupStickinessConfig.Enabled) {
		t.Fatalf("default action %+v", a)
	}
	again := createListener(t, env, lbARN, 8080, aws.ToString(blue.TargetGroupArn))
	if aws.ToString(again.ListenerArn) != aws.ToString(l.ListenerArn) {
		t.Fatal("creating the same listener again must return it")
	}
	https, err := env.ELBV2.CreateListener(ctx, &elbv2.CreateListenerInput{
		LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(8443),
		Certificates: []types.Certificate{{CertificateArn: aws.String(acmARN)}},
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{
				{TargetGroupArn: blue.TargetGroupArn, Weight: aws.Int32(90)}, {TargetGroupArn: green.TargetGroupArn, Weight: aws.Int32(10)},
			},
			TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(60)},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := https.Listeners[0]
	if aws.ToString(h.SslPolicy) != "ELBSecurityPolicy-2016-08" || len(h.Certificates) != 1 || aws.ToString(h.Certificates[0].CertificateArn) != acmARN {
		t.Fatalf("https listener %+v", h)
	}
	if f := h.DefaultActions[0]; f.TargetGroupArn != nil || len(f.ForwardConfig.TargetGroups) != 2 || aws.ToInt32(f.ForwardConfig.TargetGroupStickinessConfig.DurationSeconds) != 60 {
		t.Fatalf("weighted action %+v", f)
	}
	out, err := env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil || len(out.Listeners) != 2 || aws.ToInt32(out.Listeners[0].Port) != 8080 || aws.ToInt32(out.Listeners[1].Port) != 8443 {
		t.Fatalf("describe by load balancer: %+v %v", out, err)
	}
	out, err = env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{aws.ToString(h.ListenerArn)}})
	if err != nil || len(out.Listeners) != 1 || len(out.Listeners[0].DefaultActions[0].ForwardConfig.TargetGroups) != 2 {
		t.Fatalf("describe by ARN: %+v %v", out, err)
	}
	tgs, err := env.ELBV2.DescribeTargetGroups(ctx, &elbv2.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil || len(tgs.TargetGroups) != 2 {
		t.Fatalf("both groups are in use: %+v %v", tgs, err)
	}
	rules, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn})
	if err != nil || len(rules.Rules) != 1 || !aws.ToBool(rules.Rules[0].IsDefault) || aws.ToString(rules.Rules[0].Priority) != "default" {
		t.Fatalf("default rule: %+v %v", rules, err)
	}
}

func TestModifyAndDeleteListener(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	writeCertificate(t, env)
	lb := createLB(t, env, "web")
	blue, green := createTG(t, env, "blue"), createTG(t, env, "green")
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(blue.TargetGroupArn))
	out, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{
		ListenerArn: l.ListenerArn, Port: aws.Int32(8443), Protocol: types.ProtocolEnumHttps,
		Certificates: []types.Certificate{{CertificateArn: aws.String(acmARN)}}, DefaultActions: forward(aws.ToString(green.TargetGroupArn)),
	})
	if err != nil {
		t.Fatal(err)
	}
	m := out.Listeners[0]
	if aws.ToInt32(m.Port) != 8443 || m.Protocol != types.ProtocolEnumHttps || aws.ToString(m.DefaultActions[0].TargetGroupArn) != aws.ToString(green.TargetGroupArn) {
		t.Fatalf("modified %+v", m)
	}
	rules, err := env.ELBV2.DescribeRules(ctx, &elbv2.DescribeRulesInput{ListenerArn: l.ListenerArn})
	if err != nil || aws.ToString(rules.Rules[0].Actions[0].TargetGroupArn) != aws.ToString(green.TargetGroupArn) {
		t.Fatalf("the default rule follows the default actions: %+v %v", rules, err)
	}
	// The old port is free, the new one taken.
	createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(blue.TargetGroupArn))
	if s := snapshot(t, env); len(s["ports"]) != 2 {
		t.Fatalf("port claims %v", s["ports"])
	}
	if _, err := env.ELBV2.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: l.ListenerArn}); err != nil {
		t.Fatal(err)
	}
	if s := snapshot(t, env); len(s["ports"]) != 1 || len(s["listeners"]) != 1 || len(s["rules"]) != 1 {
		t.Fatalf("after delete: %v", s)
	}
	_, err = env.ELBV2.DeleteListener(ctx, &elbv2.DeleteListenerInput{ListenerArn: l.ListenerArn})
	wantCode(t, err, "ListenerNotFound")
}

func TestListenerErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	writeCertificate(t, env)
	lb, other := createLB(t, env, "web"), createLB(t, env, "other")
	blue, h2 := createTG(t, env, "blue"), createTG(t, env, "h2", func(in *elbv2.CreateTargetGroupInput) { in.ProtocolVersion = aws.String("HTTP2") })
	used := createTG(t, env, "used")
	createListener(t, env, aws.ToString(other.LoadBalancerArn), 9000, aws.ToString(used.TargetGroupArn))
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(blue.TargetGroupArn))
	ghostTG := arnPrefix + "targetgroup/ghost/0123456789abcdef"
	create := func(mod func(*elbv2.CreateListenerInput)) func() error {
		return func() error {
			in := &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancerArn, Protocol: types.ProtocolEnumHttp, Port: aws.Int32(8081), DefaultActions: forward(aws.ToString(blue.TargetGroupArn))}
			mod(in)
			_, err := env.ELBV2.CreateListener(ctx, in)
			return err
		}
	}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"same port, other settings", create(func(in *elbv2.CreateListenerInput) {
			in.Port, in.DefaultActions = aws.Int32(8080), forward(aws.ToString(used.TargetGroupArn))
		}), "DuplicateListener"},
		{"same port, other action", create(func(in *elbv2.CreateListenerInput) {
			in.Port = aws.Int32(8080)
			in.DefaultActions = []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("404")}}}
		}), "DuplicateListener"},
		{"port of another load balancer", create(func(in *elbv2.CreateListenerInput) { in.Port = aws.Int32(9000) }), "DuplicateListener"},
		{"missing load balancer", create(func(in *elbv2.CreateListenerInput) {
			in.LoadBalancerArn = aws.String(arnPrefix + "loadbalancer/app/x/0123456789abcdef")
		}), "LoadBalancerNotFound"},
		{"missing target group", create(func(in *elbv2.CreateListenerInput) { in.DefaultActions = forward(ghostTG) }), "TargetGroupNotFound"},
		{"group of another load balancer", create(func(in *elbv2.CreateListenerInput) { in.DefaultActions = forward(aws.ToString(used.TargetGroupArn)) }), "TargetGroupAssociationLimit"},
		{"http2 group behind http", create(func(in *elbv2.CreateListenerInput) { in.DefaultActions = forward(aws.ToString(h2.TargetGroupArn)) }), "IncompatibleProtocols"},
		{"tcp", create(func(in *elbv2.CreateListenerInput) { in.Protocol = types.ProtocolEnumTcp }), "UnsupportedProtocol"},
		{"https without certificate", create(func(in *elbv2.CreateListenerInput) { in.Protocol = types.ProtocolEnumHttps }), "ValidationError"},
		{"missing certificate file", create(func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String(acmARN + "2")}}
		}), "CertificateNotFound"},
		{"unknown ssl policy", create(func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates, in.SslPolicy = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String(acmARN)}}, aws.String("Modern")
		}), "SSLPolicyNotFound"},
		{"two certificates", create(func(in *elbv2.CreateListenerInput) {
			in.Protocol, in.Certificates = types.ProtocolEnumHttps, []types.Certificate{{CertificateArn: aws.String(acmARN)}, {CertificateArn: aws.String(acmARN)}}
		}), "TooManyCertificates"},
		{"authenticate action", create(func(in *elbv2.CreateListenerInput) {
			in.DefaultActions = []types.Action{{Type: types.ActionTypeEnumAuthenticateOidc}}
		}), "ValidationError"},
		{"redirect to itself", create(func(in *elbv2.CreateListenerInput) {
			in.DefaultActions = []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{StatusCode: types.RedirectActionStatusCodeEnumHttp301}}}
		}), "InvalidLoadBalancerAction"},
		{"describe with neither", func() error {
			_, err := env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{})
			return err
		}, "ValidationError"},
		{"describe missing", func() error {
			_, err := env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{aws.ToString(l.ListenerArn) + "0"}})
			return err
		}, "ValidationError"},
		{"describe a listener of a missing load balancer", func() error {
			_, err := env.ELBV2.DescribeListeners(ctx, &elbv2.DescribeListenersInput{ListenerArns: []string{arnPrefix + "listener/app/x/0123456789abcdef/0123456789abcdef"}})
			return err
		}, "ListenerNotFound"},
		{"modify to a taken port", func() error {
			_, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Port: aws.Int32(9000)})
			return err
		}, "DuplicateListener"},
		{"modify to https without certificate", func() error {
			_, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Protocol: types.ProtocolEnumHttps})
			return err
		}, "ValidationError"},
		{"modify to a missing group", func() error {
			_, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, DefaultActions: forward(ghostTG)})
			return err
		}, "TargetGroupNotFound"},
		{"modify a missing listener", func() error {
			_, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(arnPrefix + "listener/app/x/0123456789abcdef/0123456789abcdef"), Port: aws.Int32(1)})
			return err
		}, "ListenerNotFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
}
