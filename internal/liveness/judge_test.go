package liveness_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/liveness"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	cfg := liveness.Config{Timeout: 30 * time.Second, Grace: 60 * time.Second}
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	connected := ecs.ContainerInstance{AgentConnected: true}
	disconnected := ecs.ContainerInstance{}
	tests := []struct {
		name   string
		in     ecs.ContainerInstance
		silent time.Duration
		want   liveness.Verdict
	}{
		{"beating", connected, 5 * time.Second, liveness.Verdict{RecheckAfter: 25 * time.Second}},
		{"just before the timeout", connected, 30*time.Second - time.Nanosecond, liveness.Verdict{RecheckAfter: time.Nanosecond}},
		{"timed out", connected, 30 * time.Second, liveness.Verdict{Disconnect: true, RecheckAfter: 60 * time.Second}},
		{"disconnected, in the grace period", disconnected, 45 * time.Second, liveness.Verdict{RecheckAfter: 45 * time.Second}},
		{"disconnected, grace over", disconnected, 90 * time.Second, liveness.Verdict{StopTasks: true}},
		{"silent past the grace, still marked connected", connected, 2 * time.Minute, liveness.Verdict{Disconnect: true, StopTasks: true}},
		{"marked disconnected before this controller started", disconnected, 0, liveness.Verdict{RecheckAfter: 90 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := liveness.Judge(tt.in, seen, seen.Add(tt.silent), cfg); got != tt.want {
				t.Errorf("Judge after %s silent = %+v, want %+v", tt.silent, got, tt.want)
			}
		})
	}
}
