package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/fargohq/fargo/internal/loadtest"
)

func TestMixLine(t *testing.T) {
	t.Parallel()
	snap := func(ok, failed int64, revs map[string]int64) loadtest.Result {
		r := loadtest.Result{Revisions: revs}
		r.Counts[loadtest.Status2xx] = ok
		r.Counts[loadtest.Status5xx] = failed
		return r
	}
	tests := []struct {
		name      string
		prev, cur loadtest.Result
		want      string
	}{
		{name: "nothing ended", prev: snap(10, 0, map[string]int64{"v1": 10}), cur: snap(10, 0, map[string]int64{"v1": 10}), want: ""},
		{name: "one version", prev: snap(0, 0, nil), cur: snap(200, 0, map[string]int64{"v1": 200}),
			want: "  measured: v1 100%          of 200 requests, 0 failed (0 failed so far)"},
		{name: "the canary's mix, in this interval only", prev: snap(1000, 0, map[string]int64{"v1": 1000}),
			cur:  snap(1200, 0, map[string]int64{"v1": 1180, "v2": 20}),
			want: "  measured: v1  90% v2  10%  of 200 requests, 0 failed (0 failed so far)"},
		{name: "failures counted", prev: snap(100, 1, map[string]int64{"v1": 101}), cur: snap(150, 3, map[string]int64{"v1": 151, "": 2}),
			want: "  measured: (no version)   4% v1  96% of 52 requests, 2 failed (3 failed so far)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mixLine(tt.prev, tt.cur); got != tt.want {
				t.Errorf("mixLine = %q\n          want %q", got, tt.want)
			}
		})
	}
}

// TestHelloTaskDefinition checks that the demo's task definition is one fargo deploy reads,
// with the fargo binary as the app and the container and port the services send traffic to.
func TestHelloTaskDefinition(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(helloTaskDefinition("/opt/fargo", "v1"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "hello.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	in, err := readTaskDefinition(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkContainerPort(in, demoContainer, demoContainerPort); err != nil {
		t.Fatal(err)
	}
	if err := setContainer(in, "", "", demoBrokenEnv); err != nil {
		t.Fatal(err)
	}
	c := in.ContainerDefinitions[0]
	if want := []string{"/opt/fargo", "demo-app"}; aws.ToString(in.Family) != "hello" || !slices.Equal(c.Command, want) {
		t.Errorf("family %q command %q, want hello running %q", aws.ToString(in.Family), c.Command, want)
	}
	env := map[string]string{}
	for _, kv := range c.Environment {
		env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
	}
	if env["VERSION"] != "v3" || env["STARTUP_DELAY"] != "3" || len(env) != 2 {
		t.Errorf("environment of the broken version %v", env)
	}
}

// TestProcessesInAndLeftovers starts a process in a directory, as the process driver starts a
// container, and checks that the demo finds it there and, when it does not exit, kills it.
func TestProcessesInAndLeftovers(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("the demo finds its processes through /proc")
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "containers", "a")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sleep", "600")
	cmd.Dir = sub
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	if got := processesIn(dir); !slices.Equal(got, []int{cmd.Process.Pid}) {
		t.Fatalf("processesIn = %v, want [%d]", got, cmd.Process.Pid)
	}
	if got := processesIn(t.TempDir()); len(got) != 0 {
		t.Fatalf("processesIn of an empty directory = %v", got)
	}
	if killed := stopLeftovers(dir, 100*time.Millisecond); !slices.Equal(killed, []int{cmd.Process.Pid}) {
		t.Fatalf("stopLeftovers = %v, want [%d]", killed, cmd.Process.Pid)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("the leftover process still runs")
	}
}

func TestBusyPorts(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	busy := ln.Addr().(*net.TCPAddr).Port
	free, err := freeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	if got := busyPorts([]int{free, busy}); !slices.Equal(got, []int{busy}) {
		t.Errorf("busyPorts = %v, want [%d]", got, busy)
	}
	if got := endpointPort("http://127.0.0.1:4566"); got != 4566 {
		t.Errorf("endpointPort = %d", got)
	}
}

// TestDemoReport checks the final report: a line per phase, the load's counts where there was
// load, and the totals; any failed request fails the demo.
func TestDemoReport(t *testing.T) {
	t.Parallel()
	d := &demoRun{start: time.Now(), phases: []demoPhase{
		{name: "start", took: 400 * time.Millisecond},
		{name: "canary", took: 30 * time.Second, load: true, requests: 3000, failed: 0, note: "v1 → v2"},
		{name: "broken", took: 12 * time.Second, load: true, requests: 1200, failed: 2, note: "rolled back"},
	}}
	var out bytes.Buffer
	d.report(&out)
	for _, want := range []string{"  start   400ms", "  canary  30s    3000      0       v1 → v2", "  broken  12s    1200      2       rolled back", "requests served: 4200\n", "failed requests: 2\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, out.String())
		}
	}
	if err := d.failures(); err == nil || err.Error() != "2 requests failed" {
		t.Errorf("failures = %v", err)
	}
	d.phases[2].failed = 0
	if err := d.failures(); err != nil {
		t.Errorf("failures without a failed request = %v", err)
	}
}

func TestDemoFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		o    demoOptions
		want string
	}{
		{demoOptions{timeScale: 0, rate: 100}, "--time-scale 0"},
		{demoOptions{timeScale: 60001, rate: 100}, "--time-scale 60001"},
		{demoOptions{timeScale: 12, rate: 0}, "--rate 0"},
	} {
		if err := runDemo(t.Context(), tt.o, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("runDemo(%+v) = %v, want %q", tt.o, err, tt.want)
		}
	}
}
