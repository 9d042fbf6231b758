package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// testServer is a front door with the ECS and CloudWatch Logs APIs over one store, and the
// commands' clients bound to it.
type testServer struct {
	*logsapitest.Env
	clients clients
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	env := logsapitest.New(t, ecsService, elbService)
	return &testServer{Env: env, clients: clients{ecs: ecssdk.NewFromConfig(env.AWS), logs: env.Logs, elb: elbsdk.NewFromConfig(env.AWS)}}
}

var testScope = arn.Scope{Partition: "aws", Region: logsapitest.Region, AccountID: logsapitest.AccountID}

// ecsService is the real ECS API over the store.
func ecsService(st *store.Store) awsproto.Service {
	return ecsapi.New(st, testScope, time.Now).Service()
}

// elbService is the real ELBv2 API over the store.
func elbService(st *store.Store) awsproto.Service {
	return elbapi.New(st, testScope, time.Now, elbapi.Config{}).Service()
}

func noEnv(string) string { return "" }

func TestNewClientsFromDataDir(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	ctx := logsapitest.Context(t)
	state, _ := json.Marshal(map[string]any{"endpoint": srv.URL, "region": logsapitest.Region, "accountId": logsapitest.AccountID, "pid": 1})
	if err := os.WriteFile(filepath.Join(srv.DataDir, "server.json"), state, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := newClients(ctx, clientOptions{dataDir: srv.DataDir}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.logs.DescribeLogGroups(ctx, &logssdk.DescribeLogGroupsInput{}); err != nil {
		t.Fatalf("logs client from the data dir: %v", err)
	}
	if _, err := c.ecs.ListClusters(ctx, &ecssdk.ListClustersInput{}); err != nil {
		t.Fatalf("ECS client from the data dir: %v", err)
	}
	for name, hc := range map[string]any{"ECS": c.ecs.Options().HTTPClient, "logs": c.logs.Options().HTTPClient, "CodeDeploy": c.codedeploy.Options().HTTPClient,
		"ELBv2": c.elb.Options().HTTPClient} {
		if _, ok := hc.(bodyOwningClient); !ok {
			t.Errorf("the %s client sends requests with %T, not a bodyOwningClient (TestSDKCallKeepsItsConnection)", name, hc)
		}
	}
}

func TestNewClientsErrors(t *testing.T) {
	t.Parallel()
	ctx := logsapitest.Context(t)
	if _, err := newClients(ctx, clientOptions{dataDir: t.TempDir()}, noEnv); err == nil || !strings.Contains(err.Error(), "AWS_ENDPOINT_URL") {
		t.Fatalf("no server in the data dir: %v", err)
	}
	cfg, err := awsConfig(ctx, clientOptions{endpointURL: "http://127.0.0.1:1", dataDir: t.TempDir()}, noEnv)
	if err != nil || awsproto.Deref(cfg.BaseEndpoint) != "http://127.0.0.1:1" || cfg.Region == "" {
		t.Fatalf("--endpoint-url: %+v %v", cfg.BaseEndpoint, err)
	}
}

// TestLogLocationAgrees pins the CLI's copy of the stream naming to the server's.
func TestLogLocationAgrees(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sdk  *ecstypes.LogConfiguration
		dom  ecs.LogConfiguration
	}{
		{"none", nil, ecs.LogConfiguration{}},
		{"awslogs with prefix", &ecstypes.LogConfiguration{LogDriver: "awslogs", Options: map[string]string{"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "ecs"}}, logsapitest.Awslogs("/ecs/web", "ecs")},
		{"awslogs without prefix", &ecstypes.LogConfiguration{LogDriver: "awslogs", Options: map[string]string{"awslogs-group": "/ecs/web"}}, logsapitest.Awslogs("/ecs/web", "")},
		{"other driver", &ecstypes.LogConfiguration{LogDriver: "json-file"}, ecs.LogConfiguration{LogDriver: "json-file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g1, s1 := logLocation("demo", "abc", "web", tt.sdk)
			g2, s2 := logsapi.Location("demo", "abc", "web", tt.dom)
			if g1 != g2 || s1 != s2 {
				t.Fatalf("cli %s %s, server %s %s", g1, s1, g2, s2)
			}
		})
	}
}
