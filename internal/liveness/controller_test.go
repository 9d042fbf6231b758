package liveness

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	kv, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = kv.Close() })
	return store.New(kv)
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSilentInstanceLosesItsTasks: an instance whose heartbeat stops turns disconnected, and
// after the grace period its live tasks are STOPPED as lost with their host; a stopped task
// stays as it was.
func TestSilentInstanceLosesItsTasks(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	ctx := context.Background()
	beat := time.Now()
	inst := ecs.ContainerInstance{ID: "i1", ClusterName: "demo", NodeID: "worker-1", Status: ecs.InstanceActive, AgentConnected: true, LastHeartbeat: beat}
	if _, err := st.ContainerInstances.Create(ctx, store.ContainerInstanceID("demo", "i1"), inst); err != nil {
		t.Fatal(err)
	}
	live := ecs.Task{ID: "t1", ClusterName: "demo", ContainerInstanceID: "i1", LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning,
		Containers: []ecs.Container{{Name: "web", LastStatus: ecs.ContainerRunning}}}
	done := ecs.Task{ID: "t2", ClusterName: "demo", ContainerInstanceID: "i1", LastStatus: ecs.TaskStopped, DesiredStatus: ecs.TaskStopped, StoppedReason: "earlier"}
	for _, task := range []ecs.Task{live, done} {
		if _, err := st.Tasks.Create(ctx, store.TaskID("demo", task.ID), task); err != nil {
			t.Fatal(err)
		}
	}
	c := New(st, Config{Timeout: 200 * time.Millisecond, Grace: 300 * time.Millisecond}, nil)
	runCtx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- c.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Error(err)
		}
	})

	eventually(t, "the instance disconnected", func() bool {
		it, err := st.ContainerInstances.Get(ctx, store.ContainerInstanceID("demo", "i1"))
		return err == nil && !it.Value.AgentConnected
	})
	eventually(t, "the live task stopped", func() bool {
		it, err := st.Tasks.Get(ctx, store.TaskID("demo", "t1"))
		return err == nil && it.Value.IsStopped()
	})
	got, _ := st.Tasks.Get(ctx, store.TaskID("demo", "t1"))
	if got.Value.StopCode != ecs.StopTerminationNotice || got.Value.StoppedReason != ecs.LostHostReason("worker-1") || got.Value.Containers[0].LastStatus != ecs.ContainerStopped {
		t.Errorf("lost task: %+v", got.Value)
	}
	old, _ := st.Tasks.Get(ctx, store.TaskID("demo", "t2"))
	if old.Value.StoppedReason != "earlier" {
		t.Errorf("a task stopped before was rewritten: %+v", old.Value)
	}
}

// TestDisconnectYieldsToANewHeartbeat: a heartbeat that lands between the judgement and the
// write keeps the instance connected.
func TestDisconnectYieldsToANewHeartbeat(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	ctx := context.Background()
	old := time.Now().Add(-time.Hour)
	key := store.ContainerInstanceID("demo", "i1")
	if _, err := st.ContainerInstances.Create(ctx, key, ecs.ContainerInstance{ID: "i1", ClusterName: "demo", AgentConnected: true, LastHeartbeat: time.Now()}); err != nil {
		t.Fatal(err)
	}
	task := ecs.Task{ID: "t1", ClusterName: "demo", ContainerInstanceID: "i1", LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning}
	if _, err := st.Tasks.Create(ctx, store.TaskID("demo", "t1"), task); err != nil {
		t.Fatal(err)
	}
	c := New(st, Config{}, nil)
	if err := c.disconnect(ctx, key, old); err != nil {
		t.Fatal(err)
	}
	if err := c.stopTasks(ctx, key, ecs.ContainerInstance{ID: "i1", ClusterName: "demo", LastHeartbeat: old}, time.Now()); err != nil {
		t.Fatal(err)
	}
	it, err := st.ContainerInstances.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if !it.Value.AgentConnected {
		t.Error("an instance that beat after the judgement was disconnected")
	}
	if got, _ := st.Tasks.Get(ctx, store.TaskID("demo", "t1")); got.Value.IsStopped() {
		t.Error("a task of an instance that beat after the judgement was stopped")
	}
}
