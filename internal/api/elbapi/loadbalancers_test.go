package elbapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

func TestCreateAndDescribeLoadBalancer(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	lb := createLB(t, env, "web")
	arn := aws.ToString(lb.LoadBalancerArn)
	if len(arn) != len(arnPrefix+"loadbalancer/app/web/")+16 || arn[:len(arnPrefix)+len("loadbalancer/app/web/")] != arnPrefix+"loadbalancer/app/web/" {
		t.Fatalf("ARN %s", arn)
	}
	if aws.ToString(lb.DNSName) != "127.0.0.1" || lb.State.Code != types.LoadBalancerStateEnumActive || lb.Type != types.LoadBalancerTypeEnumApplication ||
		lb.Scheme != types.LoadBalancerSchemeEnumInternetFacing || lb.IpAddressType != types.IpAddressTypeIpv4 || aws.ToString(lb.VpcId) == "" {
		t.Fatalf("load balancer %+v", lb)
	}
	if time.Since(aws.ToTime(lb.CreatedTime)) > time.Minute || len(lb.AvailabilityZones) != 2 || aws.ToString(lb.AvailabilityZones[1].SubnetId) != "subnet-b" ||
		aws.ToString(lb.AvailabilityZones[1].ZoneName) != "us-east-1b" || len(lb.SecurityGroups) != 1 {
		t.Fatalf("created %v zones %+v", lb.CreatedTime, lb.AvailabilityZones)
	}

	again := createLB(t, env, "web")
	if aws.ToString(again.LoadBalancerArn) != arn {
		t.Fatalf("creating it again with the same settings must return it: %s", aws.ToString(again.LoadBalancerArn))
	}
	for _, in := range []elbv2.DescribeLoadBalancersInput{{Names: []string{"web"}}, {LoadBalancerArns: []string{arn}}, {}} {
		out, err := env.ELBV2.DescribeLoadBalancers(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.LoadBalancers) != 1 || aws.ToString(out.LoadBalancers[0].LoadBalancerArn) != arn {
			t.Fatalf("describe %+v: %+v", in, out.LoadBalancers)
		}
	}
}

func TestLoadBalancerErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	lb := createLB(t, env, "web")
	ghost := arnPrefix + "loadbalancer/app/ghost/0123456789abcdef"
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"other settings", func() error {
			_, err := env.ELBV2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Scheme: types.LoadBalancerSchemeEnumInternal})
			return err
		}, "DuplicateLoadBalancerName"},
		{"network", func() error {
			_, err := env.ELBV2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("nlb"), Type: types.LoadBalancerTypeEnumNetwork})
			return err
		}, "ValidationError"},
		{"bad name", func() error {
			_, err := env.ELBV2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("-web")})
			return err
		}, "ValidationError"},
		{"subnets twice", func() error {
			_, err := env.ELBV2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("x"), Subnets: []string{"a"},
				SubnetMappings: []types.SubnetMapping{{SubnetId: aws.String("b")}}})
			return err
		}, "ValidationError"},
		{"describe missing arn", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn), ghost}})
			return err
		}, "LoadBalancerNotFound"},
		{"describe missing name", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"ghost"}})
			return err
		}, "LoadBalancerNotFound"},
		{"names and arns", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}, LoadBalancerArns: []string{ghost}})
			return err
		}, "ValidationError"},
		{"malformed arn", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{"web"}})
			return err
		}, "ValidationError"},
		{"bad marker", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Marker: aws.String("!!")})
			return err
		}, "ValidationError"},
		{"page size 401", func() error {
			_, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(401)})
			return err
		}, "ValidationError"},
		{"attributes of a missing one", func() error {
			_, err := env.ELBV2.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(ghost)})
			return err
		}, "LoadBalancerNotFound"},
		{"bad attribute value", func() error {
			_, err := env.ELBV2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
				Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("0")}}})
			return err
		}, "InvalidConfigurationRequest"},
		{"unknown attribute", func() error {
			_, err := env.ELBV2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
				Attributes: []types.LoadBalancerAttribute{{Key: aws.String("bogus"), Value: aws.String("1")}}})
			return err
		}, "ValidationError"},
		{"modify a missing one", func() error {
			_, err := env.ELBV2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(ghost),
				Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("5")}}})
			return err
		}, "LoadBalancerNotFound"},
		{"delete malformed", func() error {
			_, err := env.ELBV2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String("web")})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
}

