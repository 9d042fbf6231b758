package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/store"
)

// codeDeployFixture is the API (no controllers) with service web of cluster demo, of the
// CODE_DEPLOY controller behind target group blue, task definition app:1, and its CodeDeploy
// application AppECS-demo-web and group DgpECS-demo-web (pair blue/green, all at once). Groups
// "api" (of another service) and "other-pair" (a pair without blue) are wrong for web. Service
// ext has the EXTERNAL controller; service gone was deleted.
func codeDeployFixture(t *testing.T) *apitest.Env {
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
	td, err := readTaskDefinition(writeTaskDef(t, "app:v1"))
	must(td, err)
	must(env.ECS.RegisterTaskDefinition(ctx, td))
	tgs := map[string]string{}
	for _, name := range []string{"blue", "green", "other"} {
		out, err := env.ELBV2.CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{Name: aws.String(name), Protocol: elbtypes.ProtocolEnumHttp,
			Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp, VpcId: aws.String("vpc-1")})
		must(out, err)
		tgs[name] = aws.ToString(out.TargetGroups[0].TargetGroupArn)
	}
	alb, err := env.ELBV2.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("alb"), Subnets: []string{"a", "b"}})
	must(alb, err)
	l, err := env.ELBV2.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn,
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(18080),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: aws.String(tgs["blue"])}}})
	must(l, err)
	must(env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String("web"),
		TaskDefinition: aws.String("app:1"), DesiredCount: aws.Int32(1),
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeCodeDeploy},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{"subnet-1"}}},
		LoadBalancers:        []ecstypes.LoadBalancer{{TargetGroupArn: aws.String(tgs["blue"]), ContainerName: aws.String("web"), ContainerPort: aws.Int32(8080)}},
	}))
	must(env.CodeDeploy.CreateApplication(ctx, &cdsdk.CreateApplicationInput{ApplicationName: aws.String("AppECS-demo-web"), ComputePlatform: cdtypes.ComputePlatformEcs}))
	group := func(name, service string, pair ...string) {
		t.Helper()
		var groups []cdtypes.TargetGroupInfo
		for _, tg := range pair {
			groups = append(groups, cdtypes.TargetGroupInfo{Name: aws.String(tg)})
		}
		must(env.CodeDeploy.CreateDeploymentGroup(ctx, &cdsdk.CreateDeploymentGroupInput{
			ApplicationName: aws.String("AppECS-demo-web"), DeploymentGroupName: aws.String(name),
			ServiceRoleArn:       aws.String("arn:aws:iam::000000000000:role/ecsCodeDeployRole"),
			DeploymentConfigName: aws.String("CodeDeployDefault.ECSAllAtOnce"),
			DeploymentStyle: &cdtypes.DeploymentStyle{DeploymentType: cdtypes.DeploymentTypeBlueGreen,
				DeploymentOption: cdtypes.DeploymentOptionWithTrafficControl},
			BlueGreenDeploymentConfiguration: &cdtypes.BlueGreenDeploymentConfiguration{
				DeploymentReadyOption: &cdtypes.DeploymentReadyOption{ActionOnTimeout: cdtypes.DeploymentReadyActionContinueDeployment},
				TerminateBlueInstancesOnDeploymentSuccess: &cdtypes.BlueInstanceTerminationOption{
					Action: cdtypes.InstanceActionTerminate, TerminationWaitTimeInMinutes: 0}},
			EcsServices: []cdtypes.ECSService{{ClusterName: aws.String("demo"), ServiceName: aws.String(service)}},
			LoadBalancerInfo: &cdtypes.LoadBalancerInfo{TargetGroupPairInfoList: []cdtypes.TargetGroupPairInfo{{
				TargetGroups: groups, ProdTrafficRoute: &cdtypes.TrafficRoute{ListenerArns: []string{aws.ToString(l.Listeners[0].ListenerArn)}}}}},
		}))
	}
	for _, name := range []string{"ext", "gone"} {
		must(env.ECS.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("demo"), ServiceName: aws.String(name),
			TaskDefinition: aws.String("app:1"), DesiredCount: aws.Int32(0),
			DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeExternal}}))
	}
	must(env.ECS.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("demo"), Service: aws.String("gone")}))
	group("DgpECS-demo-web", "web", "blue", "green")
	group("api", "api", "blue", "green")
	group("other-pair", "web", "other", "green")
	return env
}

