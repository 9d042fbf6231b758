package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCountTasks(t *testing.T) {
	t.Parallel()
	task := func(dep string, last, desired TaskStatus) Task {
		return Task{DeploymentID: dep, LastStatus: last, DesiredStatus: desired}
	}
	tasks := []Task{
		task("d1", TaskRunning, TaskRunning),
		task("d1", TaskRunning, TaskRunning),
		task("d1", TaskRunning, TaskStopped), // being stopped: neither
		task("d1", TaskProvisioning, TaskRunning),
		task("d2", TaskPending, TaskRunning),
		task("d2", TaskActivating, TaskRunning),
		task("d2", TaskPending, TaskStopped),
		task("d2", TaskStopped, TaskStopped),
		task("d2", TaskDeactivating, TaskRunning),
		task("", TaskRunning, TaskRunning), // no deployment: skipped
	}
	got := CountTasks(tasks, func(t Task) string { return t.DeploymentID })
	want := map[string]TaskCounts{"d1": {Running: 2, Pending: 1}, "d2": {Running: 0, Pending: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("CountTasks (-want +got):\n%s", diff)
	}
}

func TestRemainingResources(t *testing.T) {
	t.Parallel()
	inst := ContainerInstance{ID: "i1", ClusterName: "c", CPU: 4096, Memory: 8192}
	sized := Task{ClusterName: "c", ContainerInstanceID: "i1", CPU: "256", Memory: "512", LastStatus: TaskRunning}
	unsized := Task{ClusterName: "c", ContainerInstanceID: "i1", LastStatus: TaskPending, Containers: []Container{
		{CPU: "128", Memory: "256"}, {CPU: "0", MemoryReservation: "64"},
	}}
	stopped := sized
	stopped.LastStatus = TaskStopped
	elsewhere := sized
	elsewhere.ContainerInstanceID = "i2"
	otherCluster := sized
	otherCluster.ClusterName = "d"
	got := RemainingResources(inst, []Task{sized, unsized, stopped, elsewhere, otherCluster})
	if want := (Resources{CPU: 4096 - 256 - 128, Memory: 8192 - 512 - 256 - 64}); got != want {
		t.Fatalf("RemainingResources = %+v, want %+v", got, want)
	}
}

func TestUsedHostPorts(t *testing.T) {
	t.Parallel()
	inst := ContainerInstance{ID: "i1", ClusterName: "c"}
	bound := func(ports ...NetworkBinding) Task {
		return Task{ClusterName: "c", ContainerInstanceID: "i1", LastStatus: TaskRunning, Containers: []Container{{NetworkBindings: ports}}}
	}
	stopped := bound(NetworkBinding{HostPort: 9000})
	stopped.LastStatus = TaskStopped
	tcp, udp := UsedHostPorts(inst, []Task{
		bound(NetworkBinding{ContainerPort: 80, HostPort: 32001}, NetworkBinding{ContainerPort: 53, HostPort: 32002, Protocol: TransportProtocolUDP}),
		bound(NetworkBinding{ContainerPort: 80, HostPort: 32000, Protocol: TransportProtocolTCP}, NetworkBinding{ContainerPort: 81}),
		stopped,
	})
	if diff := cmp.Diff([]int{32000, 32001}, tcp); diff != "" {
		t.Errorf("tcp (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{32002}, udp); diff != "" {
		t.Errorf("udp (-want +got):\n%s", diff)
	}
}
