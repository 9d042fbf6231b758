package ecs

import (
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestTaskFilterValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    TaskFilter
		want string
	}{
		{"startedBy and family", TaskFilter{StartedBy: "me", Family: "web"}, "cannot specify startedBy with other arguments"},
		{"startedBy and launch type", TaskFilter{StartedBy: "me", LaunchType: "FARGATE"}, "cannot specify startedBy with other arguments"},
		{"serviceName and instance", TaskFilter{ServiceName: "web", ContainerInstanceID: "abc"}, "cannot specify serviceName with other arguments"},
		{"family pattern", TaskFilter{Family: "web:1"}, "family must match ^[a-zA-Z0-9\\-_]+$"},
		{"status", TaskFilter{DesiredStatus: "DONE"}, "1 validation error detected: Value 'DONE' at 'desiredStatus' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, PENDING, STOPPED]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := tc.f.Validate(); err == nil || errdefs.Message(err) != tc.want {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
	f, err := TaskFilter{StartedBy: "me", DesiredStatus: TaskStopped}.Validate()
	if err != nil || f.DesiredStatus != TaskStopped {
		t.Fatalf("startedBy with desiredStatus: %+v, %v", f, err)
	}
	if f, err := (TaskFilter{}).Validate(); err != nil || f.DesiredStatus != TaskRunning {
		t.Fatalf("default desired status: %+v, %v", f, err)
	}
}

func TestTaskFilterMatches(t *testing.T) {
	t.Parallel()
	task := Task{
		ID: "a", TaskDefinitionARN: TaskDefinitionARN(testScope, "web", 3), ContainerInstanceID: "i1", StartedBy: "ecs-svc/1",
		ServiceName: "svc", LaunchType: "FARGATE", DesiredStatus: TaskRunning, LastStatus: TaskRunning,
	}
	stopping := task
	stopping.DesiredStatus = TaskStopped
	tests := []struct {
		name string
		f    TaskFilter
		t    Task
		want bool
	}{
		{"everything running", TaskFilter{}, task, true},
		{"stopping is not running", TaskFilter{}, stopping, false},
		{"stopped filter", TaskFilter{DesiredStatus: TaskStopped}, stopping, true},
		{"pending matches nothing", TaskFilter{DesiredStatus: TaskPending}, task, false},
		{"family", TaskFilter{Family: "web"}, task, true},
		{"other family", TaskFilter{Family: "api"}, task, false},
		{"instance", TaskFilter{ContainerInstanceID: "i1"}, task, true},
		{"other instance", TaskFilter{ContainerInstanceID: "i2"}, task, false},
		{"service", TaskFilter{ServiceName: "svc"}, task, true},
		{"startedBy", TaskFilter{StartedBy: "ecs-svc/2"}, task, false},
		{"launch type", TaskFilter{LaunchType: "EC2"}, task, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := tc.f.Validate()
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Matches(tc.t); got != tc.want {
				t.Fatalf("Matches = %v, want %v", got, tc.want)
			}
		})
	}
}
