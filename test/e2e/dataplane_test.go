package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/loadtest"
)

// TestDataPlaneOutlivesServer is DESIGN.md's invariant 7 under load through a listener: the
// server is killed with SIGKILL and stays down for 30 s, during which the data plane serves on
// with the last routing, notices by its own health checks that a task died and routes around
// it; then the server comes back and adopts the same data plane, and restarts gracefully
// (SIGINT, then a new server at once). Not one request fails, none gets a 5xx, and `fargo ps`
// and /metrics show the data plane. Last, the data plane itself is killed: the server starts
// a new one from the saved state.
func TestDataPlaneOutlivesServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ecsc, elbc := s.sdkClients(t)
	url, _ := setupBalancedService(t, ctx, ecsc, elbc)
	before := dataPlaneStatus(t, dir)
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	load := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, Rate: 200})

	killed := time.Now()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = s.cmd.Wait()
	waitDataPlane(t, dir, "the data plane to notice the store is away", func(st dataplane.Status) bool { return !st.StoreConnected })
	killOneTask(t, dir)
	waitDataPlane(t, dir, "the data plane's own checks to find the dead task", func(st dataplane.Status) bool {
		return st.HealthyTargets == 2 && !st.StoreConnected
	})
	time.Sleep(time.Until(killed.Add(30 * time.Second)))

	s = startServer(t, dir)
	waitDataPlane(t, dir, "the data plane back in touch with the store", func(st dataplane.Status) bool { return st.StoreConnected })
	s.stop(t)
	s = startServer(t, dir)
	after := waitDataPlane(t, dir, "the data plane in touch after the graceful restart", func(st dataplane.Status) bool { return st.StoreConnected })
	if after.PID != before.PID {
		t.Errorf("the data plane was pid %d before the restarts, %d after: not adopted", before.PID, after.PID)
	}
	time.Sleep(3 * time.Second) // load after the restart
	ps := s.fargo(t, "ps", "--data-dir", dir)
	if !strings.Contains(ps, "DATA PLANE PID") || !strings.Contains(ps, strconv.Itoa(after.PID)+"  ") || !strings.Contains(ps, "connected") {
		t.Errorf("fargo ps does not show the data plane %d serving and connected:\n%s", after.PID, ps)
	}
	metrics := httpGet(t, s.endpoint()+"/metrics")
	for _, want := range []string{"fargo_dataplane_up 1", "fargo_dataplane_store_connected 1", "fargo_dataplane_config_revision", "fargo_lb_requests_total"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	stopLoad()
	checkNoFailures(t, <-load, 1000)

	// The data plane itself killed: the server starts another, which begins from the saved
	// state with the targets healthy and serves at once.
	last := dataPlaneStatus(t, dir)
	time.Sleep(1500 * time.Millisecond) // a save of the state after last
	if err := syscall.Kill(last.PID, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	again := waitDataPlane(t, dir, "a new data plane", func(st dataplane.Status) bool { return st.PID != last.PID })
	if last.HealthyTargets == 0 || again.HealthyTargets < last.HealthyTargets || again.ConfigRevision < last.ConfigRevision {
		t.Errorf("the new data plane started with %d healthy targets and configuration revision %d; the killed one had %d and %d",
			again.HealthyTargets, again.ConfigRevision, last.HealthyTargets, last.ConfigRevision)
	}
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v0") {
		t.Errorf("through the new data plane: %q", body)
	}
}

// TestDataPlaneUpgrade starts a server of another build (another linked version) on the same
// data directory under load: the new build's data plane takes the listening sockets over from
// the old one, which drains and exits. Not one request fails, and the targets' request
// counters, the evidence of deployments, count every request of the run.
func TestDataPlaneUpgrade(t *testing.T) {
	t.Parallel()
	next := buildVersion(t, "e2e-next")
	dir := t.TempDir()
	s := startServer(t, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ecsc, elbc := s.sdkClients(t)
	url, _ := setupBalancedService(t, ctx, ecsc, elbc)
	old := dataPlaneStatus(t, dir)
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	load := startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, Rate: 200})
	time.Sleep(2 * time.Second)

	s.stop(t)
	startServerWith(t, next, dir)
	now := dataPlaneStatus(t, dir)
	if now.PID == old.PID || !strings.HasPrefix(now.Build, "e2e-next") {
		t.Fatalf("after the upgrade the data plane is pid %d of build %q; before pid %d of %q", now.PID, now.Build, old.PID, old.Build)
	}
	waitGone(t, old.PID)
	time.Sleep(3 * time.Second) // load on the new data plane alone
	stopLoad()
	res := <-load
	checkNoFailures(t, res, 500)
	counted := dataPlaneStatus(t, dir).Requests
	if counted < res.Requests() || counted > res.Requests()+res.Aborted {
		t.Errorf("the targets' counters say %d requests; the load sent %d (%d abandoned at the end)", counted, res.Requests(), res.Aborted)
	}
}

func checkNoFailures(t *testing.T, res loadtest.Result, atLeast int64) {
	t.Helper()
	if res.Failed() != 0 || res.Requests() < atLeast {
		samples, _ := json.Marshal(res.Errors)
		t.Fatalf("%d of %d requests failed (5xx: %d, errors: %d), want 0 of at least %d: %s",
			res.Failed(), res.Requests(), res.Counts.Of(loadtest.Status5xx), res.Counts.Errors(), atLeast, samples)
	}
	t.Logf("%d requests, 0 failed", res.Requests())
}

func dataPlaneStatus(t *testing.T, dir string) dataplane.Status {
	t.Helper()
	_, st, err := dataplane.Query(context.Background(), dir)
	if err != nil {
		t.Fatalf("data plane: %v", err)
	}
	return st
}

// waitDataPlane waits until the data plane's status satisfies cond.
func waitDataPlane(t *testing.T, dir, what string, cond func(dataplane.Status) bool) dataplane.Status {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, st, err := dataplane.Query(context.Background(), dir)
		if err == nil && cond(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %+v, %v", what, st, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func waitGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("the old data plane %d did not exit", pid)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// killOneTask kills the process of one task of the server of dir.
func killOneTask(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "node.json"))
	if err != nil {
		t.Fatal(err)
	}
	var node struct {
		MetadataAddr string `json:"metadataAddr"`
	}
	if err := json.Unmarshal(data, &node); err != nil {
		t.Fatal(err)
	}
	for _, pid := range processesWithEnv("ECS_CONTAINER_METADATA_URI_V4=http://"+node.MetadataAddr+"/", true) {
		comm, _ := os.ReadFile(procFile(pid, "comm"))
		if strings.TrimSpace(string(comm)) != "hello" {
			continue
		}
		n, _ := strconv.Atoi(pid)
		if err := syscall.Kill(n, syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		t.Logf("killed task process %s", pid)
		return
	}
	t.Fatal("no task process found")
}

// buildVersion builds fargo linked with another version: another build, as an upgrade brings.
func buildVersion(t *testing.T, version string) string {
	t.Helper()
	fargoBinary(t)
	dir := t.TempDir()
	out, err := exec.Command("go", "build", "-ldflags", "-X github.com/fargohq/fargo/internal/cli.version="+version,
		"-o", dir+"/", "../../cmd/fargo").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return filepath.Join(dir, "fargo")
}
