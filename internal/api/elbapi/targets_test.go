package elbapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

func targets(specs ...types.TargetDescription) []types.TargetDescription { return specs }

func target(id string, port int32) types.TargetDescription {
	td := types.TargetDescription{Id: aws.String(id)}
	if port != 0 {
		td.Port = aws.Int32(port)
	}
	return td
}

// setHealth writes a target's health into the store, as the lbsync controller does.
func setHealth(t *testing.T, env *apitest.Env, group, id string, port int, h elb.TargetHealth) {
	t.Helper()
	_, err := env.Store.TargetRegistrations.Update(apitest.Context(t), store.TargetRegistrationID(group, elb.Target{ID: id, Port: port}),
		func(r *elb.Registration) error {
			r.Health = h
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

type health struct {
	id     string
	port   int32
	state  types.TargetHealthStateEnum
	reason types.TargetHealthReasonEnum
}

func describeHealth(t *testing.T, env *apitest.Env, tgARN *string, filter ...types.TargetDescription) []health {
	t.Helper()
	out, err := env.ELBV2.DescribeTargetHealth(apitest.Context(t), &elbv2.DescribeTargetHealthInput{TargetGroupArn: tgARN, Targets: filter})
	if err != nil {
		t.Fatal(err)
	}
	var got []health
	for _, d := range out.TargetHealthDescriptions {
		got = append(got, health{aws.ToString(d.Target.Id), aws.ToInt32(d.Target.Port), d.TargetHealth.State, d.TargetHealth.Reason})
	}
	return got
}

func wantHealth(t *testing.T, got []health, want ...health) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("health %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("health %+v, want %+v", got, want)
		}
	}
}

func TestTargetRegistration(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue", func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumIp })
	arn := tg.TargetGroupArn
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: arn, Targets: targets(target("127.0.0.1", 8080), target("127.0.0.2", 0))}); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeHealth(t, env, arn),
		health{"127.0.0.1", 8080, "unused", "Target.NotInUse"}, health{"127.0.0.2", 80, "unused", "Target.NotInUse"})

	lb := createLB(t, env, "web")
	createListener(t, env, aws.ToString(lb.LoadBalancerArn), 8080, aws.ToString(arn))
	wantHealth(t, describeHealth(t, env, arn),
		health{"127.0.0.1", 8080, "initial", "Elb.RegistrationInProgress"}, health{"127.0.0.2", 80, "initial", "Elb.RegistrationInProgress"})
	setHealth(t, env, "blue", "127.0.0.1", 8080, elb.TargetHealth{State: elb.TargetHealthy})
	setHealth(t, env, "blue", "127.0.0.2", 80, elb.TargetHealth{State: elb.TargetUnhealthy, Reason: elb.ReasonResponseCodeMismatch, Description: "Health checks failed with these codes: [502]"})
	wantHealth(t, describeHealth(t, env, arn, target("127.0.0.1", 8080), target("127.0.0.3", 0)),
		health{"127.0.0.1", 8080, "healthy", ""}, health{"127.0.0.3", 80, "unused", "Target.NotRegistered"})

	// Registering again changes nothing; deregistering drains; unknown targets are ignored.
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: arn, Targets: targets(target("127.0.0.1", 8080))}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ELBV2.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: arn, Targets: targets(target("127.0.0.2", 0), target("127.0.0.9", 0))}); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeHealth(t, env, arn),
		health{"127.0.0.1", 8080, "healthy", ""}, health{"127.0.0.2", 80, "draining", "Target.DeregistrationInProgress"})
	reg, err := env.Store.TargetRegistrations.Get(ctx, store.TargetRegistrationID("blue", elb.Target{ID: "127.0.0.2", Port: 80}))
	if err != nil || !reg.Value.Draining || reg.Value.DeregisteredAt.IsZero() {
		t.Fatalf("draining registration %+v %v", reg, err)
	}
	// A draining target registered again starts over.
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: arn, Targets: targets(target("127.0.0.2", 0))}); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeHealth(t, env, arn, target("127.0.0.2", 0)), health{"127.0.0.2", 80, "initial", "Elb.RegistrationInProgress"})
}

func TestDeregisterFromUnusedGroup(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue")
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: targets(target("i-1", 0))}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ELBV2.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: targets(target("i-1", 0))}); err != nil {
		t.Fatal(err)
	}
	wantHealth(t, describeHealth(t, env, tg.TargetGroupArn))
}

func TestTargetErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	ip := createTG(t, env, "blue", func(in *elbv2.CreateTargetGroupInput) { in.TargetType = types.TargetTypeEnumIp })
	ghost := aws.String(arnPrefix + "targetgroup/ghost/0123456789abcdef")
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"not an ip", func() error {
			_, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: ip.TargetGroupArn, Targets: targets(target("i-1", 0))})
			return err
		}, "InvalidTarget"},
		{"port 0 of many", func() error {
			_, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: ip.TargetGroupArn,
				Targets: targets(target("10.0.0.1", 80), target("10.0.0.2", 70000))})
			return err
		}, "InvalidTarget"},
		{"missing group", func() error {
			_, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: ghost, Targets: targets(target("10.0.0.1", 80))})
			return err
		}, "TargetGroupNotFound"},
		{"deregister invalid", func() error {
			_, err := env.ELBV2.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: ip.TargetGroupArn, Targets: targets(target("x y", 0))})
			return err
		}, "InvalidTarget"},
		{"deregister from missing group", func() error {
			_, err := env.ELBV2.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: ghost, Targets: targets(target("10.0.0.1", 0))})
			return err
		}, "TargetGroupNotFound"},
		{"health of an invalid target", func() error {
			_, err := env.ELBV2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: ip.TargetGroupArn, Targets: targets(target("i-1", 0))})
			return err
		}, "InvalidTarget"},
		{"health of a missing group", func() error {
			_, err := env.ELBV2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: ghost})
			return err
		}, "TargetGroupNotFound"},
		{"bad include", func() error {
			_, err := env.ELBV2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: ip.TargetGroupArn, Include: []types.DescribeTargetHealthInputIncludeEnum{"Everything"}})
			return err
		}, "ValidationError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unchanged(t, env, func() { wantCode(t, tt.call(), tt.want) })
		})
	}
	unchanged(t, env, func() {
		status, body := rawQuery(t, env, url.Values{"Action": {"RegisterTargets"}, "TargetGroupArn": {aws.ToString(ip.TargetGroupArn)}, "Targets": {""}})
		if status != 400 || !strings.Contains(body, "<Code>ValidationError</Code>") {
			t.Fatalf("no targets: %d %s", status, body)
		}
	})
}

func TestTooManyTargets(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tg := createTG(t, env, "blue")
	for batch := range elb.MaxTargetsPerGroup / 100 {
		var ts []types.TargetDescription
		for i := range 100 {
			ts = append(ts, target("i-1", int32(1+batch*100+i)))
		}
		if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: ts}); err != nil {
			t.Fatal(err)
		}
	}
	unchanged(t, env, func() {
		_, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: targets(target("i-2", 0))})
		wantCode(t, err, "TooManyTargets")
	})
}
