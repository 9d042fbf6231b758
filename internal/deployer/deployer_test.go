package deployer_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

// setup is a CODE_DEPLOY service behind the blue group of a pair, with the ECS and ELBv2 APIs.
type setup struct {
	env                 *apitest.Env
	blueTG, greenTG     string
	listener, taskDefV2 string
	deployers           []func() // stop the running deployers
	// installTimeout, when set, bounds the wait for the replacement to run healthy.
	installTimeout time.Duration
}

func newSetup(t *testing.T) *setup {
	t.Helper()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}))
	var tds []string
	for range 2 {
		out, err := env.ECS.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
			Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc, Cpu: aws.String("256"), Memory: aws.String("512"),
			RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
			ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("hello"),
				PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}}}},
		})
		must(out, err)
		tds = append(tds, aws.ToString(out.TaskDefinition.TaskDefinitionArn))
	}
	s := &setup{env: env, taskDefV2: tds[1]}
	for _, name := range []string{"blue", "green"} {
		out, err := env.ELBV2.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp, VpcId: aws.String("vpc-1")})
		must(out, err)
		if name == "blue" {
			s.blueTG = aws.ToString(out.TargetGroups[0].TargetGroupArn)
		} else {
			s.greenTG = aws.ToString(out.TargetGroups[0].TargetGroupArn)
		}
	}
	alb, err := env.ELBV2.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: []string{"a", "b"}})
	must(alb, err)
	l, err := env.ELBV2.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn,
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(18080),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(s.blueTG)}}})
	must(l, err)
	s.listener = aws.ToString(l.Listeners[0].ListenerArn)
	must(env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String(tds[0]), DesiredCount: aws.Int32(2),
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeCodeDeploy},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
		LoadBalancers:        []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(s.blueTG), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}))
	return s
}

// deployment is what CreateDeployment stores for a deployment of task definition v2.
func (s *setup) deployment(id string, routing codedeploy.TrafficRouting, bg codedeploy.BlueGreenConfiguration) codedeploy.Deployment {
	d := codedeploy.Deployment{
		ID: id, ApplicationName: "AppECS-demo-web", DeploymentGroupName: "DgpECS-demo-web", Status: codedeploy.StatusCreated,
		AppSpec:        codedeploy.AppSpec{TaskDefinition: s.taskDefV2, ContainerName: "web", ContainerPort: 8080},
		TrafficRouting: routing, BlueGreen: bg, ECSService: codedeploy.ECSService{ClusterName: "demo", ServiceName: "web"},
		Pair: codedeploy.TargetGroupPair{TargetGroups: []string{"blue", "green"}, ProdListenerARNs: []string{s.listener}},
	}
	for _, name := range codedeploy.LifecycleEventNames {
		d.Events = append(d.Events, codedeploy.LifecycleEvent{Name: name, Status: codedeploy.EventPending})
	}
	return d
}

// run starts the deployer with minutes of 50 ms, and a stand-in for the scheduler that reports
// every task set stable once it exists.
func (s *setup) run(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	s.startDeployer(t)
	go func() {
		for ctx.Err() == nil {
			_, _ = s.env.Store.Services.Update(ctx, store.ServiceID("demo", "web"), func(svc *ecs.Service) error {
				for i := range svc.TaskSets {
					svc.TaskSets[i].StabilityStatus = ecs.StabilitySteady
				}
				return nil
			})
			time.Sleep(5 * time.Millisecond)
		}
	}()
}

// startDeployer runs a deployer until stopDeployers or the test's end stops it.
func (s *setup) startDeployer(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	c := deployer.New(s.env.Store, scope, deployer.Config{Poll: 5 * time.Millisecond, Minute: 50 * time.Millisecond, InstallTimeout: s.installTimeout}, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Run(ctx)
	}()
	stop := func() {
		cancel()
		<-done
	}
	t.Cleanup(stop)
	s.deployers = append(s.deployers, stop)
}

func (s *setup) stopDeployers(t *testing.T) {
	t.Helper()
	for _, stop := range s.deployers {
		stop()
	}
	s.deployers = nil
}

