package console_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	codedeploysdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// seed creates, through the console's forms, what the seed's walkthrough creates: two target
// groups, a load balancer with its listener, a repository, a task definition, a cluster and a
// blue/green service. It returns the listener's port.
func seed(t *testing.T, b *browser) int {
	t.Helper()
	const port = 18080 // the test server's ELB API binds no ports
	steps := []struct {
		from, path string
		fields     map[string]string
	}{
		{"/target-groups", "/target-groups", map[string]string{"name": "tg-blue", "port": "80", "targetType": "ip", "healthCheckPath": "/health", "healthCheckInterval": "10", "healthyThreshold": "2", "unhealthyThreshold": "3", "matcher": "200"}},
		{"/target-groups", "/target-groups", map[string]string{"name": "tg-green", "port": "80", "targetType": "ip", "healthCheckPath": "/health"}},
		{"/load-balancers", "/load-balancers", map[string]string{"name": "alb", "port": strconv.Itoa(port), "targetGroup": "tg-blue"}},
		{"/repositories", "/repositories", map[string]string{"name": "web"}},
		{"/task-definitions", "/task-definitions", map[string]string{"family": "web", "containerName": "app", "image": "web:1", "containerPort": "8080", "cpu": "256", "memory": "512", "environment": "GREETING=hello\nMODE=blue"}},
		{"/", "/clusters", map[string]string{"clusterName": "demo"}},
		{"/clusters/demo", "/clusters/demo/services", map[string]string{
			"serviceName": "web", "taskDefinition": "web", "desiredCount": "2", "deploymentType": "bluegreen",
			"targetGroup": "tg-blue", "containerName": "app", "containerPort": "8080", "secondTargetGroup": "tg-green",
			"prodListener": "", "deploymentConfig": "CodeDeployDefault.ECSCanary10Percent5Minutes", "terminationWait": "60",
		}},
	}
	for _, s := range steps {
		if s.fields["prodListener"] == "" && s.path == "/clusters/demo/services" {
			s.fields["prodListener"] = listenerARN(t, b)
		}
		resp, body := b.act(s.from, s.path, s.fields)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: status %d: %s", s.path, resp.StatusCode, body)
		}
	}
	return port
}

// listenerARN reads the first listener's ARN from the create-service form; "" before any.
func listenerARN(t *testing.T, b *browser) string {
	t.Helper()
	resp, body := b.get("/clusters/demo")
	if resp.StatusCode != http.StatusOK {
		return ""
	}
	_, rest, ok := strings.Cut(body, `<option value="arn:aws:elasticloadbalancing`)
	if !ok {
		return ""
	}
	arnRest, _, _ := strings.Cut(rest, `"`)
	return "arn:aws:elasticloadbalancing" + arnRest
}

