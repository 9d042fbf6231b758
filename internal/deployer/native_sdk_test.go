package deployer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// nativeSDK is the CODE_DEPLOY setup's cluster, task definitions, groups and listener, with an
// ECS-controller service "native" instead, created through the SDK.
type nativeSDK struct {
	*setup
	rule string
}

func newNativeSDK(t *testing.T) *nativeSDK {
	t.Helper()
	s := &nativeSDK{setup: newSetup(t)}
	rules, err := s.env.ELBV2.DescribeRules(apitest.Context(t), &elbsdk.DescribeRulesInput{ListenerArn: aws.String(s.listener)})
	if err != nil || len(rules.Rules) != 1 {
		t.Fatalf("describe-rules: %v", err)
	}
	s.rule = aws.ToString(rules.Rules[0].RuleArn)
	return s
}

func (s *nativeSDK) input(strategy ecstypes.DeploymentStrategy, advanced *ecstypes.AdvancedConfiguration) *ecssdk.CreateServiceInput {
	return &ecssdk.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("native"),
		TaskDefinition: aws.String("web:1"), DesiredCount: aws.Int32(2),
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{Strategy: strategy, BakeTimeInMinutes: aws.Int32(1)},
		NetworkConfiguration:    &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
		LoadBalancers: []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(s.blueTG), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080),
			AdvancedConfiguration: advanced}},
	}
}

func (s *nativeSDK) advanced() *ecstypes.AdvancedConfiguration {
	return &ecstypes.AdvancedConfiguration{AlternateTargetGroupArn: aws.String(s.greenTG), ProductionListenerRule: aws.String(s.rule),
		RoleArn: aws.String("arn:aws:iam::000000000000:role/ecsInfra")}
}

// TestNativeServiceValidation creates services with native settings that ECS refuses: each
// gets InvalidParameterException with its reason, and no service is created.
func TestNativeServiceValidation(t *testing.T) {
	t.Parallel()
	s := newNativeSDK(t)
	ctx := apitest.Context(t)
	noAlternate := s.advanced()
	noAlternate.AlternateTargetGroupArn = nil
	sameGroup := s.advanced()
	sameGroup.AlternateTargetGroupArn = aws.String(s.blueTG)
	badRule := s.advanced()
	badRule.ProductionListenerRule = aws.String(s.listener)
	ghostRule := s.advanced()
	ghostRule.ProductionListenerRule = aws.String(s.rule + "0")
	linearOnBlueGreen := s.input(ecstypes.DeploymentStrategyBlueGreen, s.advanced())
	linearOnBlueGreen.DeploymentConfiguration.LinearConfiguration = &ecstypes.LinearConfiguration{StepPercent: aws.Float64(10)}
	tinyStep := s.input(ecstypes.DeploymentStrategyLinear, s.advanced())
	tinyStep.DeploymentConfiguration.LinearConfiguration = &ecstypes.LinearConfiguration{StepPercent: aws.Float64(1)}
	badHook := s.input(ecstypes.DeploymentStrategyBlueGreen, s.advanced())
	badHook.DeploymentConfiguration.LifecycleHooks = []ecstypes.DeploymentLifecycleHook{{TargetType: ecstypes.DeploymentLifecycleHookTargetTypePause,
		LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{"SCALE_UP"}}}
	for _, tt := range []struct {
		name string
		in   *ecssdk.CreateServiceInput
		msg  string
	}{
		{"advanced configuration with ROLLING", s.input(ecstypes.DeploymentStrategyRolling, s.advanced()),
			"advancedConfiguration is only supported for the BLUE_GREEN, LINEAR and CANARY deployment strategies."},
		{"no alternate group", s.input(ecstypes.DeploymentStrategyBlueGreen, noAlternate), "advancedConfiguration.alternateTargetGroupArn must be specified."},
		{"the same group twice", s.input(ecstypes.DeploymentStrategyBlueGreen, sameGroup), "advancedConfiguration.alternateTargetGroupArn must be different from targetGroupArn."},
		{"a listener for a rule", s.input(ecstypes.DeploymentStrategyBlueGreen, badRule), "The listener rule ARN " + s.listener + " is not valid."},
		{"a rule that does not exist", s.input(ecstypes.DeploymentStrategyBlueGreen, ghostRule), "The listener rule " + s.rule + "0 does not exist."},
		{"linear settings on blue/green", linearOnBlueGreen, "linearConfiguration is only supported for the LINEAR deployment strategy."},
		{"a linear step below 3%", tinyStep, "linearConfiguration.stepPercent must be between 3.0 and 100.0."},
		{"a hook at SCALE_UP", badHook, "1 validation error detected: Value 'SCALE_UP' at 'lifecycleHooks.lifecycleStages' failed to satisfy constraint: Member must satisfy enum value set: [RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT]"},
	} {
		_, err := s.env.ECS.CreateService(ctx, tt.in)
		apitest.WantError(t, err, "InvalidParameterException", tt.msg, 400)
	}
	if _, err := s.env.Store.Services.Get(ctx, store.ServiceID("demo", "native")); err == nil {
		t.Fatal("a refused CreateService stored the service")
	}
}

