package ecsapi

import (
	"context"
	"io"
	"maps"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

// TargetPrefix is the X-Amz-Target prefix of ECS requests.
const TargetPrefix = "AmazonEC2ContainerServiceV20141113"

// API serves ECS operations over a store.
type API struct {
	store *store.Store
	scope arn.Scope
	now   func() time.Time
	// random is where task and deployment ids come from; nil means crypto/rand.
	random io.Reader
}

// New returns the ECS API over st, naming resources in scope. now is the clock.
func New(st *store.Store, scope arn.Scope, now func() time.Time, opts ...Option) *API {
	if now == nil {
		now = time.Now
	}
	a := &API{store: st, scope: scope, now: now}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Service describes the ECS endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "ecs",
		SigningName:  "ecs",
		Protocol:     awsproto.ProtocolJSON,
		TargetPrefix: TargetPrefix,
		Operations:   a.operations(),
		ErrorFor:     errorFor,
		ClientError:  "ClientException",
		Targets:      targets,
	}
}

func (a *API) operations() map[string]awsproto.Handler {
	ops := map[string]awsproto.Handler{
		"CreateCluster":               awsproto.JSON(a.createCluster),
		"DescribeClusters":            awsproto.JSON(a.describeClusters),
		"ListClusters":                awsproto.JSON(a.listClusters),
		"DeleteCluster":               awsproto.JSON(a.deleteCluster),
		"UpdateCluster":               awsproto.JSON(a.updateCluster),
		"UpdateClusterSettings":       awsproto.JSON(a.updateClusterSettings),
		"TagResource":                 awsproto.JSON(a.tagResource),
		"UntagResource":               awsproto.JSON(a.untagResource),
		"ListTagsForResource":         awsproto.JSON(a.listTagsForResource),
		"RegisterTaskDefinition":      awsproto.JSON(a.registerTaskDefinition),
		"DescribeTaskDefinition":      awsproto.JSON(a.describeTaskDefinition),
		"ListTaskDefinitions":         awsproto.JSON(a.listTaskDefinitions),
		"ListTaskDefinitionFamilies":  awsproto.JSON(a.listTaskDefinitionFamilies),
		"DeregisterTaskDefinition":    awsproto.JSON(a.deregisterTaskDefinition),
		"DeleteTaskDefinitions":       awsproto.JSON(a.deleteTaskDefinitions),
		"CreateService":               awsproto.JSON(a.createService),
		"UpdateService":               awsproto.JSON(a.updateService),
		"DescribeServices":            awsproto.JSON(a.describeServices),
		"ListServices":                awsproto.JSON(a.listServices),
		"DeleteService":               awsproto.JSON(a.deleteService),
		"RunTask":                     awsproto.JSON(a.runTask),
		"StartTask":                   awsproto.JSON(a.startTask),
		"StopTask":                    awsproto.JSON(a.stopTask),
		"DescribeTasks":               awsproto.JSON(a.describeTasks),
		"ListTasks":                   awsproto.JSON(a.listTasks),
		"ListContainerInstances":      awsproto.JSON(a.listContainerInstances),
		"DescribeContainerInstances":  awsproto.JSON(a.describeContainerInstances),
		"CreateTaskSet":               awsproto.JSON(a.createTaskSet),
		"DescribeTaskSets":            awsproto.JSON(a.describeTaskSets),
		"UpdateTaskSet":               awsproto.JSON(a.updateTaskSet),
		"UpdateServicePrimaryTaskSet": awsproto.JSON(a.updateServicePrimaryTaskSet),
		"DeleteTaskSet":               awsproto.JSON(a.deleteTaskSet),
		"ListServiceDeployments":      awsproto.JSON(a.listServiceDeployments),
		"DescribeServiceDeployments":  awsproto.JSON(a.describeServiceDeployments),
		"DescribeServiceRevisions":    awsproto.JSON(a.describeServiceRevisions),
		"StopServiceDeployment":       awsproto.JSON(a.stopServiceDeployment),
		"ContinueServiceDeployment":   awsproto.JSON(a.continueServiceDeployment),
	}
	maps.Copy(ops, a.instanceOperations())
	return ops
}

func (a *API) arn(resource string) string { return a.scope.New("ecs", resource).String() }

// callerARN is the principal that made the request, for registeredBy fields.
func callerARN(ctx context.Context) string {
	c, _ := awsproto.CallerFrom(ctx)
	return c.ARN
}
