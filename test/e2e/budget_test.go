package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestTrafficBudgetRollsBack deploys a release that passes its health checks but answers 500
// to real requests. The service's traffic budget (5% errors, as a tag) makes fargo roll it back
// on the load balancer's evidence, which ECS alone would not do.
func TestTrafficBudgetRollsBack(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	ecsc, elbc := s.sdkClients(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc, ecstypes.Tag{Key: aws.String("fargo:rollback:error-rate"), Value: aws.String("5")})
	good := currentTaskDefinition(t, ctx, ecsc)

	loadCtx, stopLoad := context.WithCancel(context.Background())
	defer stopLoad()
	load := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 2, Rate: 50})
	bad := registerVersion(t, ctx, ecsc, "v-bad", "FAIL_REQUESTS", "true")
	upd, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(bad)})
	if err != nil {
		t.Fatal(err)
	}
	badID := aws.ToString(upd.Service.Deployments[0].Id)

	deadline := time.Now().Add(3 * time.Minute)
	for {
		svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		sv := svc.Services[0]
		if aws.ToString(sv.TaskDefinition) == good && aws.ToString(sv.Deployments[0].Id) != badID {
			if !hasServiceEvent(sv, "fargo load balancer evidence") && !hasServiceEvent(sv, "requests failed") {
				t.Fatalf("rolled back without saying why: %+v", sv.Events)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("bad release was not rolled back: %s, deployments %+v", aws.ToString(sv.TaskDefinition), sv.Deployments)
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, good)
	stopLoad()
	res := <-load
	t.Logf("load during the bad release and its rollback:\n%s", res)
	if res.Revisions["v-bad"] == 0 {
		t.Fatalf("the bad release never got traffic: %v", res.Revisions)
	}
}

func currentTaskDefinition(t *testing.T, ctx context.Context, ecsc *ecssdk.Client) string {
	t.Helper()
	svc, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(svc.Services[0].TaskDefinition)
}

func hasServiceEvent(s ecstypes.Service, substr string) bool {
	for _, e := range s.Events {
		if strings.Contains(aws.ToString(e.Message), substr) {
			return true
		}
	}
	return false
}
