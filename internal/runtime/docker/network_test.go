package docker_test

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/docker"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

// serving returns the spec of a container of task that serves "ok" on its container ports.
func serving(image, task, name, mode string, ports ...int) runtime.ContainerSpec {
	spec := images(image).Run(drivertest.Program{Listen: true, Forever: true})
	spec.ID, spec.TaskID, spec.Name, spec.NetworkMode = task+"-"+name, task, name, mode
	for _, p := range ports {
		spec.PortMappings = append(spec.PortMappings, runtime.PortMapping{ContainerPort: p, Protocol: "tcp"})
	}
	return spec
}

// reply dials addr from the host until it answers "ok", for up to 20 s.
func reply(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			buf := make([]byte, 3)
			_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
			n, _ := c.Read(buf)
			_ = c.Close()
			if string(buf[:n]) == "ok\n" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer ok: %v", addr, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func startAll(t *testing.T, d *docker.Driver, specs ...runtime.ContainerSpec) []runtime.Status {
	t.Helper()
	var out []runtime.Status
	for _, spec := range specs {
		st, err := d.Start(ctxFor(t), spec)
		if err != nil {
			t.Fatalf("start %s: %v", spec.ID, err)
		}
		out = append(out, st)
	}
	return out
}

// TestAwsvpc checks that each task gets an address of its own that the host reaches, on the
// container port, and that the containers of a task share it and localhost.
func TestAwsvpc(t *testing.T) {
	t.Parallel()
	_, image := testImage(t)
	cfg := testConfig(scopeOf(t.Name()))
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	sidecar := serving(image, "task1", "sidecar", "awsvpc")
	sidecar.Environment = append(sidecar.Environment, runtime.EnvVar{Name: drivertest.ProgramEnv, Value: `{"Forever":true}`})
	st := startAll(t, d,
		serving(image, "task1", "web", "awsvpc", 8080),
		sidecar,
		serving(image, "task2", "web", "", 8080))
	web1, side1, web2 := st[0], st[1], st[2]
	if net.ParseIP(web1.HostIP) == nil || web1.HostIP == web2.HostIP {
		t.Fatalf("task addresses %q and %q, want two different addresses", web1.HostIP, web2.HostIP)
	}
	if side1.HostIP != web1.HostIP {
		t.Fatalf("the sidecar reports %q, its task %q", side1.HostIP, web1.HostIP)
	}
	for _, s := range []runtime.Status{web1, web2} {
		if len(s.Ports) != 1 || s.Ports[0].HostPort != 8080 {
			t.Fatalf("ports %+v, want container port 8080 as the host port", s.Ports)
		}
		reply(t, net.JoinHostPort(s.HostIP, "8080"))
	}
	res, err := d.Exec(ctxFor(t), side1.ID, []string{"CMD", "/program", "dial", "127.0.0.1:8080"}, 10*time.Second)
	if err != nil || res.ExitCode != 0 || !strings.Contains(res.Output, "ok") {
		t.Fatalf("the sidecar dialing localhost:8080: %+v, %v; want ok from its task's web container", res, err)
	}
}

// TestBridgeDynamicPorts runs two tasks with the same container port and no host port: each
// gets its own host port on 127.0.0.1.
func TestBridgeDynamicPorts(t *testing.T) {
	t.Parallel()
	_, image := testImage(t)
	cfg := testConfig(scopeOf(t.Name()))
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	st := startAll(t, d, serving(image, "task1", "web", "bridge", 8080), serving(image, "task2", "web", "bridge", 8080))
	seen := map[int]bool{}
	for _, s := range st {
		if s.HostIP != "127.0.0.1" || len(s.Ports) != 1 || s.Ports[0].ContainerPort != 8080 || s.Ports[0].HostPort <= 0 {
			t.Fatalf("status %+v on %q, want 8080 published on a host port of 127.0.0.1", s.Ports, s.HostIP)
		}
		seen[s.Ports[0].HostPort] = true
		reply(t, net.JoinHostPort(s.HostIP, strconv.Itoa(s.Ports[0].HostPort)))
	}
	if len(seen) != 2 {
		t.Fatalf("both tasks got host port %v", seen)
	}
}

func TestHostNetwork(t *testing.T) {
	t.Parallel()
	_, image := testImage(t)
	cfg := testConfig(scopeOf(t.Name()))
	cleanupScope(t, cfg)
	d := newDriver(t, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	st := startAll(t, d, serving(image, "task1", "web", "host", port))[0]
	if st.HostIP != "127.0.0.1" || st.Ports[0].HostPort != port {
		t.Fatalf("status %+v on %q, want port %d on 127.0.0.1", st.Ports, st.HostIP, port)
	}
	reply(t, net.JoinHostPort(st.HostIP, strconv.Itoa(port)))
}
