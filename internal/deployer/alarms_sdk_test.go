package deployer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// TestRollingAlarmRollbackSDK runs the deployer over a rolling deployment whose alarm goes
// into ALARM while it rolls out: the deployment fails with the alarm's reason and an event,
// a rollback deployment starts (as the circuit breaker's), and DescribeServiceDeployments
// reports the alarm TRIGGERED.
func TestRollingAlarmRollbackSDK(t *testing.T) {
	t.Parallel()
	s := newNativeSDK(t)
	ctx := apitest.Context(t)
	in := s.input(ecstypes.DeploymentStrategyRolling, nil)
	in.DeploymentConfiguration.Alarms = &ecstypes.DeploymentAlarms{AlarmNames: []string{"web-5xx"}, Enable: true, Rollback: true}
	if _, err := s.env.ECS.CreateService(ctx, in); err != nil {
		t.Fatal(err)
	}
	alarm, err := cloudwatch.Put(cloudwatch.Alarm{}, false, cloudwatch.Alarm{Name: "web-5xx", Namespace: cloudwatch.NamespaceELB,
		MetricName: cloudwatch.MetricTarget5XX, Statistic: cloudwatch.StatSum, Period: 60, EvaluationPeriods: 1, Comparison: cloudwatch.GreaterThanThreshold}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.env.Store.Alarms.Create(ctx, alarm.Name, alarm); err != nil {
		t.Fatal(err)
	}
	s.startNativeDeployer(t, time.Hour)
	waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusSuccessful)
	if _, err := s.env.Store.Services.Update(ctx, store.ServiceID("demo", "native"), func(svc *ecs.Service) error {
		svc.StableTaskDefinitionARN = s.taskDefV1(t) // as the scheduler records a completed deployment
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	upd, err := s.env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("native"), TaskDefinition: aws.String("web:2")})
	if err != nil {
		t.Fatal(err)
	}
	cur := aws.ToString(upd.Service.CurrentServiceDeployment)
	waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusInProgress)
	if _, err := s.env.Store.Alarms.Update(ctx, "web-5xx", func(a *cloudwatch.Alarm) error {
		a.SetState(cloudwatch.StateAlarm, "Threshold Crossed", "{}", time.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rolling := waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusRollbackInProgress, ecstypes.ServiceDeploymentStatusRollbackSuccessful)
	if aws.ToString(rolling[0].ServiceDeploymentArn) != cur {
		t.Fatalf("rolled back %+v, want %s", rolling, cur)
	}
	desc, err := s.env.ECS.DescribeServiceDeployments(ctx, &ecssdk.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{cur}})
	if err != nil {
		t.Fatal(err)
	}
	sd := desc.ServiceDeployments[0]
	reason := "failed: alarm(s) [web-5xx] in ALARM state."
	if a := sd.Alarms; a == nil || a.Status != ecstypes.ServiceDeploymentRollbackMonitorsStatusTriggered || len(a.TriggeredAlarmNames) != 1 ||
		sd.Rollback == nil || !strings.HasSuffix(aws.ToString(sd.Rollback.Reason), reason) {
		t.Fatalf("service deployment %+v", sd)
	}
	svc, err := s.env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"native"}})
	if err != nil {
		t.Fatal(err)
	}
	failed, event := false, false
	for _, d := range svc.Services[0].Deployments {
		failed = failed || d.RolloutState == ecstypes.DeploymentRolloutStateFailed && strings.HasSuffix(aws.ToString(d.RolloutStateReason), reason)
	}
	for _, e := range svc.Services[0].Events {
		event = event || strings.HasSuffix(aws.ToString(e.Message), "deployment failed: alarm(s) [web-5xx] in ALARM state.")
	}
	if !failed || !event || aws.ToString(svc.Services[0].TaskDefinition) != s.taskDefV1(t) {
		t.Fatalf("service after the alarm: %+v", svc.Services[0])
	}
}