// TestDeployChecksBeforeRegistering checks that fargo deploy fails with a clear message, and
// registers no task definition revision, when the deployment could not start: the service or
// what CodeDeploy needs for it is missing or does not fit.
func TestDeployChecksBeforeRegistering(t *testing.T) {
	t.Parallel()
	env := codeDeployFixture(t)
	good, err := os.ReadFile(writeTaskDef(t, "app:v2"))
	if err != nil {
		t.Fatal(err)
	}
	wrongPort := filepath.Join(t.TempDir(), "task-definition.yaml")
	if err := os.WriteFile(wrongPort, bytes.ReplaceAll(good, []byte("containerPort: 8080"), []byte("containerPort: 9090")), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*deployOptions)
		want string
	}{
		{"missing application", func(o *deployOptions) { o.codeDeployApp = "AppECS-demo-nope" },
			`CodeDeploy application "AppECS-demo-nope" does not exist; create it, or name another with --codedeploy-application`},
		{"missing deployment group", func(o *deployOptions) { o.codeDeployGroup = "nope" },
			`CodeDeploy deployment group "nope" of application "AppECS-demo-web" does not exist`},
		{"missing deployment configuration", func(o *deployOptions) { o.codeDeployConfig = "Canary5Percent1Minute" },
			`CodeDeploy deployment configuration "Canary5Percent1Minute" does not exist; create it, or name another with --codedeploy-config`},
		{"group of another service", func(o *deployOptions) { o.codeDeployGroup = "api" },
			`CodeDeploy deployment group "api" deploys demo/api, not service web of cluster demo`},
		{"service's target group not in the pair", func(o *deployOptions) { o.codeDeployGroup = "other-pair" },
			`the target group of service web is not one of the pair of CodeDeploy deployment group "other-pair" (other, green)`},
		{"load balancer's port not mapped", func(o *deployOptions) { o.taskDefFile = wrongPort },
			`container web of the task definition maps no port 8080, where the service's load balancer sends traffic`},
		{"missing service", func(o *deployOptions) { o.service = "nope" },
			`service nope not found in cluster demo`},
		{"deleted service", func(o *deployOptions) { o.service = "gone" },
			`service gone of cluster demo is DRAINING: only an ACTIVE service can be deployed`},
		{"EXTERNAL service", func(o *deployOptions) { o.service = "ext" },
			`service ext uses the EXTERNAL deployment controller; fargo deploy drives ECS and CodeDeploy deployments`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { // in turn: each looks for revisions in one family
			o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "app:v2"), timeout: time.Minute, interval: 10 * time.Millisecond}
			tt.edit(&o)
			var out bytes.Buffer
			err := runDeploy(apitest.Context(t), o, env.ECS, env.CodeDeploy, newProgress(&out))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("deploy: %v, want an error with %q\n%s", err, tt.want, out.String())
			}
			if revs := revisions(t, env); len(revs) != 1 {
				t.Fatalf("task definitions after the failed deploy: %v, want app:1 alone", revs)
			}
		})
	}

	// The checks pass a deployment that can start.
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "app:v2"), timeout: time.Minute}
	var out bytes.Buffer
	if err := runDeploy(apitest.Context(t), o, env.ECS, env.CodeDeploy, newProgress(&out)); err != nil {
		t.Fatalf("deploy of a good setup: %v\n%s", err, out.String())
	}
	if revs := revisions(t, env); len(revs) != 2 || !strings.Contains(out.String(), "deployment d-") {
		t.Fatalf("deploy of a good setup: revisions %v\n%s", revs, out.String())
	}
}

func revisions(t *testing.T, env *apitest.Env) []string {
	t.Helper()
	out, err := env.ECS.ListTaskDefinitions(apitest.Context(t), &ecssdk.ListTaskDefinitionsInput{FamilyPrefix: aws.String("app")})
	if err != nil {
		t.Fatal(err)
	}
	return out.TaskDefinitionArns
}

