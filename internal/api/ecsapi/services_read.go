package ecsapi

import (
	"context"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxDescribeServices is how many services one DescribeServices call may name.
const maxDescribeServices = 10

func (a *API) describeServices(ctx context.Context, in *describeServicesInput) (*describeServicesOutput, error) {
	withTags, err := parseTagsInclude(in.Include)
	if err != nil {
		return nil, err
	}
	if len(in.Services) == 0 {
		return nil, errdefs.InvalidArgument("Services cannot be empty.")
	}
	if len(in.Services) > maxDescribeServices {
		return nil, errdefs.InvalidArgument("The services parameter can contain at most %d items.", maxDescribeServices)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	tasks, err := a.clusterTasks(ctx, cluster.Name)
	if err != nil {
		return nil, err
	}
	kind := clusterChildKind[ecs.Service]{typ: "service", coll: a.store.Services, key: store.ServiceID, arn: ecs.ServiceARN}
	services, failures, err := describeEach(ctx, a, kind, cluster.Name, in.Services, func(name string, s ecs.Service) wireService {
		return serviceToWire(s, countServiceTasks(name, tasks), withTags)
	})
	if err != nil {
		return nil, err
	}
	return &describeServicesOutput{Services: services, Failures: failures}, nil
}

// parseTagsInclude reads an include list whose only value is TAGS (ServiceField, TaskField).
func parseTagsInclude(include []string) (bool, error) {
	withTags := false
	for _, f := range include {
		if f != "TAGS" {
			return false, invalidEnum("include", f, "TAGS")
		}
		withTags = true
	}
	return withTags, nil
}

func (a *API) listServices(ctx context.Context, in *listServicesInput) (*listServicesOutput, error) {
	launchType, strategy, mgmt := awsproto.Deref(in.LaunchType), awsproto.Deref(in.SchedulingStrategy), awsproto.Deref(in.ResourceManagementType)
	switch {
	case launchType != "" && !validLaunchType(launchType):
		return nil, invalidEnum("launchType", launchType, "EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES")
	case strategy != "" && strategy != ecs.SchedulingReplica && strategy != ecs.SchedulingDaemon:
		return nil, invalidEnum("schedulingStrategy", strategy, "REPLICA, DAEMON")
	case mgmt != "" && mgmt != "CUSTOMER" && mgmt != "ECS":
		return nil, invalidEnum("resourceManagementType", mgmt, "CUSTOMER, ECS")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, true)
	if err != nil {
		return nil, err
	}
	items, _, err := a.store.Services.List(ctx, cluster.Name+"/")
	if err != nil {
		return nil, err
	}
	// Only ACTIVE services are listed: ECS hides a service from ListServices as soon as
	// DeleteService makes it DRAINING. Every fargo service is managed by its customer.
	arns := []string{}
	for _, it := range items {
		s := it.Value
		if s.Status != ecs.ServiceActive || mgmt == "ECS" ||
			(launchType != "" && s.LaunchType != launchType) || (strategy != "" && s.SchedulingStrategy != strategy) {
			continue
		}
		arns = append(arns, s.ARN)
	}
	page, next, err := awsproto.Paginate(pages, arns, awsproto.ByString(), in.NextToken, in.MaxResults, 10)
	if err != nil {
		return nil, err
	}
	return &listServicesOutput{ServiceArns: page, NextToken: next}, nil
}

func validLaunchType(s string) bool {
	for _, v := range ecs.Compatibility("").Values() {
		if string(v) == s {
			return true
		}
	}
	return false
}
