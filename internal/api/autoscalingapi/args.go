package autoscalingapi

import (
	"errors"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// namespaces and dimensions are the model's enums. fargo serves ecs and
// ecs:service:DesiredCount only; the others are known, so that a request naming one is told
// so rather than called malformed.
var (
	namespaces = []string{"ecs", "elasticmapreduce", "ec2", "appstream", "dynamodb", "rds", "sagemaker", "custom-resource",
		"comprehend", "lambda", "cassandra", "kafka", "elasticache", "neptune", "workspaces"}
	dimensions = []string{"ecs:service:DesiredCount", "ec2:spot-fleet-request:TargetCapacity", "elasticmapreduce:instancegroup:InstanceCount",
		"appstream:fleet:DesiredCapacity", "dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits",
		"dynamodb:index:ReadCapacityUnits", "dynamodb:index:WriteCapacityUnits", "rds:cluster:ReadReplicaCount",
		"sagemaker:variant:DesiredInstanceCount", "custom-resource:ResourceType:Property",
		"comprehend:document-classifier-endpoint:DesiredInferenceUnits", "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits",
		"lambda:function:ProvisionedConcurrency", "cassandra:table:ReadCapacityUnits", "cassandra:table:WriteCapacityUnits",
		"kafka:broker-storage:VolumeSize", "elasticache:cache-cluster:Nodes", "elasticache:replication-group:NodeGroups",
		"elasticache:replication-group:Replicas", "neptune:cluster:ReadReplicaCount", "sagemaker:variant:DesiredProvisionedConcurrency",
		"sagemaker:inference-component:DesiredCopyCount", "workspaces:workspacespool:DesiredUserSessions"}
)

func errNull(member string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

func errEnum(member, value string, values []string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, strings.Join(values, ", "))
}

func required(member string, v *string) (string, error) {
	if v == nil {
		return "", errNull(member)
	}
	if *v == "" {
		return "", errdefs.InvalidArgument("1 validation error detected: Value '' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member)
	}
	return *v, nil
}

// namespaceArg returns a request's ServiceNamespace, one of the model's.
func namespaceArg(v *string) (string, error) {
	if v == nil {
		return "", errNull("serviceNamespace")
	}
	if !slices.Contains(namespaces, *v) {
		return "", errEnum("serviceNamespace", *v, namespaces)
	}
	return *v, nil
}

// dimensionFilter returns the ScalableDimension a Describe call filters by, "" for any.
func dimensionFilter(v *string) (string, error) {
	if v == nil {
		return "", nil
	}
	if !slices.Contains(dimensions, *v) {
		return "", errEnum("scalableDimension", *v, dimensions)
	}
	return *v, nil
}

// keyArgs returns the target a request names, checked as a service's desired count, with the
// service's cluster and name.
func keyArgs(ns, id, dim *string) (autoscaling.TargetKey, string, string, error) {
	var k autoscaling.TargetKey
	var err error
	if k.Namespace, err = namespaceArg(ns); err != nil {
		return k, "", "", err
	}
	if k.ResourceID, err = required("resourceId", id); err != nil {
		return k, "", "", err
	}
	if dim == nil {
		return k, "", "", errNull("scalableDimension")
	}
	if k.Dimension, err = dimensionFilter(dim); err != nil {
		return k, "", "", err
	}
	cluster, service, err := autoscaling.CheckKey(k)
	return k, cluster, service, err
}

// retry runs fn until it does not fail with a conflict (store.Retry); a conflict that outlives
// the retries is answered as AWS's ConcurrentUpdateException.
func retry(fn func() error) error {
	_, err := store.Retry(func() (struct{}, error) { return struct{}{}, fn() })
	if errors.Is(err, errdefs.ErrConflict) {
		return errdefs.Conflict("Concurrent updates to the same scalable target conflicted; try again.")
	}
	return err
}
