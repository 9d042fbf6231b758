package scheduler

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
)

func TestAddPlacementEventOncePerChange(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const memory, cpu = "no memory", "no cpu"
	tests := []struct {
		name   string
		before []string // newest first
		msg    string
		after  time.Duration
		added  bool
	}{
		{"first", nil, memory, time.Minute, true},
		{"same again", []string{memory}, memory, time.Minute, false},
		{"same behind other events", []string{"(service web) has reached a steady state.", memory}, memory, time.Minute, false},
		{"another reason", []string{memory}, cpu, time.Minute, true},
		{"again after tasks started", []string{"(service web) has started 1 tasks: (task a).", memory}, memory, time.Minute, true},
		{"same, almost six hours later", []string{memory}, memory, 6*time.Hour - time.Second, false},
		{"same, six hours later", []string{memory}, memory, 6 * time.Hour, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s ecs.Service
			for i := len(tt.before) - 1; i >= 0; i-- {
				s.AddEvent(event(at, tt.before[i]))
			}
			addPlacementEvent(&s, tt.msg, at.Add(tt.after))
			if got := len(s.Events) == len(tt.before)+1; got != tt.added {
				t.Fatalf("added = %v, want %v (events %+v)", got, tt.added, s.Events)
			}
			if tt.added && s.Events[0].Message != tt.msg {
				t.Fatalf("newest event %q", s.Events[0].Message)
			}
		})
	}
}
