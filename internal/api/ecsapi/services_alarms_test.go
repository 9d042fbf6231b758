package ecsapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestDeploymentAlarmsAreStored: fargo has no CloudWatch alarms to watch, but a service's
// deploymentConfiguration.alarms are accepted and read back as given.
func TestDeploymentAlarmsAreStored(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	alarms := &types.DeploymentAlarms{AlarmNames: []string{"p99-latency", "5xx-rate"}, Enable: true, Rollback: true}
	_, err := env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("c"), ServiceName: aws.String("alarmed"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(1),
		DeploymentConfiguration: &types.DeploymentConfiguration{Alarms: alarms},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := describeService(t, env, "alarmed").DeploymentConfiguration.Alarms
	if got == nil || len(got.AlarmNames) != 2 || got.AlarmNames[1] != "5xx-rate" || !got.Enable || !got.Rollback {
		t.Fatalf("alarms read back as %+v", got)
	}
}
