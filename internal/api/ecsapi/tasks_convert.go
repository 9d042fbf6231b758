package ecsapi

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
)

// defaultEphemeralStorageGiB is the ephemeral storage of a Fargate task that asked for none.
const defaultEphemeralStorageGiB = 20

func taskOverrideFromWire(in *wireTaskOverride) ecs.TaskOverride {
	if in == nil {
		return ecs.TaskOverride{}
	}
	out := ecs.TaskOverride{
		ContainerOverrides: listFromWire(in.ContainerOverrides, containerOverrideFromWire),
		CPU:                awsproto.Deref(in.Cpu),
		Memory:             awsproto.Deref(in.Memory),
		ExecutionRoleARN:   awsproto.Deref(in.ExecutionRoleArn),
		TaskRoleARN:        awsproto.Deref(in.TaskRoleArn),
	}
	if in.EphemeralStorage != nil {
		out.EphemeralStorageGiB = int(in.EphemeralStorage.SizeInGiB)
	}
	return out
}

func containerOverrideFromWire(in wireContainerOverride) ecs.ContainerOverride {
	return ecs.ContainerOverride{
		Name:                 awsproto.Deref(in.Name),
		Command:              in.Command,
		Environment:          listFromWire(in.Environment, keyValuePairFromWire),
		EnvironmentFiles:     listFromWire(in.EnvironmentFiles, environmentFileFromWire),
		CPU:                  int(awsproto.Deref(in.Cpu)),
		Memory:               int(awsproto.Deref(in.Memory)),
		MemoryReservation:    int(awsproto.Deref(in.MemoryReservation)),
		ResourceRequirements: listFromWire(in.ResourceRequirements, resourceRequirementFromWire),
	}
}

// taskOverrideToWire sends a task's overrides as ECS does: always, with its lists, and with
// an override for every container of the task, which is only its name where it was given none.
func taskOverrideToWire(o ecs.TaskOverride, containers []ecs.Container) *wireTaskOverride {
	out := &wireTaskOverride{
		ContainerOverrides:            alwaysListToWire(everyContainerOverride(o.ContainerOverrides, containers), containerOverrideToWire),
		Cpu:                           optional(o.CPU),
		InferenceAcceleratorOverrides: []wireInferenceAcceleratorOverride{},
		ExecutionRoleArn:              optional(o.ExecutionRoleARN),
		Memory:                        optional(o.Memory),
		TaskRoleArn:                   optional(o.TaskRoleARN),
	}
	if o.EphemeralStorageGiB > 0 {
		out.EphemeralStorage = &wireEphemeralStorage{SizeInGiB: int32(o.EphemeralStorageGiB)}
	}
	return out
}

// everyContainerOverride returns an override for each of the task's containers, in their
// order: the one given, or one of only its name.
func everyContainerOverride(given []ecs.ContainerOverride, containers []ecs.Container) []ecs.ContainerOverride {
	out := make([]ecs.ContainerOverride, 0, len(containers))
	for _, c := range containers {
		o := ecs.ContainerOverride{Name: c.Name}
		if i := slices.IndexFunc(given, func(o ecs.ContainerOverride) bool { return o.Name == c.Name }); i >= 0 {
			o = given[i]
		}
		out = append(out, o)
	}
	return out
}

func containerOverrideToWire(c ecs.ContainerOverride) wireContainerOverride {
	return wireContainerOverride{
		Name:                 ptr(c.Name),
		Command:              c.Command,
		Environment:          listToWire(c.Environment, keyValuePairToWire),
		EnvironmentFiles:     listToWire(c.EnvironmentFiles, environmentFileToWire),
		Cpu:                  optional(int32(c.CPU)),
		Memory:               optional(int32(c.Memory)),
		MemoryReservation:    optional(int32(c.MemoryReservation)),
		ResourceRequirements: listToWire(c.ResourceRequirements, resourceRequirementToWire),
	}
}

