package ecs

import (
	"cmp"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Limits of RunTask and StartTask.
const (
	// MaxRunCount is how many tasks one RunTask or StartTask call may start.
	MaxRunCount       = 10
	maxClientToken    = 64
	maxStartedBy      = 128
	maxGroup          = 255
	managedClusterTag = "aws:ecs:clusterName"
)

// TaskARN returns the ARN of task id in cluster, in the long format ECS uses today.
func TaskARN(scope arn.Scope, cluster, id string) string {
	return scope.New("ecs", "task/"+cluster+"/"+id).String()
}

// ContainerInstanceARN returns the ARN of container instance id in cluster.
func ContainerInstanceARN(scope arn.Scope, cluster, id string) string {
	return scope.New("ecs", "container-instance/"+cluster+"/"+id).String()
}

// RunRequest is what RunTask or StartTask asks for, with the cluster and task definition
// resolved.
type RunRequest struct {
	ClusterName    string
	ClusterARN     string
	TaskDefinition TaskDefinition
	Count          int
	Group          string
	StartedBy      string
	LaunchType     string
	// CapacityProviderName is the provider of the request's strategy (CapacityProviderFor).
	CapacityProviderName string
	PlatformVersion      string
	Overrides            TaskOverride
	// NetworkConfiguration is the zero value when none was given.
	NetworkConfiguration NetworkConfiguration
	PropagateTags        string
	EnableECSManagedTags bool
	EnableExecuteCommand bool
	Tags                 []Tag
	ClientToken          string
	PlacementConstraints []PlacementConstraint
	PlacementStrategy    []PlacementStrategy
}

// ValidateRunRequest checks r as RunTask and StartTask do and returns it with ECS's defaults:
// the launch type, platform version, group and assignPublicIp.
func ValidateRunRequest(r RunRequest) (RunRequest, error) {
	if r.Count < 1 || r.Count > MaxRunCount {
		return RunRequest{}, errdefs.InvalidArgument("count must be between 1 and %d.", MaxRunCount)
	}
	switch {
	case len(r.ClientToken) > maxClientToken || !printableASCII(r.ClientToken):
		return RunRequest{}, errdefs.InvalidArgument("clientToken must be at most %d characters between 33 and 126.", maxClientToken)
	case len(r.StartedBy) > maxStartedBy:
		return RunRequest{}, errdefs.InvalidArgument("startedBy must be at most %d characters.", maxStartedBy)
	case len(r.Group) > maxGroup:
		return RunRequest{}, errdefs.InvalidArgument("group must be at most %d characters.", maxGroup)
	}
	placed := len(r.PlacementConstraints) > 0 || len(r.PlacementStrategy) > 0
	launch, err := ResolveLaunch(r.TaskDefinition, launchTypeForPlacement(r.LaunchType, r.TaskDefinition, placed), r.PlatformVersion)
	if err != nil {
		return RunRequest{}, err
	}
	r.LaunchType, r.PlatformVersion = launch.LaunchType, launch.PlatformVersion
	if err := ValidatePlacement(r.LaunchType, r.PlacementConstraints, r.PlacementStrategy); err != nil {
		return RunRequest{}, err
	}
	if r.NetworkConfiguration, err = ValidateNetworkConfiguration(r.NetworkConfiguration, r.TaskDefinition); err != nil {
		return RunRequest{}, err
	}
	if err := ValidateTaskOverride(r.TaskDefinition, r.Overrides); err != nil {
		return RunRequest{}, err
	}
	switch r.PropagateTags {
	case "", PropagateNone, PropagateTaskDefinition:
	case PropagateService:
		return RunRequest{}, errdefs.InvalidArgument("The SERVICE value for propagateTags is only valid for tasks of a service.")
	default:
		return RunRequest{}, invalidValue("propagateTags", r.PropagateTags, "TASK_DEFINITION, SERVICE, NONE")
	}
	if r.Group == "" {
		r.Group = "family:" + r.TaskDefinition.Family
	}
	return r, ValidateTags(r.Tags)
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 33 || s[i] > 126 {
			return false
		}
	}
	return true
}

// ValidateTaskOverride checks that every container override names a container of td.
func ValidateTaskOverride(td TaskDefinition, o TaskOverride) error {
	for _, c := range o.ContainerOverrides {
		if _, ok := td.Container(c.Name); !ok {
			return errdefs.InvalidArgument("Override for container named %s is not a container in the TaskDefinition.", c.Name)
		}
		if c.CPU < 0 || c.Memory < 0 || c.MemoryReservation < 0 {
			return errdefs.InvalidArgument("Container overrides for %s must not be negative.", c.Name)
		}
	}
	if o.EphemeralStorageGiB != 0 && (o.EphemeralStorageGiB < 21 || o.EphemeralStorageGiB > 200) {
		return errdefs.InvalidArgument("The ephemeral storage size must be between 21 and 200 GiB.")
	}
	return nil
}

// NewRunTasks returns the tasks a validated RunRequest starts, one for each of ids (random
// 32-hex task ids), not yet placed on a container instance.
func NewRunTasks(r RunRequest, scope arn.Scope, ids []string, at time.Time) []Task {
	tags := r.Tags
	if r.PropagateTags == PropagateTaskDefinition {
		tags = MergeTags(r.TaskDefinition.Tags, r.Tags)
	}
	if r.EnableECSManagedTags {
		tags = MergeTags(tags, []Tag{{Key: managedClusterTag, Value: r.ClusterName}})
	}
	tasks := make([]Task, len(ids))
	for i, id := range ids {
		t := NewTask(r.TaskDefinition, TaskParams{
			ID:                   id,
			ClusterName:          r.ClusterName,
			ClusterARN:           r.ClusterARN,
			ARN:                  TaskARN(scope, r.ClusterName, id),
			Group:                r.Group,
			StartedBy:            r.StartedBy,
			Overrides:            r.Overrides,
			NetworkConfiguration: r.NetworkConfiguration,
			EnableExecuteCommand: r.EnableExecuteCommand,
			Tags:                 tags,
			ClientToken:          r.ClientToken,
			CreatedAt:            at,
		})
		t.LaunchType, t.CapacityProviderName = r.LaunchType, r.CapacityProviderName
		t.PlacementConstraints = TaskPlacementConstraints(r.TaskDefinition, r.PlacementConstraints)
		t.PlacementStrategy = r.PlacementStrategy
		t.RunCount = r.Count
		tasks[i] = t
	}
	return tasks
}

// MatchClientToken finds the tasks an earlier RunTask with r's client token started among the
// tasks of r's cluster. A retry of the same request gets them back; a different request with
// the same token gets ErrClientTokenInUse. No match (or no token) returns nil.
func MatchClientToken(tasks []Task, r RunRequest) ([]Task, error) {
	if r.ClientToken == "" {
		return nil, nil
	}
	var found []Task
	for _, t := range tasks {
		if t.ClientToken == r.ClientToken && t.ServiceName == "" {
			found = append(found, t)
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	// Tasks of an earlier fargo carry no RunCount: they were all placed.
	if asked := cmp.Or(found[0].RunCount, len(found)); asked != r.Count || len(found) > r.Count {
		return nil, ErrClientTokenInUse
	}
	for _, t := range found {
		if t.TaskDefinitionARN != r.TaskDefinition.ARN || t.Group != r.Group || t.StartedBy != r.StartedBy || t.LaunchType != r.LaunchType {
			return nil, ErrClientTokenInUse
		}
	}
	return found, nil
}
