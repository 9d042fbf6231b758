package ecs

import (
	"errors"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

func runRequest() RunRequest {
	return RunRequest{ClusterName: "default", ClusterARN: "arn:aws:ecs:us-east-1:000000000000:cluster/default", TaskDefinition: webTaskDefinition(), Count: 2}
}

func TestValidateRunRequestDefaults(t *testing.T) {
	t.Parallel()
	r, err := ValidateRunRequest(runRequest())
	if err != nil {
		t.Fatal(err)
	}
	if r.Group != "family:web" || r.LaunchType != "FARGATE" || r.PlatformVersion != "LATEST" {
		t.Fatalf("defaults: group %q launch %q platform %q", r.Group, r.LaunchType, r.PlatformVersion)
	}
	r2 := runRequest()
	r2.NetworkConfiguration = NetworkConfiguration{Subnets: []string{"subnet-1"}}
	if r2, err = ValidateRunRequest(r2); err != nil || r2.NetworkConfiguration.AssignPublicIP != "DISABLED" {
		t.Fatalf("assignPublicIp default: %+v, %v", r2.NetworkConfiguration, err)
	}
}

func TestValidateRunRequestRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*RunRequest)
		want   string
	}{
		{"zero count", func(r *RunRequest) { r.Count = 0 }, "count must be between 1 and 10."},
		{"eleven", func(r *RunRequest) { r.Count = 11 }, "count must be between 1 and 10."},
		{"override names no container", func(r *RunRequest) {
			r.Overrides.ContainerOverrides = []ContainerOverride{{Name: "api"}}
		}, "Override for container named api is not a container in the TaskDefinition."},
		{"launch type", func(r *RunRequest) { r.TaskDefinition = bridgeTaskDefinition(); r.LaunchType = "FARGATE" }, "Task definition does not support launch_type FARGATE."},
		{"propagate SERVICE", func(r *RunRequest) { r.PropagateTags = PropagateService }, "The SERVICE value for propagateTags is only valid for tasks of a service."},
		{"token with space", func(r *RunRequest) { r.ClientToken = "a b" }, "clientToken must be at most 64 characters between 33 and 126."},
		{"storage", func(r *RunRequest) { r.Overrides.EphemeralStorageGiB = 5 }, "The ephemeral storage size must be between 21 and 200 GiB."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runRequest()
			tc.change(&r)
			_, err := ValidateRunRequest(r)
			if err == nil || errdefs.Message(err) != tc.want || !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("ValidateRunRequest = %v, want invalid argument %q", err, tc.want)
			}
		})
	}
}

func TestNewRunTasks(t *testing.T) {
	t.Parallel()
	r := runRequest()
	r.TaskDefinition.Tags = []Tag{{Key: "team", Value: "a"}, {Key: "tier", Value: "web"}}
	r.Tags = []Tag{{Key: "team", Value: "b"}}
	r.PropagateTags = PropagateTaskDefinition
	r.EnableECSManagedTags = true
	r.ClientToken = "tok"
	r, err := ValidateRunRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"}
	tasks := NewRunTasks(r, testScope, ids, t0)
	if len(tasks) != 2 {
		t.Fatalf("%d tasks", len(tasks))
	}
	task := tasks[1]
	if task.ARN != "arn:aws:ecs:us-east-1:000000000000:task/default/fedcba9876543210fedcba9876543210" || task.ID != ids[1] {
		t.Fatalf("task identity %s %s", task.ID, task.ARN)
	}
	if task.LastStatus != TaskProvisioning || task.DesiredStatus != TaskRunning || task.Group != "family:web" || task.LaunchType != "FARGATE" {
		t.Fatalf("task state %+v", task)
	}
	want := []Tag{{Key: "team", Value: "b"}, {Key: "tier", Value: "web"}, {Key: "aws:ecs:clusterName", Value: "default"}}
	if len(task.Tags) != len(want) {
		t.Fatalf("tags %+v, want %+v", task.Tags, want)
	}
	for i := range want {
		if task.Tags[i] != want[i] {
			t.Fatalf("tags %+v, want %+v", task.Tags, want)
		}
	}

	again, err := MatchClientToken(tasks, r)
	if err != nil || len(again) != 2 {
		t.Fatalf("retry: %d tasks, %v", len(again), err)
	}
	other := r
	other.StartedBy = "someone-else"
	if _, err := MatchClientToken(tasks, other); !errors.Is(err, ErrClientTokenInUse) {
		t.Fatalf("different request with the same token: %v", err)
	}
	fewer := r
	fewer.Count = 1
	if _, err := MatchClientToken(tasks, fewer); !errors.Is(err, ErrClientTokenInUse) {
		t.Fatalf("different count with the same token: %v", err)
	}
	// Only one of the two could be placed: a retry gets that one back.
	if again, err := MatchClientToken(tasks[:1], r); err != nil || len(again) != 1 {
		t.Fatalf("retry after a partial placement: %d tasks, %v", len(again), err)
	}
	if _, err := MatchClientToken(tasks[:1], fewer); !errors.Is(err, ErrClientTokenInUse) {
		t.Fatalf("different count after a partial placement: %v", err)
	}
	fresh := r
	fresh.ClientToken = "other"
	if found, err := MatchClientToken(tasks, fresh); err != nil || found != nil {
		t.Fatalf("new token: %v, %v", found, err)
	}
}

func TestStoppedByUser(t *testing.T) {
	t.Parallel()
	task := NewRunTasks(runRequest(), testScope, []string{"0123456789abcdef0123456789abcdef"}, t0)[0]
	task.Tags = []Tag{{Key: "k", Value: "v"}}
	stopped := task.StoppedByUser("", t1)
	if stopped.DesiredStatus != TaskStopped || stopped.StopCode != StopUserInitiated || stopped.StoppedReason != DefaultStopReason ||
		!stopped.StoppingAt.Equal(t1) || stopped.Tags != nil || stopped.Version != task.Version+1 {
		t.Fatalf("stopped %+v", stopped)
	}
	again := stopped.StoppedByUser("second", t1.Add(time.Hour))
	if again.StoppedReason != DefaultStopReason || again.Version != stopped.Version {
		t.Fatalf("a second stop changed the task: %+v", again)
	}
	exited := task
	exited.LastStatus = TaskStopped
	if got := exited.StoppedByUser("late", t1); got.DesiredStatus != TaskRunning || got.StopCode != "" {
		t.Fatalf("stopping a stopped task changed it: %+v", got)
	}
}