// taskToWire sends a task as DescribeTasks does. Fargate tasks report the resolved platform
// version, Linux and their ephemeral storage; a task is CONNECTED from the time it connected.
func (a *API) taskToWire(t ecs.Task, withTags bool) wireTask {
	out := wireTask{
		Attachments:          []wireAttachment{},
		Attributes:           trafficAttributes(t.Traffic),
		AvailabilityZone:     ptr(a.scope.Region + "a"),
		ClusterArn:           optional(t.ClusterARN),
		ConnectivityAt:       epochPtr(t.ConnectivityAt),
		ContainerInstanceArn: optional(t.ContainerInstanceARN),
		Containers:           make([]wireContainer, len(t.Containers)),
		Cpu:                  optional(t.CPU),
		CreatedAt:            epochPtr(t.CreatedAt),
		DesiredStatus:        optional(string(t.DesiredStatus)),
		EnableExecuteCommand: t.EnableExecuteCommand,
		ExecutionStoppedAt:   epochPtr(t.ExecutionStoppedAt),
		Group:                optional(t.Group),
		HealthStatus:         optional(string(t.HealthStatus)),
		LastStatus:           optional(string(t.LastStatus)),
		LaunchType:           optional(t.LaunchType),
		Memory:               optional(t.Memory),
		Overrides:            taskOverrideToWire(t.Overrides, t.Containers),
		PullStartedAt:        epochPtr(t.PullStartedAt),
		PullStoppedAt:        epochPtr(t.PullStoppedAt),
		StartedAt:            epochPtr(t.StartedAt),
		StartedBy:            optional(t.StartedBy),
		StopCode:             optional(string(t.StopCode)),
		StoppedAt:            epochPtr(t.StoppedAt),
		StoppedReason:        optional(t.StoppedReason),
		StoppingAt:           epochPtr(t.StoppingAt),
		TaskArn:              ptr(t.ARN),
		TaskDefinitionArn:    optional(t.TaskDefinitionARN),
		Version:              t.Version,
	}
	if !t.ConnectivityAt.IsZero() || t.LastStatus == ecs.TaskRunning {
		out.Connectivity = ptr("CONNECTED")
	}
	if t.LaunchType == string(ecs.CompatibilityFargate) {
		out.PlatformVersion = ptr(ecs.FargatePlatformVersion)
		out.PlatformFamily = ptr(ecs.PlatformFamilyLinux)
		out.EphemeralStorage = &wireEphemeralStorage{SizeInGiB: int32(max(t.Overrides.EphemeralStorageGiB, defaultEphemeralStorageGiB))}
		out.Attributes = append([]wireAttribute{cpuArchitecture()}, out.Attributes...)
	}
	eni, awsvpc := eniAttachment(t)
	if awsvpc {
		out.Attachments = []wireAttachment{eni}
	}
	for i, c := range t.Containers {
		out.Containers[i] = containerToWire(c, t.ARN)
		out.Containers[i].NetworkInterfaces = containerInterfaces(eni, awsvpc, taskAddress(t))
	}
	if withTags {
		out.Tags = ptr(tagsToWire(t.Tags))
	}
	return out
}

func containerToWire(c ecs.Container, taskARN string) wireContainer {
	out := wireContainer{
		ContainerArn:      optional(c.ARN),
		TaskArn:           ptr(taskARN),
		Name:              ptr(c.Name),
		Image:             optional(c.Image),
		ImageDigest:       optional(c.ImageDigest),
		RuntimeID:         optional(c.RuntimeID),
		LastStatus:        optional(string(c.LastStatus)),
		Reason:            optional(c.Reason),
		NetworkBindings:   alwaysListToWire(c.NetworkBindings, networkBindingToWire),
		NetworkInterfaces: []wireNetworkInterface{},
		HealthStatus:      optional(string(c.HealthStatus)),
		Cpu:               optional(c.CPU),
		Memory:            optional(c.Memory),
		MemoryReservation: optional(c.MemoryReservation),
	}
	if c.HasExitCode {
		out.ExitCode = ptr(int32(c.ExitCode))
	}
	return out
}

func networkBindingToWire(b ecs.NetworkBinding) wireNetworkBinding {
	return wireNetworkBinding{
		BindIP:        optional(b.BindIP),
		ContainerPort: ptr(int32(b.ContainerPort)),
		HostPort:      ptr(int32(b.HostPort)),
		Protocol:      ptr(string(cmp.Or(b.Protocol, ecs.TransportProtocolTCP))),
	}
}

// Task attributes in which fargo reports what its load balancer counted for the task's targets
// (ECS's Task shape has attributes; these names are fargo's own).
const (
	AttrLBRequests = "fargo:lb:requests"
	AttrLBErrors   = "fargo:lb:errors"
)

func trafficAttributes(s ecs.TrafficStats) []wireAttribute {
	if s.Requests == 0 {
		return []wireAttribute{}
	}
	return []wireAttribute{
		{Name: ptr(AttrLBRequests), Value: ptr(strconv.FormatInt(s.Requests, 10))},
		{Name: ptr(AttrLBErrors), Value: ptr(strconv.FormatInt(s.Errors, 10))},
	}
}