func TestSeedCreationMatchesTheAPI(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	port := seed(t, b)
	c := ctx(t)

	tgs, err := e.ELB.DescribeTargetGroups(c, &elbv2sdk.DescribeTargetGroupsInput{Names: []string{"tg-blue"}})
	if err != nil {
		t.Fatal(err)
	}
	tg := tgs.TargetGroups[0]
	if aws.ToString(tg.HealthCheckPath) != "/health" || aws.ToInt32(tg.HealthCheckIntervalSeconds) != 10 || aws.ToInt32(tg.HealthyThresholdCount) != 2 || aws.ToInt32(tg.UnhealthyThresholdCount) != 3 || tg.TargetType != elbtypes.TargetTypeEnumIp {
		t.Errorf("target group = %+v", tg)
	}
	lbs, err := e.ELB.DescribeLoadBalancers(c, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{"alb"}})
	if err != nil {
		t.Fatal(err)
	}
	ls, err := e.ELB.DescribeListeners(c, &elbv2sdk.DescribeListenersInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Listeners) != 1 || aws.ToInt32(ls.Listeners[0].Port) != int32(port) || aws.ToString(ls.Listeners[0].DefaultActions[0].TargetGroupArn) != aws.ToString(tg.TargetGroupArn) {
		t.Errorf("listeners = %+v", ls.Listeners)
	}
	if _, err := e.ECR.DescribeRepositories(c, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"web"}}); err != nil {
		t.Error(err)
	}
	td, err := e.ECS.DescribeTaskDefinition(c, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("web:1")})
	if err != nil {
		t.Fatal(err)
	}
	ctr := td.TaskDefinition.ContainerDefinitions[0]
	if aws.ToString(ctr.Image) != "web:1" || aws.ToInt32(ctr.PortMappings[0].ContainerPort) != 8080 || len(ctr.Environment) != 2 || td.TaskDefinition.NetworkMode != ecstypes.NetworkModeAwsvpc || aws.ToString(td.TaskDefinition.Cpu) != "256" {
		t.Errorf("task definition = %+v", td.TaskDefinition)
	}
	svcs, err := e.ECS.DescribeServices(c, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || len(svcs.Services) != 1 {
		t.Fatal(err, svcs)
	}
	svc := svcs.Services[0]
	if svc.DeploymentController.Type != ecstypes.DeploymentControllerTypeCodeDeploy || svc.DesiredCount != 2 || aws.ToString(svc.LoadBalancers[0].TargetGroupArn) != aws.ToString(tg.TargetGroupArn) || len(svc.TaskSets) != 1 {
		t.Errorf("service = %+v", svc)
	}
	if !strings.HasSuffix(aws.ToString(svc.CreatedBy), ":root") {
		t.Errorf("createdBy = %q, want the signed-in principal", aws.ToString(svc.CreatedBy))
	}
	g, err := e.CodeDeploy.GetDeploymentGroup(c, &codedeploysdk.GetDeploymentGroupInput{ApplicationName: aws.String("AppECS-demo-web"), DeploymentGroupName: aws.String("DgpECS-demo-web")})
	if err != nil {
		t.Fatal(err)
	}
	info := g.DeploymentGroupInfo
	pair := info.LoadBalancerInfo.TargetGroupPairInfoList[0]
	if aws.ToString(info.DeploymentConfigName) != "CodeDeployDefault.ECSCanary10Percent5Minutes" || aws.ToString(pair.TargetGroups[1].Name) != "tg-green" ||
		info.BlueGreenDeploymentConfiguration.TerminateBlueInstancesOnDeploymentSuccess.TerminationWaitTimeInMinutes != 60 || aws.ToString(info.EcsServices[0].ServiceName) != "web" {
		t.Errorf("deployment group = %+v", info)
	}
}

// TestConsoleAndAPICreateAlike creates the same objects through the console and the API and
// compares what the API describes, names and ids aside.
func TestConsoleAndAPICreateAlike(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	c := ctx(t)
	resp, body := b.act("/target-groups", "/target-groups", map[string]string{"name": "by-console", "port": "80", "targetType": "ip", "healthCheckPath": "/ping", "healthCheckInterval": "15", "healthyThreshold": "3", "unhealthyThreshold": "2", "matcher": "200"})
	wantStatus(t, resp, http.StatusSeeOther)
	_ = body
	_, err := e.ELB.CreateTargetGroup(c, &elbv2sdk.CreateTargetGroupInput{
		Name: aws.String("by-api"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80), TargetType: elbtypes.TargetTypeEnumIp,
		HealthCheckProtocol: elbtypes.ProtocolEnumHttp, HealthCheckPath: aws.String("/ping"), HealthCheckIntervalSeconds: aws.Int32(15),
		HealthyThresholdCount: aws.Int32(3), UnhealthyThresholdCount: aws.Int32(2), Matcher: &elbtypes.Matcher{HttpCode: aws.String("200")},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.ELB.DescribeTargetGroups(c, &elbv2sdk.DescribeTargetGroupsInput{Names: []string{"by-console", "by-api"}})
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(elbtypes.TargetGroup{}, "TargetGroupName", "TargetGroupArn")
	if diff := cmp.Diff(out.TargetGroups[0], out.TargetGroups[1], ignore, cmpopts.IgnoreUnexported(elbtypes.TargetGroup{}, elbtypes.Matcher{})); diff != "" {
		t.Errorf("console and API target groups differ (-console +api):\n%s", diff)
	}

	resp, _ = b.act("/", "/clusters", map[string]string{"clusterName": "console-cluster"})
	wantStatus(t, resp, http.StatusSeeOther)
	if _, err := e.ECS.CreateCluster(c, &ecssdk.CreateClusterInput{ClusterName: aws.String("api-cluster")}); err != nil {
		t.Fatal(err)
	}
	cl, err := e.ECS.DescribeClusters(c, &ecssdk.DescribeClustersInput{Clusters: []string{"console-cluster", "api-cluster"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cl.Clusters[0], cl.Clusters[1], cmpopts.IgnoreFields(ecstypes.Cluster{}, "ClusterName", "ClusterArn"), cmpopts.IgnoreUnexported(ecstypes.Cluster{})); diff != "" {
		t.Errorf("console and API clusters differ (-console +api):\n%s", diff)
	}
}
