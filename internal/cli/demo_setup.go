package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// The demo's names, as a user following the README would choose them.
const (
	demoCluster        = "demo"
	demoCanaryService  = "web"         // CODE_DEPLOY: blue/green with a canary
	demoRollingService = "web-rolling" // ECS: rolling, with the circuit breaker
	demoContainer      = "web"
	demoContainerPort  = 8080
	demoTasks          = 2
	demoCanaryConfig   = "CodeDeployDefault.ECSCanary10Percent5Minutes"
	// demoHealthy bounds the wait for the first tasks to pass their health checks.
	demoHealthy = 2 * time.Minute
)

// demoStack is what the demo's setup created.
type demoStack struct {
	taskDefFile string // hello v1, as fargo deploy reads it
	v1ARN       string
	canaryURL   string // the listener of the canary service
	rollingURL  string
	ports       []int // listener ports
}

// helloTaskDefinition is examples/hello/task-definition.json with the fargo binary exe as the
// app (fargo demo-app): the demo needs no hello on PATH. It has no container health check,
// which would start a process per task every few seconds: the load balancer's checks decide.
func helloTaskDefinition(exe, version string) map[string]any {
	return map[string]any{
		"family": "hello", "networkMode": "awsvpc", "requiresCompatibilities": []string{"FARGATE"},
		"cpu": "512", "memory": "1024",
		"containerDefinitions": []any{map[string]any{
			"name": demoContainer, "image": "hello:latest", "essential": true,
			"command":      []string{exe, demoAppSubcommand},
			"portMappings": []any{map[string]any{"containerPort": demoContainerPort, "protocol": "tcp"}},
			"environment":  []any{map[string]any{"name": "VERSION", "value": version}},
		}},
	}
}

// setup creates the cluster, the task definition, the load balancer with a listener for each
// service, both services and the CodeDeploy application, and waits until their tasks serve.
func (d *demoRun) setup(ctx context.Context) error {
	if err := d.registerHello(ctx); err != nil {
		return err
	}
	lbARN, err := d.createLoadBalancer(ctx)
	if err != nil {
		return err
	}
	blue, canaryListener, err := d.canaryListener(ctx, lbARN)
	if err != nil {
		return err
	}
	if err := d.createCanaryService(ctx, blue, canaryListener); err != nil {
		return err
	}
	rolling, err := d.rollingListener(ctx, lbARN)
	if err != nil {
		return err
	}
	if err := d.createRollingService(ctx, rolling); err != nil {
		return err
	}
	d.out.line("setup: cluster %s; service %s (CODE_DEPLOY, blue/green %s) behind %s; service %s (rolling, circuit breaker with rollback) behind %s; %d tasks of hello v1 each",
		demoCluster, demoCanaryService, demoCanaryConfig, d.stack.canaryURL, demoRollingService, d.stack.rollingURL, demoTasks)
	for _, tg := range []string{blue, rolling} {
		if err := d.waitHealthy(ctx, tg, demoTasks); err != nil {
			return err
		}
	}
	d.recordPids()
	d.out.line("setup: %d tasks healthy (task processes: pids %v)", 2*demoTasks, sortedPids(d.pids))
	return nil
}

// registerHello writes hello v1's task definition into the data directory, where fargo deploy
// reads it, and registers it.
func (d *demoRun) registerHello(ctx context.Context) error {
	if _, err := d.c.ecs.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(demoCluster)}); err != nil {
		return fmt.Errorf("create cluster: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the fargo binary, the demo's app: %w", err)
	}
	data, err := json.MarshalIndent(helloTaskDefinition(exe, "v1"), "", "  ")
	if err != nil {
		return err
	}
	d.stack.taskDefFile = filepath.Join(d.dir, "hello.json")
	if err := os.WriteFile(d.stack.taskDefFile, data, 0o600); err != nil {
		return err
	}
	in, err := readTaskDefinition(d.stack.taskDefFile)
	if err != nil {
		return err
	}
	reg, err := d.c.ecs.RegisterTaskDefinition(ctx, in)
	if err != nil {
		return fmt.Errorf("register task definition: %w", err)
	}
	d.stack.v1ARN = aws.ToString(reg.TaskDefinition.TaskDefinitionArn)
	return nil
}

