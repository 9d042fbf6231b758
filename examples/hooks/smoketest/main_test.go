package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/codedeploy"

	"github.com/fargohq/fargo/internal/api/apitest"
	cd "github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// hookExecution stores deployment id in progress and the pending execution of its hook for
// event, as the deployer creates them, and returns the execution's id and the
// LifecycleEventHookExecutionId its target gets.
func hookExecution(t *testing.T, st *store.Store, id, event string) (string, string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.Deployments.Create(ctx, id, cd.Deployment{ID: id, Status: cd.StatusInProgress}); err != nil {
		t.Fatal(err)
	}
	x := hooks.Execution{ID: hooks.ExecutionID(id, event, 0), Kind: hooks.KindCodeDeploy, Owner: id, Event: event, Status: hooks.StatusInProgress}
	if _, err := st.HookExecutions.Create(ctx, x.ID, x); err != nil {
		t.Fatal(err)
	}
	return x.ID, hooks.CodeDeployHookID(x.ID)
}

// target is the service under test: it answers body.
func target(t *testing.T, status int, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// env is a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func invoke(t *testing.T, h *hook, payload string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader(payload)))
	return rec.Code, rec.Body.String()
}

func TestECSHookAnswersItsVerdict(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, expect string
		status             int
		want               string
	}{
		{"passes", "hello from v2", "v2", http.StatusOK, "SUCCEEDED"},
		{"wrong answer", "hello from v1", "v2", http.StatusOK, "FAILED"},
		{"error status", "oops", "", http.StatusServiceUnavailable, "FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, err := checkFromEnv(env(map[string]string{"SMOKE_URL": target(t, tt.status, tt.body), "SMOKE_EXPECT": tt.expect, "SMOKE_REQUESTS": "3", "SMOKE_WINDOW": "0s"}))
			if err != nil {
				t.Fatal(err)
			}
			code, body := invoke(t, &hook{check: check}, `{"executionDetails":{"lifecycleStage":"POST_TEST_TRAFFIC_SHIFT"}}`)
			var answer struct{ HookStatus string }
			if err := json.Unmarshal([]byte(body), &answer); err != nil || code != http.StatusOK || answer.HookStatus != tt.want {
				t.Fatalf("answer %d %s, want hookStatus %s", code, body, tt.want)
			}
		})
	}
}

// The CodeDeploy verdict goes to fargo's PutLifecycleEventHookExecutionStatus.
func TestCodeDeployHookReportsItsVerdict(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	for i, tt := range []struct {
		body string
		want hooks.Status
	}{{"hello from v2", hooks.StatusSucceeded}, {"hello from v1", hooks.StatusFailed}} {
		id := "d-SMOKE000" + string(rune('1'+i))
		execID, hookID := hookExecution(t, api.Store, id, "AfterAllowTestTraffic")
		check, _ := checkFromEnv(env(map[string]string{"SMOKE_URL": target(t, http.StatusOK, tt.body), "SMOKE_EXPECT": "v2", "SMOKE_WINDOW": "0s"}))
		h := &hook{check: check, reporter: codedeploy.NewFromConfig(api.AWS)}
		payload, _ := json.Marshal(map[string]string{"DeploymentId": id, "LifecycleEventHookExecutionId": hookID})
		if code, body := invoke(t, h, string(payload)); code != http.StatusOK {
			t.Fatalf("invocation answered %d %s", code, body)
		}
		x, err := api.Store.HookExecutions.Get(context.Background(), execID)
		if err != nil || x.Value.Status != tt.want {
			t.Fatalf("the hook reported %s for %q (%v), want %s", x.Value.Status, tt.body, err, tt.want)
		}
	}
}
