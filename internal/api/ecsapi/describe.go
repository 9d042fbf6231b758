package ecsapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// clusterChildKind says where a Describe call finds one kind of cluster child (a service, task or
// container instance) and which ARN it reports when the child does not exist.
type clusterChildKind[T any] struct {
	typ  string // the ARN resource type, such as "service"
	coll store.Collection[T]
	key  func(cluster, id string) string
	arn  func(scope arn.Scope, cluster, id string) string
}

// describeEach is the lookup of DescribeServices, DescribeTasks and DescribeContainerInstances:
// it resolves each of refs to a child of cluster and converts what it finds with toWire. A
// reference that names no child of cluster, or one that does not exist, becomes a MISSING
// failure instead. Both lists are never nil, for ECS always sends them.
func describeEach[T, W any](ctx context.Context, a *API, kind clusterChildKind[T], cluster string, refs []string,
	toWire func(id string, v T) W) ([]W, []wireFailure, error) {
	found, failures := []W{}, []wireFailure{}
	for _, ref := range refs {
		id, ok := a.clusterChild(ref, kind.typ, cluster)
		if !ok {
			failures = append(failures, missing(a.missingARN(ref, kind.typ, cluster)))
			continue
		}
		it, err := kind.coll.Get(ctx, kind.key(cluster, id))
		if errors.Is(err, errdefs.ErrNotFound) {
			failures = append(failures, missing(kind.arn(a.scope, cluster, id)))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		found = append(found, toWire(id, it.Value))
	}
	return found, failures, nil
}

// missingARN is the ARN a MISSING failure reports for a reference that could not be resolved:
// the reference itself when it is an ARN, else the ARN it would have in cluster.
func (a *API) missingARN(ref, typ, cluster string) string {
	if arn.IsARN(ref) {
		return ref
	}
	return a.arn(typ + "/" + cluster + "/" + ref)
}
