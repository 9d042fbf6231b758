package ecs

import (
	"testing"
	"time"
)

func TestBreakerThreshold(t *testing.T) {
	for desired, want := range map[int]int{0: 3, 1: 3, 2: 3, 5: 3, 6: 3, 7: 4, 10: 5, 399: 200, 1000: 200} {
		if got := BreakerThreshold(desired); got != want {
			t.Errorf("BreakerThreshold(%d) = %d, want %d", desired, got, want)
		}
	}
}

func TestFailedLaunches(t *testing.T) {
	failed := func(id string, at time.Time) Task {
		return Task{ID: id, DeploymentID: "d", LastStatus: TaskStopped, DesiredStatus: TaskStopped, StopCode: StopEssentialContainerExited, StoppedAt: at}
	}
	healthy := Task{ID: "h", DeploymentID: "d", LastStatus: TaskRunning, DesiredStatus: TaskRunning, StartedAt: t0.Add(2 * time.Second)}
	scaledIn := failed("s", t0.Add(5*time.Second))
	scaledIn.StopCode = StopServiceSchedulerInitiated
	other := failed("o", t0.Add(5*time.Second))
	other.DeploymentID = "other"
	tasks := []Task{failed("a", t0.Add(time.Second)), healthy, failed("b", t0.Add(3*time.Second)), scaledIn, other}
	got, reset := FailedLaunches(tasks, "d", time.Time{})
	if len(got) != 1 || got[0].ID != "b" || !reset.Equal(healthy.StartedAt) {
		t.Fatalf("FailedLaunches = %v, reset %s; want b alone, reset at the healthy task's start", got, reset)
	}
	if got, _ := FailedLaunches(tasks, "d", t0.Add(4*time.Second)); len(got) != 0 {
		t.Fatalf("failures before the recorded reset counted: %v", got)
	}
}