// TestDeployFollowsRollback checks that fargo deploy, when CodeDeploy stops its deployment and
// rolls it back, reports the rollback deployment, follows it to its end and fails. A stand-in
// for the deployer writes what the deployer would: the task sets at 10%, then the stop with
// its rollback deployment, then the rollback's success.
func TestDeployFollowsRollback(t *testing.T) {
	t.Parallel()
	env := codeDeployFixture(t)
	ctx := apitest.Context(t)
	rollbackID := make(chan string, 1)
	go func() {
		var id string
		for id == "" && ctx.Err() == nil {
			out, err := env.CodeDeploy.ListDeployments(ctx, &cdsdk.ListDeploymentsInput{})
			if err == nil && len(out.Deployments) > 0 {
				id = out.Deployments[0]
			}
			time.Sleep(5 * time.Millisecond)
		}
		sets := []codedeploy.TaskSetInfo{
			{ID: "ecs-svc/1", Label: "Blue", Status: "PRIMARY", DesiredCount: 1, RunningCount: 1, TrafficWeight: 90, TargetGroup: "blue"},
			{ID: "ecs-svc/2", Label: "Green", Status: "ACTIVE", DesiredCount: 1, RunningCount: 1, TrafficWeight: 10, TargetGroup: "green"},
		}
		cur, err := env.Store.Deployments.Update(ctx, id, func(d *codedeploy.Deployment) error {
			d.Status, d.TaskSets = codedeploy.StatusInProgress, sets
			d.Progress = codedeploy.Progress{Phase: "AllowTraffic", BlueTaskSetID: "ecs-svc/1", GreenTaskSetID: "ecs-svc/2", GreenWeight: 10}
			return nil
		})
		if err != nil {
			rollbackID <- ""
			return
		}
		time.Sleep(100 * time.Millisecond)
		d := cur.Value
		rb, _ := codedeploy.NewRollback(&d, "d-ROLLBACK1", d.Revision, time.Now())
		d.Status, d.ErrorCode, d.ErrorMessage = codedeploy.StatusStopped, codedeploy.ErrorManualStop, "The deployment was stopped by the user."
		var txn store.Txn
		_ = env.Store.Deployments.Put(&txn, id, d, cur.Revision)
		_ = env.Store.Deployments.Put(&txn, rb.ID, rb, 0)
		if _, err := env.Store.Commit(ctx, &txn); err != nil {
			rollbackID <- ""
			return
		}
		time.Sleep(100 * time.Millisecond)
		_, _ = env.Store.Deployments.Update(ctx, rb.ID, func(r *codedeploy.Deployment) error {
			r.Status, r.TaskSets = codedeploy.StatusSucceeded, []codedeploy.TaskSetInfo{
				{ID: "ecs-svc/2", Label: "Blue", Status: "DRAINING", TrafficWeight: 0, TargetGroup: "green"},
				{ID: "ecs-svc/1", Label: "Green", Status: "PRIMARY", DesiredCount: 1, RunningCount: 1, TrafficWeight: 100, TargetGroup: "blue"}}
			for i := range r.Events {
				r.Events[i].Status = codedeploy.EventSucceeded
			}
			return nil
		})
		rollbackID <- rb.ID
	}()
	o := deployOptions{cluster: "demo", service: "web", taskDefFile: writeTaskDef(t, "app:v2"), wait: true, timeout: time.Minute, interval: 10 * time.Millisecond}
	var out bytes.Buffer
	err := runDeploy(ctx, o, env.ECS, env.CodeDeploy, newProgress(&out))
	if id := <-rollbackID; id != "d-ROLLBACK1" {
		t.Fatalf("the stand-in deployer failed\n%s", out.String())
	}
	if err == nil || !strings.Contains(err.Error(), "stopped: The deployment was stopped by the user. (MANUAL_STOP)") ||
		!strings.Contains(err.Error(), "rolled back by deployment d-ROLLBACK1") {
		t.Fatalf("deploy: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"Green ecs-svc/2                  ACTIVE   green    1/1 running           10% of traffic",
		"CodeDeploy rolls it back with deployment d-ROLLBACK1",
		"rollback AllowTraffic: succeeded",
		"rollback deployment d-ROLLBACK1 succeeded",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