func (d *demoRun) createLoadBalancer(ctx context.Context) (string, error) {
	out, err := d.c.elb.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("demo"), Subnets: []string{"subnet-a", "subnet-b"}})
	if err != nil {
		return "", fmt.Errorf("create load balancer: %w", err)
	}
	return aws.ToString(out.LoadBalancers[0].LoadBalancerArn), nil
}

// createTargetGroup creates a target group whose targets pass after two checks 5 s apart, the
// quickest ELB allows, and drain within 5 s.
func (d *demoRun) createTargetGroup(ctx context.Context, name string) (string, error) {
	out, err := d.c.elb.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{
		Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		VpcId: aws.String("vpc-demo"), HealthCheckPath: aws.String("/health"), HealthCheckIntervalSeconds: aws.Int32(5),
		HealthyThresholdCount: aws.Int32(2),
	})
	if err != nil {
		return "", fmt.Errorf("create target group %s: %w", name, err)
	}
	arn := aws.ToString(out.TargetGroups[0].TargetGroupArn)
	_, err = d.c.elb.ModifyTargetGroupAttributes(ctx, &elbsdk.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn),
		Attributes: []elbtypes.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("5")}}})
	if err != nil {
		return "", fmt.Errorf("set the deregistration delay of %s: %w", name, err)
	}
	return arn, nil
}

// createListener adds a listener on a free loopback port that forwards to tg, and returns its
// ARN and URL.
func (d *demoRun) createListener(ctx context.Context, lbARN, tg string) (string, string, error) {
	port, err := freeLoopbackPort()
	if err != nil {
		return "", "", err
	}
	out, err := d.c.elb.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: aws.String(lbARN),
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(port)),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}})
	if err != nil {
		return "", "", fmt.Errorf("create listener on port %d: %w", port, err)
	}
	d.stack.ports = append(d.stack.ports, port)
	return aws.ToString(out.Listeners[0].ListenerArn), fmt.Sprintf("http://127.0.0.1:%d/", port), nil
}

// canaryListener creates the blue and green target groups (the deployment group names them)
// and the production listener, which forwards to blue.
func (d *demoRun) canaryListener(ctx context.Context, lbARN string) (blue, listener string, err error) {
	if blue, err = d.createTargetGroup(ctx, "demo-blue"); err != nil {
		return "", "", err
	}
	if _, err = d.createTargetGroup(ctx, "demo-green"); err != nil {
		return "", "", err
	}
	listener, d.stack.canaryURL, err = d.createListener(ctx, lbARN, blue)
	return blue, listener, err
}

func (d *demoRun) rollingListener(ctx context.Context, lbARN string) (string, error) {
	tg, err := d.createTargetGroup(ctx, "demo-rolling")
	if err != nil {
		return "", err
	}
	_, d.stack.rollingURL, err = d.createListener(ctx, lbARN, tg)
	return tg, err
}

