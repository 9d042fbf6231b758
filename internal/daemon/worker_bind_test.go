package daemon

import "testing"

// TestWorkerTasksBindOnTheNodeAddress pins where a worker's tasks bind their host ports: on the
// node's address, which their network bindings report and their load balancer targets use, so
// that a data plane on another machine reaches them; on the drivers' default (127.0.0.1) when
// the node has no address or a host name.
func TestWorkerTasksBindOnTheNodeAddress(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, nodeAddr, want string
	}{
		{name: "node address", nodeAddr: "10.0.0.7", want: "10.0.0.7"},
		{name: "IPv6 node address", nodeAddr: "fd00::7", want: "fd00::7"},
		{name: "none", nodeAddr: "", want: ""},
		{name: "host name", nodeAddr: "worker-7.internal", want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			bind := WorkerConfig{NodeAddr: tc.nodeAddr}.bindIP()
			proc, dock := driverConfigs(t.TempDir(), "worker-7", bind)
			if proc.BindIP != tc.want || dock.BindIP != tc.want {
				t.Errorf("node address %q: the process driver binds on %q, Docker on %q; want %q", tc.nodeAddr, proc.BindIP, dock.BindIP, tc.want)
			}
			if err := proc.Validate(); err != nil {
				t.Errorf("process driver configuration: %v", err)
			}
		})
	}
}