// TestNativeServiceDeploymentsSDK creates a BLUE_GREEN service and updates it with the SDK, with
// the deployer running and a stand-in for the scheduler: each deployment gets a service
// deployment and a revision, which the five operations report as ECS does.
func TestNativeServiceDeploymentsSDK(t *testing.T) {
	t.Parallel()
	s := newNativeSDK(t)
	ctx := apitest.Context(t)
	created, err := s.env.ECS.CreateService(ctx, s.input(ecstypes.DeploymentStrategyBlueGreen, s.advanced()))
	if err != nil {
		t.Fatal(err)
	}
	lb := created.Service.LoadBalancers[0]
	if aws.ToString(lb.AdvancedConfiguration.AlternateTargetGroupArn) != s.greenTG || created.Service.DeploymentConfiguration.Strategy != ecstypes.DeploymentStrategyBlueGreen {
		t.Fatalf("CreateService answered %+v", created.Service)
	}
	s.startNativeDeployer(t, time.Hour) // the bake time lasts until the test stops the deployment
	waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusSuccessful)
	upd, err := s.env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("native"), TaskDefinition: aws.String("web:2")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(upd.Service.Deployments); n != 2 {
		t.Fatalf("UpdateService answered %d deployments, want 2: %+v", n, upd.Service.Deployments)
	}
	cur := aws.ToString(upd.Service.CurrentServiceDeployment)
	if len(upd.Service.CurrentServiceRevisions) != 2 || cur == "" {
		t.Fatalf("UpdateService: current service deployment %q, revisions %+v", cur, upd.Service.CurrentServiceRevisions)
	}
	list := waitList(t, s.env.ECS, 2)
	if aws.ToString(list[0].ServiceDeploymentArn) != cur {
		t.Fatalf("ListServiceDeployments lists %s first, want the newest, %s", aws.ToString(list[0].ServiceDeploymentArn), cur)
	}
	waitStage(t, s.env.ECS, cur, "BAKE_TIME")
	checkListFilters(t, s.env.ECS, list)
	desc, err := s.env.ECS.DescribeServiceDeployments(ctx, &ecssdk.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{cur, cur + "x"}})
	if err != nil || len(desc.ServiceDeployments) != 1 || len(desc.Failures) != 1 || aws.ToString(desc.Failures[0].Reason) != "MISSING" {
		t.Fatalf("DescribeServiceDeployments: %+v, %v", desc, err)
	}
	sd := desc.ServiceDeployments[0]
	if len(sd.SourceServiceRevisions) != 1 || sd.TargetServiceRevision == nil || sd.DeploymentConfiguration.Strategy != ecstypes.DeploymentStrategyBlueGreen {
		t.Fatalf("service deployment %+v", sd)
	}
	revs, err := s.env.ECS.DescribeServiceRevisions(ctx, &ecssdk.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{
		aws.ToString(sd.TargetServiceRevision.Arn), aws.ToString(sd.SourceServiceRevisions[0].Arn)}})
	if err != nil || len(revs.ServiceRevisions) != 2 {
		t.Fatalf("DescribeServiceRevisions: %+v, %v", revs, err)
	}
	if got := aws.ToString(revs.ServiceRevisions[0].LoadBalancers[0].TargetGroupArn); got != s.greenTG {
		t.Fatalf("the new revision's tasks go to %s, want the alternate group %s", got, s.greenTG)
	}
	if got := aws.ToString(revs.ServiceRevisions[1].TaskDefinition); got != s.taskDefV1(t) {
		t.Fatalf("the source revision runs %s", got)
	}

	_, err = s.env.ECS.ContinueServiceDeployment(ctx, &ecssdk.ContinueServiceDeploymentInput{ServiceDeploymentArn: aws.String(cur), HookId: aws.String("nope")})
	apitest.WantError(t, err, "InvalidParameterException", "The service deployment "+cur+" has no lifecycle hook nope.", 400)
	_, err = s.env.ECS.StopServiceDeployment(ctx, &ecssdk.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(cur + "x")})
	apitest.WantError(t, err, "ServiceDeploymentNotFoundException", "The service deployment "+cur+"x does not exist.", 400)
	if _, err := s.env.ECS.StopServiceDeployment(ctx, &ecssdk.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(cur)}); err != nil {
		t.Fatal(err)
	}
	_, err = s.env.ECS.StopServiceDeployment(ctx, &ecssdk.StopServiceDeploymentInput{ServiceDeploymentArn: aws.String(cur)})
	apitest.WantError(t, err, "ConflictException", "The service deployment "+cur+" has ended or is being rolled back: it cannot be stopped.", 400)
	rolledBack := waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusRollbackSuccessful)
	if aws.ToString(rolledBack[0].ServiceDeploymentArn) != cur {
		t.Fatalf("ROLLBACK_SUCCESSFUL: %+v", rolledBack)
	}
	svc, err := s.env.ECS.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"native"}})
	if err != nil || aws.ToString(svc.Services[0].TaskDefinition) != s.taskDefV1(t) {
		t.Fatalf("after the rollback the service runs %v (%v)", svc, err)
	}
}

