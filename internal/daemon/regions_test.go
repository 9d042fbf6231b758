package daemon_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// regionConfig is an SDK configuration for the server of dir that signs for region.
func regionConfig(t *testing.T, srv *daemon.Server, dir, region string) aws.Config {
	t.Helper()
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey)
	cfg.Region = region
	return cfg
}

// startRegionServer starts a server in dir that serves regions (every region when none).
func startRegionServer(t *testing.T, ctx context.Context, dir string, regions ...string) *daemon.Server {
	t.Helper()
	srv, err := daemon.Start(ctx, daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Regions: regions}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Wait(); err != nil {
			t.Error(err)
		}
	})
	return srv
}

func wantAPIError(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// TestRegionOutsideRegionsIsRefused: a request signed for a region the server does not serve
// gets AWS's answer for a region the account cannot use, from a JSON and a Query service, and
// creates nothing.
func TestRegionOutsideRegionsIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startRegionServer(t, ctx, dir, "us-east-1", "ap-northeast-2")

	euECS := ecssdk.NewFromConfig(regionConfig(t, srv, dir, "eu-west-1"))
	_, err := euECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("refused")})
	wantAPIError(t, err, "UnrecognizedClientException")
	if ae := (smithy.APIError)(nil); errors.As(err, &ae) && ae.ErrorMessage() != "The security token included in the request is invalid." {
		t.Errorf("message %q", ae.ErrorMessage())
	}
	euELB := elbsdk.NewFromConfig(regionConfig(t, srv, dir, "eu-west-1"))
	_, err = euELB.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("refused"), Subnets: []string{"a", "b"}})
	wantAPIError(t, err, "InvalidClientTokenId")

	for _, region := range []string{"us-east-1", "ap-northeast-2"} {
		out, err := ecssdk.NewFromConfig(regionConfig(t, srv, dir, region)).ListClusters(ctx, &ecssdk.ListClustersInput{})
		if err != nil || len(out.ClusterArns) != 0 {
			t.Errorf("%s: clusters %v, %v; want none", region, out, err)
		}
		lbs, err := elbsdk.NewFromConfig(regionConfig(t, srv, dir, region)).DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{})
		if err != nil || len(lbs.LoadBalancers) != 0 {
			t.Errorf("%s: load balancers %v, %v; want none", region, lbs, err)
		}
	}
}