// createCanaryService creates the CODE_DEPLOY service behind blue and its CodeDeploy
// application and deployment group, with the console's names (which fargo deploy finds), the
// canary configuration, and automatic rollback on failure.
func (d *demoRun) createCanaryService(ctx context.Context, blue, listener string) error {
	_, err := d.c.ecs.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String(demoCluster), ServiceName: aws.String(demoCanaryService), TaskDefinition: aws.String(d.stack.v1ARN),
		DesiredCount: aws.Int32(demoTasks), DeploymentController: &types.DeploymentController{Type: types.DeploymentControllerTypeCodeDeploy},
		LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(blue), ContainerName: aws.String(demoContainer), ContainerPort: aws.Int32(demoContainerPort)}},
	})
	if err != nil {
		return fmt.Errorf("create service %s: %w", demoCanaryService, err)
	}
	app, group := codeDeployNames(deployOptions{cluster: demoCluster, service: demoCanaryService})
	if _, err := d.c.codedeploy.CreateApplication(ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String(app), ComputePlatform: cdtypes.ComputePlatformEcs}); err != nil {
		return fmt.Errorf("create CodeDeploy application: %w", err)
	}
	_, err = d.c.codedeploy.CreateDeploymentGroup(ctx, &cdsdk.CreateDeploymentGroupInput{
		ApplicationName: aws.String(app), DeploymentGroupName: aws.String(group),
		ServiceRoleArn:       aws.String("arn:aws:iam::000000000000:role/ecsCodeDeployRole"),
		DeploymentConfigName: aws.String(demoCanaryConfig),
		DeploymentStyle: &cdtypes.DeploymentStyle{DeploymentType: cdtypes.DeploymentTypeBlueGreen,
			DeploymentOption: cdtypes.DeploymentOptionWithTrafficControl},
		EcsServices: []cdtypes.ECSService{{ClusterName: aws.String(demoCluster), ServiceName: aws.String(demoCanaryService)}},
		BlueGreenDeploymentConfiguration: &cdtypes.BlueGreenDeploymentConfiguration{
			TerminateBlueInstancesOnDeploymentSuccess: &cdtypes.BlueInstanceTerminationOption{Action: cdtypes.InstanceActionTerminate},
			DeploymentReadyOption:                     &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionContinueDeployment},
		},
		LoadBalancerInfo: &cdtypes.LoadBalancerInfo{TargetGroupPairInfoList: []cdtypes.TargetGroupPairInfo{{
			TargetGroups:     []cdtypes.TargetGroupInfo{{Name: aws.String("demo-blue")}, {Name: aws.String("demo-green")}},
			ProdTrafficRoute: &cdtypes.TrafficRoute{ListenerArns: []string{listener}},
		}}},
		AutoRollbackConfiguration: &cdtypes.AutoRollbackConfiguration{Enabled: true, Events: []cdtypes.AutoRollbackEvent{cdtypes.AutoRollbackEventDeploymentFailure}},
	})
	if err != nil {
		return fmt.Errorf("create CodeDeploy deployment group: %w", err)
	}
	return nil
}

// createRollingService creates the ECS-controller service, whose deployment circuit breaker
// rolls back a deployment whose tasks fail to start.
func (d *demoRun) createRollingService(ctx context.Context, tg string) error {
	_, err := d.c.ecs.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String(demoCluster), ServiceName: aws.String(demoRollingService), TaskDefinition: aws.String(d.stack.v1ARN),
		DesiredCount:  aws.Int32(demoTasks),
		LoadBalancers: []types.LoadBalancer{{TargetGroupArn: aws.String(tg), ContainerName: aws.String(demoContainer), ContainerPort: aws.Int32(demoContainerPort)}},
		DeploymentConfiguration: &types.DeploymentConfiguration{MaximumPercent: aws.Int32(200), MinimumHealthyPercent: aws.Int32(100),
			DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
	})
	if err != nil {
		return fmt.Errorf("create service %s: %w", demoRollingService, err)
	}
	return nil
}

// waitHealthy waits until n targets of tg are healthy.
func (d *demoRun) waitHealthy(ctx context.Context, tg string, n int) error {
	ctx, cancel := context.WithTimeout(ctx, demoHealthy)
	defer cancel()
	for {
		out, err := d.c.elb.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tg)})
		if err != nil {
			return fmt.Errorf("describe target health: %w", err)
		}
		healthy := healthyTargets(out.TargetHealthDescriptions)
		if healthy >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d tasks behind %s were healthy after %s", healthy, n, tg, demoHealthy)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func healthyTargets(ts []elbtypes.TargetHealthDescription) int {
	n := 0
	for _, t := range ts {
		if t.TargetHealth != nil && t.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
			n++
		}
	}
	return n
}

// freeLoopbackPort returns a port that nothing listened on a moment ago.
func freeLoopbackPort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	return port, ln.Close()
}