func (s *setup) put(t *testing.T, d codedeploy.Deployment) {
	t.Helper()
	if _, err := s.env.Store.Deployments.Create(context.Background(), d.ID, d); err != nil {
		t.Fatal(err)
	}
}

// waitDone waits for the deployment to end, recording the green weights the listener had.
func (s *setup) waitDone(t *testing.T, id string) (codedeploy.Deployment, []int) {
	t.Helper()
	var weights []int
	record := func() {
		if w, ok := s.weights(t)[s.greenTG]; ok && (len(weights) == 0 || weights[len(weights)-1] != w) {
			weights = append(weights, w)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		record()
		it, err := s.env.Store.Deployments.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if it.Value.Status.Done() {
			record() // the end state, written just before the deployment's
			return it.Value, weights
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("deployment %s did not end", id)
	return codedeploy.Deployment{}, nil
}

// weights reads the production listener's forward weights by target group ARN.
func (s *setup) weights(t *testing.T) map[string]int {
	t.Helper()
	out, err := s.env.ELBV2.DescribeRules(apitest.Context(t), &elbsdk.DescribeRulesInput{ListenerArn: aws.String(s.listener)})
	if err != nil {
		t.Fatal(err)
	}
	w := map[string]int{}
	for _, r := range out.Rules {
		for _, a := range r.Actions {
			if a.ForwardConfig != nil {
				for _, g := range a.ForwardConfig.TargetGroups {
					w[aws.ToString(g.TargetGroupArn)] = int(aws.ToInt32(g.Weight))
				}
			}
		}
	}
	return w
}

func (s *setup) taskSets(t *testing.T) map[ecs.TaskSetStatus][]ecs.TaskSet {
	t.Helper()
	it, err := s.env.Store.Services.Get(context.Background(), store.ServiceID("demo", "web"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[ecs.TaskSetStatus][]ecs.TaskSet{}
	for _, ts := range it.Value.TaskSets {
		out[ts.Status] = append(out[ts.Status], ts)
	}
	return out
}

// TestCanaryDeployment runs a canary deployment to the end: 10%, then 100% after the interval,
// green PRIMARY, blue deleted after the termination wait, the listener on green alone.
func TestCanaryDeployment(t *testing.T) {
	s := newSetup(t)
	s.run(t)
	s.put(t, s.deployment("d-CANARY001", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 5},
		codedeploy.BlueGreenConfiguration{TerminationWaitMinutes: 2}))
	d, weights := s.waitDone(t, "d-CANARY001")
	if d.Status != codedeploy.StatusSucceeded || d.ErrorCode != "" {
		t.Fatalf("deployment %s: %s %s", d.Status, d.ErrorCode, d.ErrorMessage)
	}
	if len(weights) > 0 && weights[0] == 0 { // green attached while installing, if seen
		weights = weights[1:]
	}
	if !slices.Equal(weights, []int{10, 100, 1}) {
		t.Errorf("green weights seen %v, want 0 (installing), 10, 100, then green alone", weights)
	}
	if w := s.weights(t); len(w) != 1 || w[s.greenTG] != 1 {
		t.Errorf("listener after the deployment: %v", w)
	}
	sets := s.taskSets(t)
	if len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != d.ID ||
		sets[ecs.TaskSetPrimary][0].TaskDefinitionARN != s.taskDefV2 || len(sets[ecs.TaskSetDraining]) != 1 {
		t.Errorf("task sets after the deployment: %+v", sets)
	}
	for _, e := range d.Events {
		if e.Status != codedeploy.EventSucceeded {
			t.Errorf("lifecycle event %s: %s", e.Name, e.Status)
		}
	}
	if !d.Progress.TerminationWaitStarted || d.CompleteTime.IsZero() {
		t.Errorf("progress %+v", d.Progress)
	}
}

// TestInvalidSetupFails checks that a deployment of a missing service or target group fails
// with CodeDeploy's error code and changes nothing.
func TestInvalidSetupFails(t *testing.T) {
	s := newSetup(t)
	s.run(t)
	noService := s.deployment("d-NOSERVICE", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	noService.ECSService.ServiceName = "missing"
	noGroup := s.deployment("d-NOGROUP01", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{})
	noGroup.Pair.TargetGroups[1] = "missing"
	for d, code := range map[*codedeploy.Deployment]string{&noService: codedeploy.ErrorInvalidECS, &noGroup: codedeploy.ErrorInvalidELB} {
		s.put(t, *d)
		got, _ := s.waitDone(t, d.ID)
		if got.Status != codedeploy.StatusFailed || got.ErrorCode != code {
			t.Errorf("%s: %s %s %s, want Failed %s", d.ID, got.Status, got.ErrorCode, got.ErrorMessage, code)
		}
	}
	if w := s.weights(t); len(w) != 1 || w[s.blueTG] != elb.DefaultWeight {
		t.Errorf("listener after failed deployments: %v", w)
	}
}

// TestRestartResumes stops the deployer in the middle of a canary's traffic shift and starts a
// new one, as a restart of fargo would: the deployment goes on from where it was and succeeds
// (DESIGN.md, invariant 6).
func TestRestartResumes(t *testing.T) {
	s := newSetup(t)
	s.run(t) // the stand-in scheduler, and a first deployer
	s.put(t, s.deployment("d-RESTART01", codedeploy.TrafficRouting{Type: codedeploy.RoutingCanary, Percentage: 10, IntervalMinutes: 10},
		codedeploy.BlueGreenConfiguration{}))
	deadline := time.Now().Add(20 * time.Second)
	for s.weights(t)[s.greenTG] != 10 {
		if time.Now().After(deadline) {
			t.Fatal("the canary step never came")
		}
		time.Sleep(2 * time.Millisecond)
	}
	// Replace the deployer: stop every deployer of the test, then start one afresh.
	s.stopDeployers(t)
	s.startDeployer(t)
	d, _ := s.waitDone(t, "d-RESTART01")
	if d.Status != codedeploy.StatusSucceeded {
		t.Fatalf("after a restart: %s %s %s", d.Status, d.ErrorCode, d.ErrorMessage)
	}
	sets := s.taskSets(t)
	if len(sets[ecs.TaskSetPrimary]) != 1 || len(sets[ecs.TaskSetPrimary])+len(sets[ecs.TaskSetActive]) != 1 {
		t.Errorf("task sets after a resumed deployment: %+v (one replacement, no duplicate)", sets)
	}
}

// TestGreenGroupOfAnotherLoadBalancer checks that a green group that another load balancer
// uses fails the deployment (ALB attaches a group to one load balancer) and leaves blue serving.
func TestGreenGroupOfAnotherLoadBalancer(t *testing.T) {
	s := newSetup(t)
	ctx := apitest.Context(t)
	other, err := s.env.ELBV2.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("other"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.env.ELBV2.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: other.LoadBalancers[0].LoadBalancerArn,
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(18081),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(s.greenTG)}}}); err != nil {
		t.Fatal(err)
	}
	s.run(t)
	s.put(t, s.deployment("d-TAKENTG01", codedeploy.TrafficRouting{Type: codedeploy.RoutingAllAtOnce}, codedeploy.BlueGreenConfiguration{}))
	d, _ := s.waitDone(t, "d-TAKENTG01")
	if d.Status != codedeploy.StatusFailed || d.ErrorCode != codedeploy.ErrorInvalidELB {
		t.Fatalf("deployment: %s %s %s", d.Status, d.ErrorCode, d.ErrorMessage)
	}
	if w := s.weights(t); len(w) != 1 || w[s.blueTG] != elb.DefaultWeight {
		t.Errorf("listener after the failed deployment: %v", w)
	}
	if sets := s.taskSets(t); len(sets[ecs.TaskSetPrimary]) != 1 || sets[ecs.TaskSetPrimary][0].ExternalID != "" {
		t.Errorf("task sets after the failed deployment: %+v", sets)
	}
}
