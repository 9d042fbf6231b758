package ecsapi

import (
	"cmp"
	"context"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/placement"
	"github.com/fargohq/fargo/internal/store"
)

// maxDescribeContainerInstances is how many instances one DescribeContainerInstances call may name.
const maxDescribeContainerInstances = 100

func (a *API) listContainerInstances(ctx context.Context, in *listContainerInstancesInput) (*listContainerInstancesOutput, error) {
	status := awsproto.Deref(in.Status)
	switch status {
	case "", "ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED":
	default:
		return nil, invalidEnum("status", status, "ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	instances, err := a.filteredInstances(ctx, cluster.Name, strings.TrimSpace(awsproto.Deref(in.Filter)))
	if err != nil {
		return nil, err
	}
	// Without a status filter ECS lists every instance that is not INACTIVE.
	arns := []string{}
	for _, inst := range instances {
		s := inst.Status
		if (status == "" && s != ecs.InstanceInactive) || string(s) == status {
			arns = append(arns, a.instanceARN(inst))
		}
	}
	page, next, err := awsproto.Paginate(pages, arns, awsproto.ByString(), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	return &listContainerInstancesOutput{ContainerInstanceArns: page, NextToken: next}, nil
}

// filteredInstances are the container instances of cluster that filter, an expression of the
// cluster query language, selects; all of them when it is empty.
func (a *API) filteredInstances(ctx context.Context, cluster, filter string) ([]ecs.ContainerInstance, error) {
	items, _, err := a.store.ContainerInstances.List(ctx, cluster+"/")
	if err != nil {
		return nil, err
	}
	instances := make([]ecs.ContainerInstance, len(items))
	for i, it := range items {
		instances[i] = it.Value
	}
	if filter == "" {
		return instances, nil
	}
	tasks, err := a.clusterTasks(ctx, cluster)
	if err != nil {
		return nil, err
	}
	return placement.Select(filter, instances, tasks)
}

func (a *API) describeContainerInstances(ctx context.Context, in *describeContainerInstancesInput) (*describeContainerInstancesOutput, error) {
	var withTags, withHealth bool
	for _, f := range in.Include {
		switch f {
		case "TAGS":
			withTags = true
		case "CONTAINER_INSTANCE_HEALTH":
			withHealth = true
		default:
			return nil, invalidEnum("include", f, "TAGS, CONTAINER_INSTANCE_HEALTH")
		}
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > maxDescribeContainerInstances {
		return nil, errdefs.InvalidArgument("containerInstances must name between 1 and %d container instances.", maxDescribeContainerInstances)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	tasks, err := a.clusterTasks(ctx, cluster.Name)
	if err != nil {
		return nil, err
	}
	kind := clusterChildKind[ecs.ContainerInstance]{
		typ: "container-instance", coll: a.store.ContainerInstances, key: store.ContainerInstanceID, arn: ecs.ContainerInstanceARN,
	}
	toWire := func(_ string, inst ecs.ContainerInstance) wireContainerInstance {
		return a.instanceToWire(inst, tasks, withTags, withHealth)
	}
	instances, failures, err := describeEach(ctx, a, kind, cluster.Name, in.ContainerInstances, toWire)
	if err != nil {
		return nil, err
	}
	return &describeContainerInstancesOutput{ContainerInstances: instances, Failures: failures}, nil
}

// instanceARN is the instance's ARN, derived when the agent left it out.
func (a *API) instanceARN(inst ecs.ContainerInstance) string {
	return cmp.Or(inst.ARN, ecs.ContainerInstanceARN(a.scope, inst.ClusterName, inst.ID))
}

func (a *API) instanceToWire(inst ecs.ContainerInstance, tasks []ecs.Task, withTags, withHealth bool) wireContainerInstance {
	var counts ecs.TaskCounts
	for _, t := range tasks {
		if t.ContainerInstanceID == inst.ID {
			counts = counts.Add(t)
		}
	}
	left := ecs.RemainingResources(inst, tasks)
	tcp, udp := ecs.UsedHostPorts(inst, tasks)
	out := wireContainerInstance{
		ContainerInstanceArn: ptr(a.instanceARN(inst)),
		Version:              inst.Version,
		VersionInfo:          &wireVersionInfo{AgentVersion: optional(inst.AgentVersion)},
		RegisteredResources:  resourcesToWire(ecs.Resources{CPU: inst.CPU, Memory: inst.Memory}, nil, nil),
		RemainingResources:   resourcesToWire(left, tcp, udp),
		Status:               ptr(string(inst.Status)),
		AgentConnected:       inst.AgentConnected,
		RunningTasksCount:    int32(counts.Running),
		PendingTasksCount:    int32(counts.Pending),
		Attributes:           alwaysListToWire(inst.Attributes, attributeToWire),
		RegisteredAt:         epochPtr(inst.RegisteredAt),
		Attachments:          []wireAttachment{},
	}
	if withTags {
		out.Tags = ptr([]wireTag{})
	}
	if withHealth {
		out.HealthStatus = instanceHealthToWire(inst)
	}
	return out
}

// resourcesToWire lists resources as ECS registers them: CPU and MEMORY as integers, and the
// host ports in use as string sets.
func resourcesToWire(r ecs.Resources, tcp, udp []int) []wireResource {
	ports := func(p []int) []string {
		out := make([]string, len(p))
		for i, v := range p {
			out[i] = strconv.Itoa(v)
		}
		return out
	}
	return []wireResource{
		{Name: ptr("CPU"), Type: ptr("INTEGER"), IntegerValue: int32(r.CPU)},
		{Name: ptr("MEMORY"), Type: ptr("INTEGER"), IntegerValue: int32(r.Memory)},
		{Name: ptr("PORTS"), Type: ptr("STRINGSET"), StringSetValue: ports(tcp)},
		{Name: ptr("PORTS_UDP"), Type: ptr("STRINGSET"), StringSetValue: ports(udp)},
	}
}

// instanceHealthToWire reports the runtime's health as the agent's heartbeat shows it.
func instanceHealthToWire(inst ecs.ContainerInstance) *wireContainerInstanceHealthStatus {
	status := "OK"
	if !inst.AgentConnected {
		status = "IMPAIRED"
	}
	return &wireContainerInstanceHealthStatus{
		OverallStatus: ptr(status),
		Details: []wireInstanceHealthCheckResult{{
			Type: ptr("CONTAINER_RUNTIME"), Status: ptr(status), LastUpdated: epochPtr(inst.LastHeartbeat),
		}},
	}
}
