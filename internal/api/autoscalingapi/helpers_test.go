package autoscalingapi_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/autoscalingapi"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

var (
	t0    = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	scope = arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
)

const (
	ns    = aastypes.ServiceNamespaceEcs
	dim   = aastypes.ScalableDimensionECSServiceDesiredCount
	webID = "service/demo/web"
	apiID = "service/demo/api"
	role  = "arn:aws:iam::000000000000:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
)

// env is a front door with the ECS and Application Auto Scaling APIs, cluster demo and its
// services web and api (desired count 2 each), and their clients.
type env struct {
	*apitest.Server
	ECS     *ecssdk.Client
	Scaling *aas.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := apitest.Start(t,
		func(st *store.Store) awsproto.Service { return ecsapi.New(st, scope, time.Now).Service() },
		func(st *store.Store) awsproto.Service {
			// Every id drawn is the same: the ARNs differ by what they name.
			return autoscalingapi.New(st, scope, func() time.Time { return t0 }, autoscalingapi.WithRandom(repeat{})).Service()
		})
	e := &env{Server: srv, ECS: ecssdk.NewFromConfig(srv.AWS), Scaling: aas.NewFromConfig(srv.AWS)}
	ctx := apitest.Context(t)
	if _, err := e.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("app"), Memory: aws.Int32(128)}},
	}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"web", "api"} {
		if _, err := e.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
			Cluster: aws.String("demo"), ServiceName: aws.String(name), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(2),
		}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// repeat reads as the hex digits of random, over and over.
type repeat struct{}

func (repeat) Read(p []byte) (int, error) {
	src := bytes.Repeat([]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}, len(p)/8+1)
	return copy(p, src), nil
}

func (e *env) register(t *testing.T, resource string, minCap, maxCap int32) *aas.RegisterScalableTargetOutput {
	t.Helper()
	out, err := e.Scaling.RegisterScalableTarget(apitest.Context(t), &aas.RegisterScalableTargetInput{
		ServiceNamespace: ns, ResourceId: aws.String(resource), ScalableDimension: dim,
		MinCapacity: aws.Int32(minCap), MaxCapacity: aws.Int32(maxCap),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) targets(t *testing.T) []aastypes.ScalableTarget {
	t.Helper()
	out, err := e.Scaling.DescribeScalableTargets(apitest.Context(t), &aas.DescribeScalableTargetsInput{ServiceNamespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	return out.ScalableTargets
}

func (e *env) policies(t *testing.T) []aastypes.ScalingPolicy {
	t.Helper()
	var all []aastypes.ScalingPolicy
	pages := aas.NewDescribeScalingPoliciesPaginator(e.Scaling, &aas.DescribeScalingPoliciesInput{ServiceNamespace: ns})
	for pages.HasMorePages() {
		out, err := pages.NextPage(apitest.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, out.ScalingPolicies...)
	}
	return all
}
