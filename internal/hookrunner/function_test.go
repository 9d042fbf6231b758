package hookrunner

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/hooks"
)

const cdPayload = `{"DeploymentId":"d-ABCDEFGHI","LifecycleEventHookExecutionId":"x"}`

func TestCodeDeployHookWaitsForItsVerdict(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusAccepted})
	e.function(t, "smoke", ep.srv.URL, 0)
	x := e.execution(t, hooks.KindCodeDeploy, "arn:aws:lambda:us-east-1:000000000000:function:smoke:live", cdPayload)

	got := e.step(t, x.ID)
	if got.Status != hooks.StatusInProgress || got.Attempts != 1 {
		t.Fatalf("after the invocation: %s, %d attempts (%s)", got.Status, got.Attempts, got.Message)
	}
	if calls := ep.calls(); len(calls) != 1 || calls[0] != cdPayload {
		t.Fatalf("the function got %q, want the payload once", calls)
	}
	e.clock.Advance(30 * time.Minute)
	if got = e.step(t, x.ID); got.Status != hooks.StatusInProgress || len(ep.calls()) != 1 {
		t.Fatalf("an invoked CodeDeploy hook was invoked again or changed: %s, %d calls", got.Status, len(ep.calls()))
	}
	e.clock.Advance(30 * time.Minute)
	if got = e.step(t, x.ID); got.Status != hooks.StatusTimedOut {
		t.Fatalf("past its deadline without a verdict: %s, want TimedOut", got.Status)
	}
}

// A function may report its verdict before its invocation returns: the verdict stands.
func TestVerdictDuringTheInvocationStands(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusOK})
	e.function(t, "smoke", ep.srv.URL, 0)
	x := e.execution(t, hooks.KindCodeDeploy, "smoke", cdPayload)
	ep.onCall = func() {
		_, err := e.st.HookExecutions.Update(context.Background(), x.ID, func(v *hooks.Execution) error {
			v.Status = hooks.StatusSucceeded
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	}
	if got := e.step(t, x.ID); got.Status != hooks.StatusSucceeded {
		t.Fatalf("status = %s, want the Succeeded the function reported", got.Status)
	}
}

func TestErrorAnswersFailAfterRetries(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusInternalServerError, body: "boom"})
	e.function(t, "smoke", ep.srv.URL, 0)
	x := e.execution(t, hooks.KindCodeDeploy, "smoke", cdPayload)

	got := e.step(t, x.ID)
	if got.Status != hooks.StatusPending || got.NextAttemptAt.IsZero() {
		t.Fatalf("after one error answer: %s, next attempt %v", got.Status, got.NextAttemptAt)
	}
	e.step(t, x.ID) // not due yet: no call
	if n := len(ep.calls()); n != 1 {
		t.Fatalf("%d calls before the retry was due, want 1", n)
	}
	for range 2 {
		e.clock.Advance(time.Minute)
		got = e.step(t, x.ID)
	}
	if got.Status != hooks.StatusFailed || len(ep.calls()) != 3 || !strings.Contains(got.Message, "HTTP 500") {
		t.Fatalf("after three error answers: %s (%s), %d calls", got.Status, got.Message, len(ep.calls()))
	}
}

func TestTransportErrorsRetryUntilTheDeadline(t *testing.T) {
	e := newEnv(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	e.function(t, "smoke", down.URL, 0)
	x := e.execution(t, hooks.KindECS, "smoke", `{}`)
	var got hooks.Execution
	for range 5 {
		got = e.step(t, x.ID)
		if got.Status != hooks.StatusPending || !strings.Contains(got.Message, "could not be invoked") {
			t.Fatalf("after a transport error: %s (%s)", got.Status, got.Message)
		}
		e.clock.Advance(got.NextAttemptAt.Sub(e.clock.Now()))
	}
	if got.Attempts != 5 {
		t.Fatalf("attempts = %d, want 5", got.Attempts)
	}
	e.clock.Advance(time.Hour)
	if got = e.step(t, x.ID); got.Status != hooks.StatusTimedOut {
		t.Fatalf("status = %s, want TimedOut", got.Status)
	}
}

func TestECSHookAnswers(t *testing.T) {
	tests := []struct {
		name, body string
		want       hooks.Status
	}{
		{"succeeded", `{"hookStatus":"SUCCEEDED"}`, hooks.StatusSucceeded},
		{"failed", `{"hookStatus":"FAILED"}`, hooks.StatusFailed},
		{"missing status", `{}`, hooks.StatusFailed},
		{"invalid status", `{"hookStatus":"MAYBE"}`, hooks.StatusFailed},
		{"not JSON", `ok`, hooks.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			ep := newEndpoint(t, reply{status: http.StatusOK, body: tt.body})
			e.function(t, "check", ep.srv.URL, 0)
			x := e.execution(t, hooks.KindECS, "check", `{"executionDetails":{"lifecycleStage":"POST_TEST_TRAFFIC_SHIFT"}}`)
			if got := e.step(t, x.ID); got.Status != tt.want {
				t.Fatalf("status = %s (%s), want %s", got.Status, got.Message, tt.want)
			}
		})
	}
}