func (s *nativeSDK) taskDefV1(t *testing.T) string {
	out, err := s.env.ECS.DescribeTaskDefinition(apitest.Context(t), &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1")})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// startNativeDeployer runs the deployer (with minutes of minute) and a stand-in for the scheduler:
// every deployment's tasks run healthy at once (the service's desired count of them), a
// deployment leaves deployments[] once it turns INACTIVE, and one left alone completes.
func (s *nativeSDK) startNativeDeployer(t *testing.T, minute time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	c := deployer.New(s.env.Store, scope, deployer.Config{Poll: 5 * time.Millisecond, Minute: minute}, nil)
	done := make(chan struct{}, 2)
	go func() { _ = c.Run(ctx); done <- struct{}{} }()
	go func() {
		defer func() { done <- struct{}{} }()
		for ctx.Err() == nil {
			_, _ = s.env.Store.Services.Update(ctx, store.ServiceID("demo", "native"), func(svc *ecs.Service) error {
				var kept []ecs.Deployment
				for _, d := range svc.Deployments {
					if d.Status != ecs.DeploymentInactive {
						kept = append(kept, d)
					}
				}
				svc.Deployments = kept
				if len(kept) == 1 && kept[0].Status == ecs.DeploymentPrimary {
					kept[0].RolloutState = ecs.RolloutCompleted // steady, as the scheduler would find it
				}
				return nil
			})
			s.healthyTasks(ctx, t)
			time.Sleep(5 * time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done; <-done })
}

// healthyTasks keeps DesiredCount running healthy tasks for each deployment of the service,
// and none for deployments that left it.
func (s *nativeSDK) healthyTasks(ctx context.Context, t *testing.T) {
	it, err := s.env.Store.Services.Get(ctx, store.ServiceID("demo", "native"))
	if err != nil {
		return
	}
	live := map[string]bool{}
	for _, d := range it.Value.Deployments {
		live[d.ID] = true
	}
	tasks, _, _ := s.env.Store.Tasks.List(ctx, "demo/")
	for _, task := range tasks {
		if task.Value.ServiceName == "native" && !live[task.Value.DeploymentID] {
			_ = s.env.Store.Tasks.Delete(ctx, task.ID) // the deployment left: its tasks are gone
		}
	}
	for _, d := range it.Value.Deployments {
		for i := range d.DesiredCount {
			id := d.ID[len("ecs-svc/"):] + string(rune('a'+i))
			_, _ = s.env.Store.Tasks.Create(ctx, store.TaskID("demo", id), ecs.Task{ID: id, ClusterName: "demo", ServiceName: "native",
				DeploymentID: d.ID, LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning, LoadBalanced: true, TargetHealth: ecs.HealthHealthy})
		}
	}
}

// waitList waits until ListServiceDeployments (with statuses) lists n service deployments.
func waitList(t *testing.T, c *ecssdk.Client, n int, statuses ...ecstypes.ServiceDeploymentStatus) []ecstypes.ServiceDeploymentBrief {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.ListServiceDeployments(apitest.Context(t), &ecssdk.ListServiceDeploymentsInput{Cluster: aws.String("demo"), Service: aws.String("native"), Status: statuses})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.ServiceDeployments) == n {
			return out.ServiceDeployments
		}
		if time.Now().After(deadline) {
			t.Fatalf("ListServiceDeployments %v: %+v, want %d", statuses, out.ServiceDeployments, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitStage waits until service deployment arn is at stage.
func waitStage(t *testing.T, c *ecssdk.Client, arn, stage string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.DescribeServiceDeployments(apitest.Context(t), &ecssdk.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
		if err != nil || len(out.ServiceDeployments) != 1 {
			t.Fatalf("DescribeServiceDeployments: %+v, %v", out, err)
		}
		if string(out.ServiceDeployments[0].LifecycleStage) == stage {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("service deployment at %s, want %s: %+v", out.ServiceDeployments[0].LifecycleStage, stage, out.ServiceDeployments[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitHook waits until service deployment arn reports hook hookID with status.
func waitHook(t *testing.T, c *ecssdk.Client, arn, hookID string, status string) ecstypes.ServiceDeployment {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := c.DescribeServiceDeployments(apitest.Context(t), &ecssdk.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
		if err != nil {
			t.Fatalf("DescribeServiceDeployments: %v", err)
		}
		if len(out.ServiceDeployments) != 1 { // the deployer records it a moment after UpdateService
			if time.Now().After(deadline) {
				t.Fatalf("service deployment %s never recorded: %+v", arn, out.Failures)
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		sd := out.ServiceDeployments[0]
		for _, h := range sd.LifecycleHookDetails {
			if aws.ToString(h.HookId) == hookID && string(h.Status) == status {
				return sd
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("hook %s never %s: %+v (status %s, stage %s, reason %s)", hookID, status, sd.LifecycleHookDetails, sd.Status, sd.LifecycleStage, aws.ToString(sd.StatusReason))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNativeHooksSDK runs BLUE_GREEN deployments with lifecycle hooks through the SDK: a PAUSE
// hook at POST_SCALE_UP waits (AWAITING_ACTION) until ContinueServiceDeployment, and the
// services-stable waiter keeps waiting meanwhile; an AWAITING_ACTION hook answered ROLLBACK
// rolls the deployment back; a Lambda hook is a hook execution whose failure rolls back.
func TestNativeHooksSDK(t *testing.T) {
	t.Parallel()
	s := newNativeSDK(t)
	ctx := apitest.Context(t)
	in := s.input(ecstypes.DeploymentStrategyBlueGreen, s.advanced())
	in.DeploymentConfiguration.LifecycleHooks = []ecstypes.DeploymentLifecycleHook{
		{TargetType: ecstypes.DeploymentLifecycleHookTargetTypePause, LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{"POST_SCALE_UP"}},
		{TargetType: ecstypes.DeploymentLifecycleHookTargetTypeAwsLambda, HookTargetArn: aws.String("arn:aws:lambda:us-east-1:000000000000:function:check"),
			RoleArn: aws.String("arn:aws:iam::000000000000:role/hook"), LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{"POST_TEST_TRAFFIC_SHIFT"}},
	}
	if _, err := s.env.ECS.CreateService(ctx, in); err != nil {
		t.Fatal(err)
	}
	s.startNativeDeployer(t, 20*time.Millisecond)
	waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusSuccessful)
	deploy := func(td string) string {
		upd, err := s.env.ECS.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("native"), TaskDefinition: aws.String(td)})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(upd.Service.CurrentServiceDeployment)
	}

	first := deploy("web:2")
	waitHook(t, s.env.ECS, first, "post-scale-up-0", "AWAITING_ACTION")
	waiter := ecssdk.NewServicesStableWaiter(s.env.ECS, func(o *ecssdk.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 5*time.Millisecond, 10*time.Millisecond
	})
	if err := waiter.Wait(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"native"}}, 200*time.Millisecond); err == nil {
		t.Fatal("the services-stable waiter succeeded while the deployment waits at a hook")
	}
	if _, err := s.env.ECS.ContinueServiceDeployment(ctx, &ecssdk.ContinueServiceDeploymentInput{ServiceDeploymentArn: aws.String(first),
		HookId: aws.String("post-scale-up-0"), Action: ecstypes.DeploymentLifecycleHookActionContinue}); err != nil {
		t.Fatal(err)
	}
	waitHook(t, s.env.ECS, first, "post-test-traffic-shift-1", "IN_PROGRESS")
	execID := hooks.ExecutionID(first, "POST_TEST_TRAFFIC_SHIFT", 1)
	x, err := s.env.Store.HookExecutions.Get(ctx, execID)
	if err != nil || x.Value.Kind != hooks.KindECS || x.Value.Target != "arn:aws:lambda:us-east-1:000000000000:function:check" ||
		!strings.Contains(string(x.Value.Payload), `"lifecycleStage":"POST_TEST_TRAFFIC_SHIFT"`) {
		t.Fatalf("hook execution %+v, %v", x.Value, err)
	}
	if _, err := s.env.Store.HookExecutions.Update(ctx, execID, func(x *hooks.Execution) error {
		x.Status = hooks.StatusSucceeded
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	waitList(t, s.env.ECS, 2, ecstypes.ServiceDeploymentStatusSuccessful)
	if err := waiter.Wait(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"native"}}, 10*time.Second); err != nil {
		t.Fatalf("services-stable after the deployment: %v", err)
	}

	second := deploy("web:1")
	waitHook(t, s.env.ECS, second, "post-scale-up-0", "AWAITING_ACTION")
	if _, err := s.env.ECS.ContinueServiceDeployment(ctx, &ecssdk.ContinueServiceDeploymentInput{ServiceDeploymentArn: aws.String(second),
		HookId: aws.String("post-scale-up-0"), Action: ecstypes.DeploymentLifecycleHookActionRollback}); err != nil {
		t.Fatal(err)
	}
	waitList(t, s.env.ECS, 1, ecstypes.ServiceDeploymentStatusRollbackSuccessful)

	third := deploy("web:1")
	waitHook(t, s.env.ECS, third, "post-scale-up-0", "AWAITING_ACTION")
	if _, err := s.env.ECS.ContinueServiceDeployment(ctx, &ecssdk.ContinueServiceDeploymentInput{ServiceDeploymentArn: aws.String(third),
		HookId: aws.String("post-scale-up-0")}); err != nil {
		t.Fatal(err)
	}
	execID = hooks.ExecutionID(third, "POST_TEST_TRAFFIC_SHIFT", 1)
	waitHook(t, s.env.ECS, third, "post-test-traffic-shift-1", "IN_PROGRESS")
	if _, err := s.env.Store.HookExecutions.Update(ctx, execID, func(x *hooks.Execution) error {
		x.Status = hooks.StatusFailed
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	waitList(t, s.env.ECS, 2, ecstypes.ServiceDeploymentStatusRollbackSuccessful)
	waitHook(t, s.env.ECS, third, "post-test-traffic-shift-1", "FAILED")
}

// checkListFilters pages through ListServiceDeployments and filters it by creation time, and
// checks its errors: two service deployments, newest first, are listed (all).
func checkListFilters(t *testing.T, c *ecssdk.Client, all []ecstypes.ServiceDeploymentBrief) {
	t.Helper()
	ctx := apitest.Context(t)
	in := &ecssdk.ListServiceDeploymentsInput{Cluster: aws.String("demo"), Service: aws.String("native"), MaxResults: aws.Int32(1)}
	first, err := c.ListServiceDeployments(ctx, in)
	if err != nil || len(first.ServiceDeployments) != 1 || first.NextToken == nil {
		t.Fatalf("first page: %+v, %v", first, err)
	}
	in.NextToken = first.NextToken
	second, err := c.ListServiceDeployments(ctx, in)
	if err != nil || len(second.ServiceDeployments) != 1 || second.NextToken != nil ||
		aws.ToString(second.ServiceDeployments[0].ServiceDeploymentArn) != aws.ToString(all[1].ServiceDeploymentArn) {
		t.Fatalf("second page: %+v, %v", second, err)
	}
	newest := aws.ToTime(all[0].CreatedAt)
	after, err := c.ListServiceDeployments(ctx, &ecssdk.ListServiceDeploymentsInput{Cluster: aws.String("demo"), Service: aws.String("native"),
		CreatedAt: &ecstypes.CreatedAt{After: aws.Time(newest.Add(-time.Millisecond))}})
	if err != nil || len(after.ServiceDeployments) != 1 || aws.ToString(after.ServiceDeployments[0].ServiceDeploymentArn) != aws.ToString(all[0].ServiceDeploymentArn) {
		t.Fatalf("created after the newest: %+v, %v", after, err)
	}
	_, err = c.ListServiceDeployments(ctx, &ecssdk.ListServiceDeploymentsInput{Cluster: aws.String("demo"), Service: aws.String("ghost")})
	apitest.WantError(t, err, "ServiceNotFoundException", "Service not found.", 400)
}
