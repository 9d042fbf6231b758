package dataplane_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
	"github.com/fargohq/fargo/internal/pki"
)

// savedState is the state of a data plane that served a listener on addr over backend b and
// knew b healthy. The group's checks never finish within a test, so only the saved health can
// route to b.
func savedState(addr string, b *lbtest.Backend, requests int64) dataplane.State {
	g := lbtest.Group("g", b)
	g.HealthCheck = lb.HealthCheck{Path: "/slow?d=10m", Interval: 5 * time.Minute, Timeout: 2 * time.Minute}
	l := lbtest.Listener("l", lbtest.Forward("g"))
	l.Addr = addr
	return dataplane.State{
		Revision: 4,
		Config:   lb.Config{Listeners: []lb.Listener{l}, TargetGroups: []lb.TargetGroup{g}},
		Memory: lb.Memory{
			Health:  []lb.TargetHealth{{GroupID: "g", TargetID: "web", Addr: b.Addr, State: lb.StateHealthy}},
			Targets: []lb.TargetStats{{GroupID: "g", TargetID: "web", Addr: b.Addr, Requests: requests}},
		},
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runDataPlane runs a data plane on dir whose store never answers, until the test ends.
func runDataPlane(t *testing.T, dir, build string) context.CancelFunc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cfg := dataplane.Config{DataDir: dir, Build: build, EtcdEndpoints: []string{"unix://" + filepath.Join(dir, "no-store.sock")}}
	go func() { done <- dataplane.Run(ctx, cfg, slog.New(slog.NewTextHandler(t.Output(), nil))) }()
	var once bool
	stop := func() {
		if once {
			return
		}
		once = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
	t.Cleanup(stop)
	lbtest.Eventually(t, 20*time.Second, "the data plane serves", func() bool {
		_, _, err := dataplane.Query(ctx, dir)
		return err == nil
	})
	return stop
}

// TestStartsFromSavedState: a data plane whose store is away serves the saved routing at once,
// routes to the targets that were healthy, counts on from the saved counters, reports all
// that on its control socket and saves it again when it stops.
func TestStartsFromSavedState(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	b := lbtest.NewBackend(t, "web")
	addr := freeAddr(t)
	if err := dataplane.SaveState(dir, savedState(addr, b, 10)); err != nil {
		t.Fatal(err)
	}
	stop := runDataPlane(t, dir, "build-a")

	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "web" {
		t.Fatalf("through the saved listener: %d %q, want 200 from the saved healthy target", res.StatusCode, body)
	}
	_, st, err := dataplane.Query(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Build != "build-a" || st.ConfigRevision != 4 || st.StoreConnected || st.Listeners != 1 || st.HealthyTargets != 1 {
		t.Errorf("status %+v: want build-a, revision 4, store away, 1 listener, 1 healthy target", st)
	}
	families, err := dataplane.Gatherer(dir).Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range families {
		names = append(names, f.GetName())
		if f.GetName() == "fargo_dataplane_config_revision" && f.GetMetric()[0].GetGauge().GetValue() != 4 {
			t.Errorf("config revision gauge %v, want 4", f.GetMetric()[0].GetGauge().GetValue())
		}
	}
	for _, want := range []string{"fargo_dataplane_config_revision", "fargo_dataplane_store_connected", "fargo_lb_requests_total"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("metrics lack %s: %v", want, names)
		}
	}

	stop()
	saved, ok, err := dataplane.LoadState(dir)
	if err != nil || !ok {
		t.Fatalf("state after stop: %v %v", ok, err)
	}
	if saved.Revision != 4 || len(saved.Memory.Targets) != 1 || saved.Memory.Targets[0].Requests != 11 {
		t.Errorf("saved revision %d, targets %+v: want revision 4 and 11 requests", saved.Revision, saved.Memory.Targets)
	}
}

// TestEnsureAdoptsSameBuild: a server adopts a data plane of its own build and settings
// without starting one, and starts one (here a command that fails) for a data plane of
// another build or with other settings.
func TestEnsureAdoptsSameBuild(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	runDataPlane(t, dir, "build-a")
	endpoints := []string{"unix://" + filepath.Join(dir, "no-store.sock")}
	log := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name  string
		l     dataplane.Launcher
		adopt bool
	}{
		{name: "same build and settings", l: dataplane.Launcher{Build: "build-a", EtcdEndpoints: endpoints}, adopt: true},
		{name: "another build", l: dataplane.Launcher{Build: "build-b", EtcdEndpoints: endpoints}},
		{name: "another bind address", l: dataplane.Launcher{Build: "build-a", EtcdEndpoints: endpoints, BindHost: "127.0.0.2"}},
		{name: "another store", l: dataplane.Launcher{Build: "build-a"}},
		{name: "other TLS files", l: dataplane.Launcher{Build: "build-a", EtcdEndpoints: endpoints, EtcdTLS: pki.ClientFiles{CACert: "ca.crt"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.l.DataDir, tc.l.Command = dir, []string{"/bin/false"}
			st, err := tc.l.Ensure(t.Context(), log)
			switch {
			case tc.adopt && (err != nil || st.Build != "build-a"):
				t.Errorf("adopt: %+v, %v", st, err)
			case !tc.adopt && (err == nil || !strings.Contains(err.Error(), "start")):
				t.Errorf("Ensure: %v, want it to start one (and fail)", err)
			}
		})
	}
}

// TestLauncherPassesTLSFiles: the data plane a server starts gets the server's etcd
// endpoints and its client TLS files, which it needs to reach the store.
func TestLauncherPassesTLSFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	argsFile := filepath.Join(dir, "args")
	l := dataplane.Launcher{
		DataDir: dir, Build: "b", EtcdEndpoints: []string{"https://127.0.0.1:2379"},
		EtcdTLS: pki.ClientFiles{CACert: "/etc/fargo/ca.crt", Cert: "/etc/fargo/w.crt", Key: "/etc/fargo/w.key"},
		// Records its arguments and fails, as a data plane that cannot start would.
		Command: []string{"/bin/sh", "-c", `echo "$@" > "$0"; exit 1`, argsFile},
	}
	if _, err := l.Ensure(t.Context(), slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("Ensure succeeded with a command that fails")
	}
	got, err := os.ReadFile(argsFile)
	if err != nil {
		t.Fatal(err)
	}
	want := "--etcd-endpoints https://127.0.0.1:2379 --etcd-cacert /etc/fargo/ca.crt --etcd-cert /etc/fargo/w.crt --etcd-key /etc/fargo/w.key"
	if !strings.Contains(string(got), want) {
		t.Fatalf("data plane arguments %q, want them to include %q", got, want)
	}
}

// TestQueryWithoutDataPlane: no record, or a record of a process that is gone, is no data plane.
func TestQueryWithoutDataPlane(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, _, err := dataplane.Query(t.Context(), dir); err == nil {
		t.Fatal("Query found a data plane in an empty directory")
	}
	stop := runDataPlane(t, dir, "x")
	stop()
	if _, _, err := dataplane.Query(t.Context(), dir); err == nil {
		t.Fatal("Query found a data plane that stopped")
	}
}

func TestCheckSocketPaths(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dir  string
		fail bool
	}{
		{dir: "/var/lib/fargo"},
		{dir: "/" + strings.Repeat("d", 90), fail: true},
	} {
		if err := dataplane.CheckSocketPaths(tc.dir); (err != nil) != tc.fail {
			t.Errorf("CheckSocketPaths(%d bytes): %v, want failure %v", len(tc.dir), err, tc.fail)
		}
	}
}
