package daemon_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
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
