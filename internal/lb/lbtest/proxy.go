package lbtest

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
)

// Start creates a Proxy and runs it until the end of the test.
func Start(t testing.TB, cfg lb.ProxyConfig) *lb.Proxy {
	t.Helper()
	p, err := lb.New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	Run(t, p)
	return p
}

// Run runs p until the end of the test, when it waits for Run to return.
func Run(t testing.TB, p *lb.Proxy) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// Eventually polls cond every 5 ms until it holds, and fails the test after timeout.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// State returns the state of a target as the proxy reports it, or "" if it is unknown.
func State(p *lb.Proxy, group, target string) lb.TargetState {
	for _, th := range p.Health() {
		if th.GroupID == group && th.TargetID == target {
			return th.State
		}
	}
	return ""
}

// WaitState waits until the target reaches the state.
func WaitState(t testing.TB, p *lb.Proxy, group, target string, want lb.TargetState) {
	t.Helper()
	Eventually(t, 10*time.Second, group+"/"+target+" "+string(want), func() bool {
		return State(p, group, target) == want
	})
}

// FastHealthCheck checks /health every 20 ms, so that targets become healthy within a few
// tens of milliseconds.
func FastHealthCheck() lb.HealthCheck {
	return lb.HealthCheck{
		Path:               "/health",
		Interval:           20 * time.Millisecond,
		Timeout:            2 * time.Second,
		HealthyThreshold:   2,
		UnhealthyThreshold: 2,
	}
}

// Group returns a target group with FastHealthCheck over the backends, each registered with
// its name as the target ID.
func Group(id string, backends ...*Backend) lb.TargetGroup {
	g := lb.TargetGroup{ID: id, HealthCheck: FastHealthCheck()}
	for _, b := range backends {
		g.Targets = append(g.Targets, lb.Target{ID: b.Name, Addr: b.Addr})
	}
	return g
}

// Forward is a default rule that forwards to the groups with the weights, given in pairs
// ("blue", 90, "green", 10); a single group may be given without weight.
func Forward(groupsAndWeights ...any) lb.Rule {
	var f lb.Forward
	for i := 0; i < len(groupsAndWeights); i++ {
		wg := lb.WeightedGroup{GroupID: groupsAndWeights[i].(string), Weight: 1}
		if i+1 < len(groupsAndWeights) {
			if w, ok := groupsAndWeights[i+1].(int); ok {
				wg.Weight = w
				i++
			}
		}
		f.TargetGroups = append(f.TargetGroups, wg)
	}
	return lb.Rule{ID: "default", Action: lb.Action{Type: lb.ActionForward, Forward: f}}
}

// Listener is an HTTP listener on 127.0.0.1 with a free port and the rules.
func Listener(id string, rules ...lb.Rule) lb.Listener {
	return lb.Listener{ID: id, Addr: "127.0.0.1:0", Protocol: lb.ProtocolHTTP, Rules: rules}
}
