package ecs

import (
	"regexp"

	"github.com/fargohq/fargo/internal/errdefs"
)

// TaskFilter selects the tasks ListTasks returns. Empty members do not filter.
type TaskFilter struct {
	ContainerInstanceID string
	Family              string
	StartedBy           string
	ServiceName         string
	// DesiredStatus is RUNNING unless given; PENDING matches nothing, as ECS never desires it.
	DesiredStatus TaskStatus
	LaunchType    string
}

var familyPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// Validate checks the filter's combinations as ECS does: startedBy and serviceName each
// exclude the other selectors.
func (f TaskFilter) Validate() (TaskFilter, error) {
	if f.DesiredStatus == "" {
		f.DesiredStatus = TaskRunning
	}
	switch f.DesiredStatus {
	case TaskRunning, TaskPending, TaskStopped:
	default:
		return TaskFilter{}, invalidValue("desiredStatus", string(f.DesiredStatus), "RUNNING, PENDING, STOPPED")
	}
	if f.LaunchType != "" && !validCompatibility(Compatibility(f.LaunchType)) {
		return TaskFilter{}, invalidValue("launchType", f.LaunchType, "EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES")
	}
	if f.Family != "" && !familyPattern.MatchString(f.Family) {
		return TaskFilter{}, errdefs.InvalidArgument("family must match ^[a-zA-Z0-9\\-_]+$")
	}
	if f.StartedBy != "" && (f.Family != "" || f.ServiceName != "" || f.ContainerInstanceID != "" || f.LaunchType != "") {
		return TaskFilter{}, errdefs.InvalidArgument("cannot specify startedBy with other arguments")
	}
	if f.ServiceName != "" && (f.Family != "" || f.ContainerInstanceID != "") {
		return TaskFilter{}, errdefs.InvalidArgument("cannot specify serviceName with other arguments")
	}
	return f, nil
}

// Matches reports whether a validated filter selects t.
func (f TaskFilter) Matches(t Task) bool {
	switch {
	case t.DesiredStatus != f.DesiredStatus:
		return false
	case f.ContainerInstanceID != "" && t.ContainerInstanceID != f.ContainerInstanceID:
		return false
	case f.StartedBy != "" && t.StartedBy != f.StartedBy:
		return false
	case f.ServiceName != "" && t.ServiceName != f.ServiceName:
		return false
	case f.LaunchType != "" && t.LaunchType != f.LaunchType:
		return false
	case f.Family != "" && t.Family() != f.Family:
		return false
	}
	return true
}

// Family is the family of the task's task definition.
func (t Task) Family() string {
	ref, err := ParseTaskDefinitionRef(t.TaskDefinitionARN)
	if err != nil {
		return ""
	}
	return ref.Family
}
