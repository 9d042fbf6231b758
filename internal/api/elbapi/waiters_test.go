package elbapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

// How long the waiters in these tests wait: briefly when the test expects them to keep
// waiting, long enough for a slow (race-detector) run when it expects an outcome.
const (
	keepsWaiting = 150 * time.Millisecond
	settles      = 10 * time.Second
)

const (
	minDelay = 2 * time.Millisecond
	maxDelay = 10 * time.Millisecond
)

// outcome is "" when the waiter succeeded, "waiting" when it ran out of time, or the error.
func outcome(err error) string {
	switch {
	case err == nil:
		return ""
	case strings.Contains(err.Error(), "exceeded max wait time"), strings.Contains(err.Error(), "context deadline exceeded"):
		return "waiting"
	}
	return err.Error()
}

func TestLoadBalancerWaiters(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	available := elbv2.NewLoadBalancerAvailableWaiter(env.ELBV2, func(o *elbv2.LoadBalancerAvailableWaiterOptions) { o.MinDelay, o.MaxDelay = minDelay, maxDelay })
	exists := elbv2.NewLoadBalancerExistsWaiter(env.ELBV2, func(o *elbv2.LoadBalancerExistsWaiterOptions) { o.MinDelay, o.MaxDelay = minDelay, maxDelay })
	deleted := elbv2.NewLoadBalancersDeletedWaiter(env.ELBV2, func(o *elbv2.LoadBalancersDeletedWaiterOptions) { o.MinDelay, o.MaxDelay = minDelay, maxDelay })
	byName := &elbv2.DescribeLoadBalancersInput{Names: []string{"web"}}

	if got := outcome(available.Wait(ctx, byName, keepsWaiting)); got != "waiting" {
		t.Fatalf("LoadBalancerAvailable before it exists: %q", got)
	}
	if got := outcome(deleted.Wait(ctx, byName, settles)); got != "" {
		t.Fatalf("LoadBalancersDeleted before it exists: %q", got)
	}
	lb := createLB(t, env, "web")
	for name, wait := range map[string]func() error{
		"available": func() error { return available.Wait(ctx, byName, settles) },
		"exists":    func() error { return exists.Wait(ctx, byName, settles) },
	} {
		if got := outcome(wait()); got != "" {
			t.Fatalf("%s: %q", name, got)
		}
	}
	if got := outcome(deleted.Wait(ctx, byName, keepsWaiting)); got != "waiting" {
		t.Fatalf("LoadBalancersDeleted while it exists: %q", got)
	}
	if _, err := env.ELBV2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn}); err != nil {
		t.Fatal(err)
	}
	if got := outcome(deleted.Wait(ctx, &elbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{aws.ToString(lb.LoadBalancerArn)}}, settles)); got != "" {
		t.Fatalf("LoadBalancersDeleted: %q", got)
	}
}

func TestTargetWaiters(t *testing.T) {
	t.Parallel()
	env := newRuleEnv(t)
	ctx := apitest.Context(t)
	inService := elbv2.NewTargetInServiceWaiter(env.ELBV2, func(o *elbv2.TargetInServiceWaiterOptions) { o.MinDelay, o.MaxDelay = minDelay, maxDelay })
	deregistered := elbv2.NewTargetDeregisteredWaiter(env.ELBV2, func(o *elbv2.TargetDeregisteredWaiterOptions) { o.MinDelay, o.MaxDelay = minDelay, maxDelay })
	ts := []types.TargetDescription{target("i-1", 8080), target("i-2", 8080)}
	in := &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(env.blue), Targets: ts}

	if got := outcome(deregistered.Wait(ctx, in, settles)); got != "" {
		t.Fatalf("TargetDeregistered for targets never registered: %q", got)
	}
	if _, err := env.ELBV2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(env.blue), Targets: ts}); err != nil {
		t.Fatal(err)
	}
	if got := outcome(inService.Wait(ctx, in, keepsWaiting)); got != "waiting" {
		t.Fatalf("TargetInService right after registration: %q", got)
	}
	setHealth(t, env.Env, "blue", "i-1", 8080, elb.TargetHealth{State: elb.TargetHealthy})
	if got := outcome(inService.Wait(ctx, in, keepsWaiting)); got != "waiting" {
		t.Fatalf("TargetInService with one of two healthy: %q", got)
	}
	setHealth(t, env.Env, "blue", "i-2", 8080, elb.TargetHealth{State: elb.TargetHealthy})
	if got := outcome(inService.Wait(ctx, in, settles)); got != "" {
		t.Fatalf("TargetInService with both healthy: %q", got)
	}

	if _, err := env.ELBV2.DeregisterTargets(ctx, &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(env.blue), Targets: ts}); err != nil {
		t.Fatal(err)
	}
	if got := outcome(deregistered.Wait(ctx, in, keepsWaiting)); got != "waiting" {
		t.Fatalf("TargetDeregistered while draining: %q", got)
	}
	// The controller removes a registration once its target drained.
	for _, td := range ts {
		id := store.TargetRegistrationID("blue", elb.Target{ID: aws.ToString(td.Id), Port: int(aws.ToInt32(td.Port))})
		if err := env.Store.TargetRegistrations.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := outcome(deregistered.Wait(ctx, in, settles)); got != "" {
		t.Fatalf("TargetDeregistered after draining: %q", got)
	}
	invalid := &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(env.blue), Targets: []types.TargetDescription{target("not valid", 0)}}
	if got := outcome(deregistered.Wait(ctx, invalid, settles)); got != "" {
		t.Fatalf("TargetDeregistered treats InvalidTarget as success: %q", got)
	}
}
