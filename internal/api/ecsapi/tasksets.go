package ecsapi

import (
	"context"
	"errors"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// defaultScale is the scale of a task set created without one: the service's whole desired count.
const defaultScale = 100

func (a *API) createTaskSet(ctx context.Context, in *createTaskSetInput) (*taskSetOutput, error) {
	cluster, name, err := a.taskSetServiceRef(ctx, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	if awsproto.Deref(in.TaskDefinition) == "" {
		return nil, errdefs.InvalidArgument("taskDefinition must be specified.")
	}
	td, err := a.activeTaskDefinition(ctx, *in.TaskDefinition)
	if err != nil {
		return nil, err
	}
	ts, err := taskSetFromCreateInput(in)
	if err != nil {
		return nil, err
	}
	if ts.ID, err = a.newDeploymentID(); err != nil {
		return nil, err
	}
	ts.ARN = ecs.TaskSetARN(a.scope, cluster.Name, name, ts.ID)
	return a.changeTaskSet(ctx, cluster.Name, name, true, func(s ecs.Service, at time.Time) (ecs.Service, ecs.TaskSet, error) {
		return ecs.CreateTaskSet(s, ts, td, at)
	})
}

// taskSetFromCreateInput is the task set a CreateTaskSet request asks for, before the domain
// validates it against its service and task definition.
func taskSetFromCreateInput(in *createTaskSetInput) (ecs.TaskSet, error) {
	ts := ecs.TaskSet{
		ExternalID:      awsproto.Deref(in.ExternalId),
		PlatformVersion: awsproto.Deref(in.PlatformVersion),
		LoadBalancers:   listFromWire(in.LoadBalancers, loadBalancerFromWire),
		Scale:           defaultScale,
		ClientToken:     awsproto.Deref(in.ClientToken),
		Tags:            tagsFromWire(in.Tags),
	}
	var err error
	if in.Scale != nil {
		if ts.Scale, err = scaleFromWire(in.Scale); err != nil {
			return ecs.TaskSet{}, err
		}
	}
	if ts.LaunchType, err = ecs.LaunchTypeForStrategy(awsproto.Deref(in.LaunchType), strategyFromWire(in.CapacityProviderStrategy)); err != nil {
		return ecs.TaskSet{}, err
	}
	ts.NetworkConfiguration, err = networkConfigurationFromWire(in.NetworkConfiguration)
	return ts, err
}

// scaleFromWire returns a valid scale's value in percent.
func scaleFromWire(in *wireScale) (float64, error) {
	return in.Value, ecs.ValidateScale(in.Value, awsproto.Deref(in.Unit))
}

func (a *API) updateTaskSet(ctx context.Context, in *updateTaskSetInput) (*taskSetOutput, error) {
	if in.Scale == nil {
		return nil, errdefs.InvalidArgument("scale must be specified.")
	}
	return a.changeNamedTaskSet(ctx, in.Cluster, in.Service, "taskSet", in.TaskSet, func(s ecs.Service, ref string, at time.Time) (ecs.Service, ecs.TaskSet, error) {
		return ecs.UpdateTaskSetScale(s, ref, in.Scale.Value, awsproto.Deref(in.Scale.Unit), at)
	})
}

func (a *API) updateServicePrimaryTaskSet(ctx context.Context, in *updateServicePrimaryTaskSetInput) (*taskSetOutput, error) {
	return a.changeNamedTaskSet(ctx, in.Cluster, in.Service, "primaryTaskSet", in.PrimaryTaskSet, ecs.SetPrimaryTaskSet)
}

func (a *API) deleteTaskSet(ctx context.Context, in *deleteTaskSetInput) (*taskSetOutput, error) {
	return a.changeNamedTaskSet(ctx, in.Cluster, in.Service, "taskSet", in.TaskSet, func(s ecs.Service, ref string, at time.Time) (ecs.Service, ecs.TaskSet, error) {
		return ecs.DeleteTaskSet(s, ref, awsproto.Deref(in.Force), at)
	})
}

// changeNamedTaskSet is changeTaskSet for the operations on one existing task set, which the
// request names in its member called member.
func (a *API) changeNamedTaskSet(ctx context.Context, clusterRef, serviceRef *string, member string, taskSetRef *string,
	change func(s ecs.Service, ref string, at time.Time) (ecs.Service, ecs.TaskSet, error)) (*taskSetOutput, error) {
	cluster, name, err := a.taskSetServiceRef(ctx, clusterRef, serviceRef)
	if err != nil {
		return nil, err
	}
	if awsproto.Deref(taskSetRef) == "" {
		return nil, errdefs.InvalidArgument("%s must be specified.", member)
	}
	return a.changeTaskSet(ctx, cluster.Name, name, false, func(s ecs.Service, at time.Time) (ecs.Service, ecs.TaskSet, error) {
		return change(s, *taskSetRef, at)
	})
}

// taskSetServiceRef resolves the cluster and service of a task set request; unlike the service
// operations, these require the cluster.
func (a *API) taskSetServiceRef(ctx context.Context, clusterRef, serviceRef *string) (ecs.Cluster, string, error) {
	if awsproto.Deref(clusterRef) == "" {
		return ecs.Cluster{}, "", errdefs.InvalidArgument("cluster must be specified.")
	}
	return a.serviceRef(ctx, clusterRef, serviceRef)
}

// changeTaskSet lets change decide the next state of service name of cluster through
// modifyService and answers the task set it returns.
func (a *API) changeTaskSet(ctx context.Context, cluster, name string, withTags bool,
	change func(ecs.Service, time.Time) (ecs.Service, ecs.TaskSet, error)) (*taskSetOutput, error) {
	var ts ecs.TaskSet
	saved, err := a.modifyService(ctx, cluster, name, func(cur ecs.Service) (ecs.Service, error) {
		next, changed, err := change(cur, a.now())
		ts = changed
		return next, err
	})
	if err != nil {
		return nil, err
	}
	counts, err := a.serviceTaskCounts(ctx, saved)
	if err != nil {
		return nil, err
	}
	return &taskSetOutput{TaskSet: ptr(taskSetToWire(saved, ts, counts.byDeployment[ts.ID], withTags))}, nil
}

// errInvalidTaskSetRef is ECS's answer to an ARN of something other than a task set.
var errInvalidTaskSetRef = errdefs.InvalidArgument("Task Set Identifier is invalid")

func (a *API) describeTaskSets(ctx context.Context, in *describeTaskSetsInput) (*describeTaskSetsOutput, error) {
	withTags, err := parseTagsInclude(in.Include)
	if err != nil {
		return nil, err
	}
	cluster, name, err := a.taskSetServiceRef(ctx, in.Cluster, in.Service)
	if err != nil {
		return nil, err
	}
	s, err := a.taskSetService(ctx, cluster.Name, name)
	if err != nil {
		return nil, err
	}
	out := &describeTaskSetsOutput{TaskSets: []wireTaskSet{}, Failures: []wireFailure{}}
	counts, err := a.serviceTaskCounts(ctx, s)
	if err != nil {
		return nil, err
	}
	if len(in.TaskSets) == 0 {
		out.TaskSets = taskSetsToWire(s, counts, withTags)
		return out, nil
	}
	for _, ref := range in.TaskSets {
		if arn.IsARN(ref) && !isTaskSetARN(ref) {
			return nil, errInvalidTaskSetRef
		}
		ts, ok := s.TaskSet(ref)
		if !ok {
			out.Failures = append(out.Failures, missing(a.taskSetMissingARN(s, ref)))
			continue
		}
		out.TaskSets = append(out.TaskSets, taskSetToWire(s, ts, counts.byDeployment[ts.ID], withTags))
	}
	return out, nil
}

// taskSetService reads a service whose task sets DescribeTaskSets may list: one of the EXTERNAL
// or CODE_DEPLOY controller that was not deleted. A DRAINING one still has task sets to show.
func (a *API) taskSetService(ctx context.Context, cluster, name string) (ecs.Service, error) {
	it, err := a.store.Services.Get(ctx, store.ServiceID(cluster, name))
	switch s := it.Value; {
	case errors.Is(err, errdefs.ErrNotFound):
		return ecs.Service{}, ecs.ErrServiceNotFound
	case err != nil:
		return ecs.Service{}, err
	case !s.RunsTaskSets():
		return ecs.Service{}, ecs.ErrNotExternal
	case s.Status == ecs.ServiceInactive:
		return ecs.Service{}, ecs.ErrServiceNotActive
	default:
		return s, nil
	}
}

func isTaskSetARN(ref string) bool {
	parsed, err := arn.Parse(ref)
	return err == nil && parsed.Service == "ecs" && parsed.ResourceType() == "task-set"
}

// taskSetMissingARN is the ARN a MISSING failure reports for ref: ref itself when it is an ARN,
// else the ARN a task set of that id in s would have.
func (a *API) taskSetMissingARN(s ecs.Service, ref string) string {
	if arn.IsARN(ref) {
		return ref
	}
	return ecs.TaskSetARN(a.scope, s.ClusterName, s.Name, ref)
}

func taskSetsToWire(s ecs.Service, counts serviceCounts, withTags bool) []wireTaskSet {
	out := make([]wireTaskSet, len(s.TaskSets))
	for i, ts := range s.TaskSets {
		out[i] = taskSetToWire(s, ts, counts.byDeployment[ts.ID], withTags)
	}
	return out
}

// taskSetToWire sends ts of s with the counts of its tasks. fargo has no capacity providers of
// its own and no service discovery: those lists are always empty.
func taskSetToWire(s ecs.Service, ts ecs.TaskSet, counts ecs.TaskCounts, withTags bool) wireTaskSet {
	out := wireTaskSet{
		ID:                       ptr(ts.ID),
		TaskSetArn:               ptr(ts.ARN),
		ServiceArn:               ptr(s.ARN),
		ClusterArn:               ptr(s.ClusterARN),
		StartedBy:                optional(ts.StartedBy),
		ExternalId:               optional(ts.ExternalID),
		Status:                   ptr(string(ts.Status)),
		TaskDefinition:           optional(ts.TaskDefinitionARN),
		ComputedDesiredCount:     int32(s.TaskSetDesiredCount(ts)),
		PendingCount:             int32(counts.Pending),
		RunningCount:             int32(counts.Running),
		CreatedAt:                epochPtr(ts.CreatedAt),
		UpdatedAt:                epochPtr(ts.UpdatedAt),
		LaunchType:               optional(ts.LaunchType),
		CapacityProviderStrategy: []wireCapacityProviderStrategyItem{},
		PlatformVersion:          optional(ts.PlatformVersion),
		NetworkConfiguration:     networkConfigurationToWire(ts.NetworkConfiguration),
		LoadBalancers:            alwaysListToWire(ts.LoadBalancers, loadBalancerToWire),
		ServiceRegistries:        []wireServiceRegistry{},
		Scale:                    &wireScale{Value: ts.Scale, Unit: ptr(ecs.ScaleUnitPercent)},
		StabilityStatus:          optional(string(ts.StabilityStatus)),
		StabilityStatusAt:        epochPtr(ts.StabilityStatusAt),
	}
	if ts.LaunchType == string(ecs.CompatibilityFargate) {
		out.PlatformFamily = ptr(ecs.PlatformFamilyLinux)
	}
	if withTags {
		out.Tags = ptr(tagsToWire(ts.Tags))
	}
	return out
}
