package deployer_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/hooks"
)

// answerHooks plays the hook runner until the test ends: it gives each execution the verdict
// verdicts holds for its event (Succeeded when none), and records the events in the order
// their executions appeared.
func (s *setup) answerHooks(t *testing.T, verdicts map[string]hooks.Status) func() []string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var seen []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			items, _, _ := s.env.Store.HookExecutions.List(ctx, "")
			for _, it := range items {
				if it.Value.Status.Done() {
					continue
				}
				mu.Lock()
				seen = append(seen, it.Value.Event)
				mu.Unlock()
				_, _ = s.env.Store.HookExecutions.Update(ctx, it.ID, func(x *hooks.Execution) error {
					x.Status, x.Message = hooks.StatusSucceeded, "ok"
					if v, ok := verdicts[x.Event]; ok {
						x.Status, x.Message = v, "the smoke test failed"
					}
					return nil
				})
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), seen...) }
}

func TestHooksRunInOrder(t *testing.T) {
	s := newSetup(t)
	seen := s.answerHooks(t, nil)
	s.run(t)
	d := s.deployment("d-HOOKS0001", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	d.AppSpec.Hooks = map[string]string{"BeforeInstall": "a", "AfterInstall": "b", "AfterAllowTestTraffic": "c", "BeforeAllowTraffic": "d", "AfterAllowTraffic": "e"}
	s.put(t, d)
	got, _ := s.waitDone(t, d.ID)
	if got.Status != codedeploy.StatusSucceeded {
		t.Fatalf("deployment %s %s %q", got.Status, got.ErrorCode, got.ErrorMessage)
	}
	for _, e := range got.Events {
		if e.Status != codedeploy.EventSucceeded || e.Start.IsZero() || e.End.IsZero() {
			t.Errorf("event %+v", e)
		}
	}
	want := []string{"BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"}
	if order := seen(); len(order) != len(want) {
		t.Fatalf("hooks ran %q, want each once in the order %q", order, want)
	} else {
		for i := range want {
			if order[i] != want[i] {
				t.Fatalf("hooks ran %q, want %q", order, want)
			}
		}
	}
}

func TestFailedHookRollsBack(t *testing.T) {
	s := newSetup(t)
	s.group(t, "d-HOOKS0002")
	s.answerHooks(t, map[string]hooks.Status{"BeforeAllowTraffic": hooks.StatusFailed})
	s.run(t)
	d := s.deployment("d-HOOKS0002", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	d.AppSpec.Hooks = map[string]string{"AfterAllowTestTraffic": "smoke", "BeforeAllowTraffic": "smoke"}
	d.AutoRollback = codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure}}
	s.put(t, d)
	s.checkRolledBack(t, d.ID, codedeploy.StatusFailed, codedeploy.ErrorHookFailure)
}

// A deployer that stops after it created a hook's execution but before it wrote the
// deployment (its write lost) creates the execution again on restart: the one there stands,
// and the hook runs once.
func TestRestartAfterHookCreated(t *testing.T) {
	s := newSetup(t)
	s.run(t)
	d := s.deployment("d-HOOKS0003", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	d.AppSpec.Hooks = map[string]string{"BeforeInstall": "migrate"}
	s.put(t, d)
	id := hooks.ExecutionID(d.ID, "BeforeInstall", 0)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		if _, err := s.env.Store.HookExecutions.Get(context.Background(), id); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the BeforeInstall hook's execution was never created")
		}
	}
	s.stopDeployers(t)
	if _, err := s.env.Store.Deployments.Update(context.Background(), d.ID, func(cur *codedeploy.Deployment) error {
		*cur = d
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	seen := s.answerHooks(t, nil)
	s.startDeployer(t)
	if got, _ := s.waitDone(t, d.ID); got.Status != codedeploy.StatusSucceeded {
		t.Fatalf("deployment %s %s %q", got.Status, got.ErrorCode, got.ErrorMessage)
	}
	if order := seen(); len(order) != 1 {
		t.Fatalf("hooks ran %q, want BeforeInstall once", order)
	}
}