// TestRegionsKeepResourcesApart: the same cluster, service and target group names in
// us-east-1 and ap-northeast-2 are distinct resources with their region in the ARN, each
// region lists its own, deleting in one leaves the other, and a restart keeps both regions'
// resources and resumes their controllers.
func TestRegionsKeepResourcesApart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startRegionServer(t, ctx, dir)
	regions := []string{"us-east-1", "ap-northeast-2"}
	for _, region := range regions {
		createRegionResources(t, ctx, regionConfig(t, srv, dir, region))
	}
	for _, region := range regions {
		checkRegionResources(t, ctx, regionConfig(t, srv, dir, region), region)
	}
	seoul := ecssdk.NewFromConfig(regionConfig(t, srv, dir, "ap-northeast-2"))
	if _, err := seoul.DeleteService(ctx, &ecssdk.DeleteServiceInput{Cluster: aws.String("web"), Service: aws.String("api"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	desc, err := ecssdk.NewFromConfig(regionConfig(t, srv, dir, "us-east-1")).DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("web"), Services: []string{"api"}})
	if err != nil || len(desc.Services) != 1 || aws.ToString(desc.Services[0].Status) != "ACTIVE" {
		t.Fatalf("us-east-1's service after deleting ap-northeast-2's: %+v, %v", desc, err)
	}
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatal(err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	srv = startRegionServer(t, ctx2, dir)
	// The restarted server resumed ap-northeast-2's scheduler before any request named the
	// region: the deleted service's draining ends with its removal, which only the scheduler
	// does, while us-east-1's service stays.
	seoul = ecssdk.NewFromConfig(regionConfig(t, srv, dir, "ap-northeast-2"))
	eventually(t, "ap-northeast-2's scheduler removes the deleted service", func() bool {
		out, err := seoul.DescribeServices(ctx2, &ecssdk.DescribeServicesInput{Cluster: aws.String("web"), Services: []string{"api"}})
		return err == nil && len(out.Services) == 1 && aws.ToString(out.Services[0].Status) == "INACTIVE"
	})
	checkRegionResources(t, ctx2, regionConfig(t, srv, dir, "us-east-1"), "us-east-1")
}

// createRegionResources creates the cluster web, the target group api and the service api of
// web in the region cfg signs for.
func createRegionResources(t *testing.T, ctx context.Context, cfg aws.Config) {
	t.Helper()
	ecsc := ecssdk.NewFromConfig(cfg)
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	if _, err := elbsdk.NewFromConfig(cfg).CreateTargetGroup(ctx, &elbsdk.CreateTargetGroupInput{Name: aws.String("api"), Protocol: "HTTP", Port: aws.Int32(80), VpcId: aws.String("vpc-1"), TargetType: "ip"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecsc.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{Family: aws.String("api"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("app"), Image: aws.String("app"), Memory: aws.Int32(64), Command: []string{"sleep", "600"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := ecsc.CreateService(ctx, &ecssdk.CreateServiceInput{Cluster: aws.String("web"), ServiceName: aws.String("api"), TaskDefinition: aws.String("api"), DesiredCount: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
}

// checkRegionResources checks that the region cfg signs for lists its own cluster, target
// group and service, one of each, with region in their ARNs.
func checkRegionResources(t *testing.T, ctx context.Context, cfg aws.Config, region string) {
	t.Helper()
	ecsc := ecssdk.NewFromConfig(cfg)
	clusters, err := ecsc.ListClusters(ctx, &ecssdk.ListClustersInput{})
	if err != nil || len(clusters.ClusterArns) != 1 || clusters.ClusterArns[0] != "arn:aws:ecs:"+region+":000000000000:cluster/web" {
		t.Errorf("%s: clusters %v, %v", region, clusters, err)
	}
	services, err := ecsc.ListServices(ctx, &ecssdk.ListServicesInput{Cluster: aws.String("web")})
	if err != nil || len(services.ServiceArns) != 1 || services.ServiceArns[0] != "arn:aws:ecs:"+region+":000000000000:service/web/api" {
		t.Errorf("%s: services %v, %v", region, services, err)
	}
	groups, err := elbsdk.NewFromConfig(cfg).DescribeTargetGroups(ctx, &elbsdk.DescribeTargetGroupsInput{})
	if err != nil || len(groups.TargetGroups) != 1 || !strings.HasPrefix(aws.ToString(groups.TargetGroups[0].TargetGroupArn), "arn:aws:elasticloadbalancing:"+region+":000000000000:targetgroup/api/") {
		t.Errorf("%s: target groups %+v, %v", region, groups, err)
	}
}

// TestRegionsShareTheListeners: load balancers of two regions serve on one machine's
// listeners; a port one region's listener holds is refused in the other with ELB's error for
// a port in use; after a restart, the other region's listener serves before any request names
// its region, since its controllers resume at start.
func TestRegionsShareTheListeners(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startRegionServer(t, ctx, dir)
	ports := map[string]int{"us-east-1": freePort(t), "ap-northeast-2": freePort(t)}
	createFixedListener(t, ctx, elbsdk.NewFromConfig(regionConfig(t, srv, dir, "us-east-1")), ports["us-east-1"], "us-east-1")
	seoul := elbsdk.NewFromConfig(regionConfig(t, srv, dir, "ap-northeast-2"))
	seoulLB := createFixedListener(t, ctx, seoul, ports["ap-northeast-2"], "ap-northeast-2")
	_, err := seoul.CreateListener(ctx, fixedListener(seoulLB, ports["us-east-1"], "taken"))
	wantAPIError(t, err, "DuplicateListener")
	for region, port := range ports {
		eventually(t, region+"'s listener serves", func() bool { return bodyIs(t, port, region) })
	}
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatal(err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	startRegionServer(t, ctx2, dir)
	eventually(t, "ap-northeast-2's listener serves after a restart", func() bool { return bodyIs(t, ports["ap-northeast-2"], "ap-northeast-2") })
}

// createFixedListener creates a load balancer named web in the region elbc signs for, with a
// listener on port that answers body, and returns the load balancer's ARN.
func createFixedListener(t *testing.T, ctx context.Context, elbc *elbsdk.Client, port int, body string) *string {
	t.Helper()
	out, err := elbc.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	lbARN := out.LoadBalancers[0].LoadBalancerArn
	if _, err := elbc.CreateListener(ctx, fixedListener(lbARN, port, body)); err != nil {
		t.Fatal(err)
	}
	return lbARN
}

func fixedListener(lbARN *string, port int, body string) *elbsdk.CreateListenerInput {
	return &elbsdk.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(port)),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), MessageBody: aws.String(body)}}}}
}

// bodyIs reports whether the listener on port answers 200 with body.
func bodyIs(t *testing.T, port int, body string) bool {
	t.Helper()
	res, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/")
	if err != nil {
		return false
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	return err == nil && res.StatusCode == http.StatusOK && string(got) == body
}

// TestRegistryServesTheTokensRegion: a docker client logged in with a token of
// GetAuthorizationToken signed for ap-northeast-2 reaches that region's repositories at /v2/;
// one logged in with a us-east-1 token reaches us-east-1's, where the repository is unknown.
func TestRegistryServesTheTokensRegion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startRegionServer(t, ctx, dir)
	seoul := ecrsdk.NewFromConfig(regionConfig(t, srv, dir, "ap-northeast-2"))
	if _, err := seoul.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	// Starting a layer upload needs the repository: ECR refuses pushes to unknown names.
	for region, want := range map[string]int{"ap-northeast-2": http.StatusAccepted, "us-east-1": http.StatusNotFound} {
		out, err := ecrsdk.NewFromConfig(regionConfig(t, srv, dir, region)).GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{})
		if err != nil {
			t.Fatal(err)
		}
		basic, err := base64.StdEncoding.DecodeString(aws.ToString(out.AuthorizationData[0].AuthorizationToken))
		if err != nil {
			t.Fatal(err)
		}
		user, pass, _ := strings.Cut(string(basic), ":")
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.Endpoint()+"/v2/app/blobs/uploads/", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(user, pass)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("%s token: POST /v2/app/blobs/uploads/ = %d, want %d", region, res.StatusCode, want)
		}
	}
}