func TestLoadBalancerAttributesAndDelete(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	lb := createLB(t, env, "web")
	tg := createTG(t, env, "blue")
	l := createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(tg.TargetGroupArn))
	createRule(t, env, aws.ToString(l.ListenerArn), 10, aws.ToString(tg.TargetGroupArn))

	attrs, err := env.ELBV2.DescribeLoadBalancerAttributes(ctx, &elbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range attrs.Attributes {
		got[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	for k, v := range map[string]string{"idle_timeout.timeout_seconds": "60", "routing.http2.enabled": "true", "deletion_protection.enabled": "false", "access_logs.s3.bucket": ""} {
		if got[k] != v {
			t.Fatalf("attribute %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	mod, err := env.ELBV2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}}})
	if err != nil || len(mod.Attributes) != len(attrs.Attributes) {
		t.Fatalf("modify: %v %v", mod, err)
	}
	unchanged(t, env, func() {
		_, err = env.ELBV2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
		wantCode(t, err, "OperationNotPermitted")
	})
	if _, err := env.ELBV2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}}}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // deleting a deleted load balancer succeeds
		if _, err := env.ELBV2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
			t.Fatal(err)
		}
	}
	if s := snapshot(t, env); len(s["load balancers"])+len(s["listeners"])+len(s["ports"])+len(s["rules"]) != 0 {
		t.Fatalf("objects left behind: %v", s)
	}
	// The port is free again, and the target group unused.
	lb2 := createLB(t, env, "web2")
	createListener(t, env, aws.ToString(lb2.LoadBalancerArn), 8080, aws.ToString(tg.TargetGroupArn))
}

func TestDescribeLoadBalancersPaginates(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	var want []string
	for i := range 5 {
		want = append(want, aws.ToString(createLB(t, env, fmt.Sprintf("lb%d", i)).LoadBalancerArn))
	}
	var got []string
	pages := elbv2.NewDescribeLoadBalancersPaginator(env.ELBV2, &elbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(2)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(apitest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, lb := range page.LoadBalancers {
			got = append(got, aws.ToString(lb.LoadBalancerArn))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" || n != 3 {
		t.Fatalf("pages %d, diff (-want +got):\n%s", n, diff)
	}
}

// TestLoadBalancerStateShowsFailedListener checks that a listener the data plane cannot serve
// (lbsync records why) makes DescribeLoadBalancers report the load balancer failed, with the
// reason, and active again once it serves.
func TestLoadBalancerStateShowsFailedListener(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	out, err := env.ELBV2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	lbARN := aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
	created, err := env.ELBV2.CreateListener(ctx, fixedListener(lbARN, 18081))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := elb.ParseListenerARN(aws.ToString(created.Listeners[0].ListenerArn))
	if err != nil {
		t.Fatal(err)
	}
	setFailure := func(failure string) {
		t.Helper()
		if _, err := env.Store.Listeners.Update(ctx, store.ListenerID(ref), func(l *elb.Listener) error {
			l.Failure = failure
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	state := func() types.LoadBalancerState {
		t.Helper()
		d, err := env.ELBV2.DescribeLoadBalancers(ctx, &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		return *d.LoadBalancers[0].State
	}
	setFailure("listen tcp 127.0.0.1:18081: bind: address already in use")
	if s := state(); s.Code != types.LoadBalancerStateEnumFailed ||
		aws.ToString(s.Reason) != "listener HTTP:18081 cannot serve: listen tcp 127.0.0.1:18081: bind: address already in use" {
		t.Fatalf("state %s %q", s.Code, aws.ToString(s.Reason))
	}
	setFailure("")
	if s := state(); s.Code != types.LoadBalancerStateEnumActive || s.Reason != nil {
		t.Fatalf("state %s %q once the listener serves", s.Code, aws.ToString(s.Reason))
	}
}

// fixedListener asks for an HTTP listener on port that answers 200 itself.
func fixedListener(lbARN string, port int) *elbv2.CreateListenerInput {
	return &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(int32(port)),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}}}}
}