// IN_PROGRESS invokes the hook again after its callBackDelay (30 s by default), with the
// hookDetails it answered; a runner that restarts in between carries on.
func TestECSHookInProgressThenSucceeded(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t,
		reply{status: http.StatusOK, body: `{"hookStatus":"IN_PROGRESS","hookDetails":{"round":1}}`},
		reply{status: http.StatusOK, body: `{"hookStatus":"IN_PROGRESS","callBackDelay":5}`},
		reply{status: http.StatusOK, body: `{"hookStatus":"SUCCEEDED"}`})
	e.function(t, "check", ep.srv.URL, 0)
	x := e.execution(t, hooks.KindECS, "check", `{"executionDetails":{}}`)

	got := e.step(t, x.ID)
	if got.Status != hooks.StatusInProgress || got.NextAttemptAt != e.clock.Now().Add(30*time.Second) {
		t.Fatalf("after IN_PROGRESS: %s, next attempt %v, want in 30 s", got.Status, got.NextAttemptAt)
	}
	e.clock.Advance(29 * time.Second)
	e.step(t, x.ID)
	if n := len(ep.calls()); n != 1 {
		t.Fatalf("invoked again before callBackDelay: %d calls", n)
	}
	e.clock.Advance(time.Second)
	e.run = e.runner() // a restart
	got = e.step(t, x.ID)
	if got.NextAttemptAt != e.clock.Now().Add(5*time.Second) {
		t.Fatalf("next attempt %v, want in the 5 s callBackDelay", got.NextAttemptAt)
	}
	if calls := ep.calls(); !strings.Contains(calls[1], `"hookDetails":{"round":1}`) {
		t.Fatalf("second invocation got %s, want the hookDetails of the first answer", calls[1])
	}
	e.clock.Advance(5 * time.Second)
	if got = e.step(t, x.ID); got.Status != hooks.StatusSucceeded || got.Attempts != 3 {
		t.Fatalf("status = %s after %d attempts, want Succeeded after 3", got.Status, got.Attempts)
	}
}

func TestFunctionTimeoutShortensTheDeadline(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusOK, body: `{"hookStatus":"IN_PROGRESS","callBackDelay":60}`})
	e.function(t, "check", ep.srv.URL, 90*time.Second)
	x := e.execution(t, hooks.KindECS, "check", `{}`)
	got := e.step(t, x.ID)
	if want := e.clock.Now().Add(90 * time.Second); got.Deadline != want {
		t.Fatalf("deadline %v, want %v", got.Deadline, want)
	}
	e.clock.Advance(60 * time.Second)
	e.step(t, x.ID)
	e.clock.Advance(30 * time.Second)
	if got = e.step(t, x.ID); got.Status != hooks.StatusTimedOut {
		t.Fatalf("status = %s, want TimedOut after the function's timeout", got.Status)
	}
}

func TestUnknownTargetFails(t *testing.T) {
	e := newEnv(t)
	for _, target := range []string{"nobody", "arn:aws:s3:::bucket", "nothing:3"} {
		x := e.execution(t, hooks.KindCodeDeploy, target, cdPayload)
		if got := e.step(t, x.ID); got.Status != hooks.StatusFailed || got.Message == "" {
			t.Errorf("target %q: status = %s (%s), want Failed with a reason", target, got.Status, got.Message)
		}
		if err := e.st.HookExecutions.Delete(context.Background(), x.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// The controller runs executions as they are stored, from its informer and queue.
func TestRunnerRunsStoredExecutions(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusOK, body: `{"hookStatus":"SUCCEEDED"}`})
	e.function(t, "check", ep.srv.URL, 0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.run.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Error(err)
		}
	}()
	x := e.execution(t, hooks.KindECS, "check", `{}`)
	for e.get(t, x.ID).Status != hooks.StatusSucceeded {
		time.Sleep(10 * time.Millisecond)
	}
}

// A CodeDeploy hook whose deployment ended (stopped meanwhile) is not invoked any more.
func TestHookOfAnEndedDeploymentIsNotInvoked(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusOK})
	e.function(t, "smoke", ep.srv.URL, 0)
	d := codedeploy.Deployment{ID: "d-ABCDEFGHI", Status: codedeploy.StatusStopped}
	if _, err := e.st.Deployments.Create(context.Background(), d.ID, d); err != nil {
		t.Fatal(err)
	}
	x := e.execution(t, hooks.KindCodeDeploy, "smoke", cdPayload)
	if got := e.step(t, x.ID); got.Status != hooks.StatusFailed || len(ep.calls()) != 0 {
		t.Fatalf("status %s (%s) after %d calls, want Failed without a call", got.Status, got.Message, len(ep.calls()))
	}
}

// A reconcile with nothing due writes nothing, so that it does not wake itself again.
func TestNothingDueWritesNothing(t *testing.T) {
	e := newEnv(t)
	ep := newEndpoint(t, reply{status: http.StatusOK, body: `{"hookStatus":"IN_PROGRESS","callBackDelay":60}`})
	e.function(t, "check", ep.srv.URL, 0)
	x := e.execution(t, hooks.KindECS, "check", `{}`)
	e.step(t, x.ID)
	before, err := e.st.HookExecutions.Get(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	e.step(t, x.ID)
	after, err := e.st.HookExecutions.Get(context.Background(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Revision != before.Revision {
		t.Fatalf("a reconcile with nothing due wrote the execution (revision %d → %d)", before.Revision, after.Revision)
	}
}
