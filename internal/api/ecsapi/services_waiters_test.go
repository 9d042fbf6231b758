package ecsapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// Waiter outcomes as the SDK reports them.
const (
	waiterTimedOut = "exceeded max wait time"
	waiterFailed   = "waiter state transitioned to Failure"
)

// How long the waiters in these tests wait: briefly when the test expects them to keep
// waiting, long enough for a slow (race-detector) run when it expects an outcome.
const (
	keepsWaiting = 150 * time.Millisecond
	settles      = 10 * time.Second
)

// fastWaiter makes the SDK waiters poll every few milliseconds.
func fastWaiter[O any](set func(o *O, minDelay, maxDelay time.Duration)) func(*O) {
	return func(o *O) { set(o, 2*time.Millisecond, 10*time.Millisecond) }
}

// waiterOutcome is "" for success, else waiterTimedOut (the SDK reports running out of time
// either way) or waiterFailed, or the error text.
func waiterOutcome(err error) string {
	switch {
	case err == nil:
		return ""
	case strings.Contains(err.Error(), waiterTimedOut), strings.Contains(err.Error(), "context deadline exceeded"):
		return waiterTimedOut
	case strings.Contains(err.Error(), waiterFailed):
		return waiterFailed
	}
	return err.Error()
}

func waitServicesStable(t *testing.T, env *apitest.Env, wait time.Duration, names ...string) string {
	t.Helper()
	w := ecssdk.NewServicesStableWaiter(env.ECS, fastWaiter(func(o *ecssdk.ServicesStableWaiterOptions, minDelay, maxDelay time.Duration) {
		o.MinDelay, o.MaxDelay = minDelay, maxDelay
	}))
	err := w.Wait(apitest.Context(t), &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: names}, wait)
	return waiterOutcome(err)
}

func TestServicesStableWaiter(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	first := aws.ToString(createService(t, env, "web", 2).Deployments[0].Id)
	if got := waitServicesStable(t, env, keepsWaiting, "web"); got != waiterTimedOut {
		t.Fatalf("no task running yet: waiter %q, want it to keep waiting", got)
	}
	putTask(t, env, "c", "a1", "web", first, ecs.TaskRunning, ecs.TaskRunning)
	putTask(t, env, "c", "a2", "web", first, ecs.TaskPending, ecs.TaskRunning)
	if got := waitServicesStable(t, env, keepsWaiting, "web"); got != waiterTimedOut {
		t.Fatalf("one of two running: waiter %q", got)
	}
	setTaskStatus(t, env, "c", "a2", ecs.TaskRunning)
	if got := waitServicesStable(t, env, settles, "web"); got != "" {
		t.Fatalf("two of two running: waiter %q, want success", got)
	}

	// A new deployment: the very first poll after UpdateService must not see a stable service.
	if _, err := env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("c"), Service: aws.String("web"), TaskDefinition: aws.String("web:2")}); err != nil {
		t.Fatal(err)
	}
	if got := waitServicesStable(t, env, keepsWaiting, "web"); got != waiterTimedOut {
		t.Fatalf("two deployments: waiter %q", got)
	}
	// The scheduler's work, done by hand: old deployment gone, new tasks running.
	if _, err := env.Store.Services.Update(ctx, store.ServiceID("c", "web"), func(s *ecs.Service) error {
		s.Deployments = s.Deployments[:1]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	second := aws.ToString(describeService(t, env, "web").Deployments[0].Id)
	for _, id := range []string{"a1", "a2"} {
		stopTaskInStore(t, env, "c", id)
	}
	putTask(t, env, "c", "b1", "web", second, ecs.TaskRunning, ecs.TaskRunning)
	putTask(t, env, "c", "b2", "web", second, ecs.TaskRunning, ecs.TaskRunning)
	if got := waitServicesStable(t, env, settles, "web"); got != "" {
		t.Fatalf("new deployment done: waiter %q, want success", got)
	}
}

func TestServicesStableWaiterFailures(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	createService(t, env, "web", 0)
	if got := waitServicesStable(t, env, settles, "web"); got != "" {
		t.Fatalf("zero desired, zero running: waiter %q, want success", got)
	}
	if got := waitServicesStable(t, env, settles, "web", "ghost"); got != waiterFailed {
		t.Fatalf("MISSING service: waiter %q, want failure", got)
	}
	if _, err := env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("c"), Service: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	if got := waitServicesStable(t, env, settles, "web"); got != waiterFailed {
		t.Fatalf("DRAINING service: waiter %q, want failure", got)
	}
	inactive := ecssdk.NewServicesInactiveWaiter(env.ECS, fastWaiter(func(o *ecssdk.ServicesInactiveWaiterOptions, minDelay, maxDelay time.Duration) {
		o.MinDelay, o.MaxDelay = minDelay, maxDelay
	}))
	in := &ecssdk.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}}
	if got := waiterOutcome(inactive.Wait(ctx, in, keepsWaiting)); got != waiterTimedOut {
		t.Fatalf("ServicesInactive while DRAINING: %q", got)
	}
	setServiceStatus(t, env, "c", "web", ecs.ServiceInactive)
	if got := waiterOutcome(inactive.Wait(ctx, in, settles)); got != "" {
		t.Fatalf("ServicesInactive once INACTIVE: %q", got)
	}
	if got := waitServicesStable(t, env, settles, "web"); got != waiterFailed {
		t.Fatalf("INACTIVE service: waiter %q, want failure", got)
	}
}

func setTaskStatus(t *testing.T, env *apitest.Env, cluster, id string, last ecs.TaskStatus) {
	t.Helper()
	if _, err := env.Store.Tasks.Update(apitest.Context(t), store.TaskID(cluster, id), func(task *ecs.Task) error {
		task.LastStatus = last
		task.Version++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func stopTaskInStore(t *testing.T, env *apitest.Env, cluster, id string) {
	t.Helper()
	if _, err := env.Store.Tasks.Update(apitest.Context(t), store.TaskID(cluster, id), func(task *ecs.Task) error {
		*task = task.RequestStop(ecs.StopServiceSchedulerInitiated, "Scaling activity", time.Now())
		task.LastStatus = ecs.TaskStopped
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
