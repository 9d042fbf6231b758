package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/dataplane"
)

// TestTLSAgent creates a CA and certificates with `fargo cert`, runs a server whose etcd
// member serves clients on an https:// URL with client-certificate authentication, and two
// `fargo agent` processes against it: the one with a certificate of the CA registers its
// container instance (aws ecs list-container-instances shows it), the one without a
// certificate is refused by the store and exits, saying so.
func TestTLSAgent(t *testing.T) {
	t.Parallel()
	bin := fargoBinary(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca")
	fargo := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("fargo %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	fargo("cert", "init", "--dir", ca)
	if out, err := exec.Command(bin, "cert", "init", "--dir", ca).CombinedOutput(); err == nil {
		t.Fatalf("a second cert init replaced the CA:\n%s", out)
	}
	fargo("cert", "issue", "--dir", ca, "--name", "server", "--ip", "127.0.0.1")
	if out := fargo("cert", "issue", "--dir", ca, "--name", "worker"); !strings.Contains(out, "--etcd-cert "+filepath.Join(ca, "worker.crt")) {
		t.Fatalf("cert issue does not say how to use the certificate:\n%s", out)
	}
	caCert := filepath.Join(ca, "ca.crt")
	storeURL := fmt.Sprintf("https://127.0.0.1:%d", freePort(t))
	s := startServer(t, filepath.Join(dir, "server"), append(workerFlags,
		"--etcd-listen-client-urls", storeURL,
		"--etcd-cert-file", filepath.Join(ca, "server.crt"), "--etcd-key-file", filepath.Join(ca, "server.key"),
		"--etcd-trusted-ca-file", caCert)...)
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")

	// Without a certificate first: the store refuses its handshake, and it exits saying so.
	stranger := startAgent(t, filepath.Join(dir, "stranger"), "--node-id", "stranger", "--attribute", "rack=stranger",
		"--etcd-endpoints", storeURL, "--etcd-cacert", caCert)
	exited := make(chan error, 1)
	go func() { exited <- stranger.cmd.Wait() }()
	select {
	case err := <-exited:
		if err == nil || !strings.Contains(stranger.logs.String(), "refused this client's certificate") {
			t.Fatalf("the agent without a certificate exited with %v:\n%s", err, stranger.logs)
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("the agent without a certificate still runs:\n%s", stranger.logs)
	}
	startAgent(t, filepath.Join(dir, "worker"), "--node-id", "worker", "--attribute", "rack=tls",
		"--etcd-endpoints", storeURL, "--etcd-cacert", caCert,
		"--etcd-cert", filepath.Join(ca, "worker.crt"), "--etcd-key", filepath.Join(ca, "worker.key"))

	racks := func() []string {
		list := s.awsJSON(t, "ecs", "list-container-instances", "--cluster", "demo")
		arns, _ := get(list, "containerInstanceArns").([]any)
		if len(arns) == 0 {
			return nil
		}
		args := []string{"ecs", "describe-container-instances", "--cluster", "demo", "--container-instances"}
		for _, a := range arns {
			args = append(args, a.(string))
		}
		var out []string
		instances, _ := get(s.awsJSON(t, args...), "containerInstances").([]any)
		for _, ci := range instances {
			attrs, _ := get(ci, "attributes").([]any)
			for _, a := range attrs {
				if get(a, "name") == "rack" {
					out = append(out, get(a, "value").(string))
				}
			}
		}
		return out
	}
	waitLong(t, "the worker with a certificate in list-container-instances", func() bool {
		return strings.Contains(strings.Join(racks(), ","), "tls")
	})
	if got := racks(); strings.Contains(strings.Join(got, ","), "stranger") {
		t.Fatalf("the agent without a certificate registered: racks %v", got)
	}
}

// startAgent runs `fargo agent` on dataDir with the process driver and args.
func startAgent(t *testing.T, dataDir string, args ...string) *workerProc {
	t.Helper()
	return startAgentLike(t, fargoBinary(t), dataDir, append([]string{"agent", "--data-dir", dataDir, "--driver", "process", "--heartbeat-interval", "500ms"}, args...)...)
}

// startAgentLike runs bin with args, a fargo process of dataDir (an agent, a data plane), and
// kills it and what it left when the test ends.
func startAgentLike(t *testing.T, bin, dataDir string, args ...string) *workerProc {
	t.Helper()
	w := &workerProc{dataDir: dataDir, logs: &syncBuffer{}}
	w.cmd = exec.Command(bin, args...)
	w.cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	w.cmd.Stdout, w.cmd.Stderr = w.logs, w.logs
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killTaskProcesses(dataDir) })
	t.Cleanup(func() { w.kill(t) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("agent %s log:\n%s", dataDir, w.logs)
		}
	})
	return w
}

// TestTLSDataPlane: a member of a control plane serves etcd clients on an https:// URL with
// client-certificate authentication; a second server joins that store with --etcd-endpoints and
// a certificate, and the data plane process it starts gets the certificate too and reaches the
// store. A third server without a certificate fails to start.
func TestTLSDataPlane(t *testing.T) {
	t.Parallel()
	bin := fargoBinary(t)
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca")
	for _, args := range [][]string{
		{"cert", "init", "--dir", ca},
		{"cert", "issue", "--dir", ca, "--name", "a"},
		{"cert", "issue", "--dir", ca, "--name", "b"},
	} {
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("fargo %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	caCert := filepath.Join(ca, "ca.crt")
	storeURL := fmt.Sprintf("https://127.0.0.1:%d", freePort(t))
	// A member of a cluster (of one), so that it and the second server elect one leader.
	startServer(t, filepath.Join(dir, "a"), "--driver", "process",
		"--etcd-name", "a", "--etcd-initial-cluster", fmt.Sprintf("a=http://127.0.0.1:%d", freePort(t)),
		"--etcd-listen-client-urls", storeURL,
		"--etcd-cert-file", filepath.Join(ca, "a.crt"), "--etcd-key-file", filepath.Join(ca, "a.key"),
		"--etcd-trusted-ca-file", caCert)

	bDir := filepath.Join(dir, "b")
	startServer(t, bDir, "--driver", "process", "--etcd-name", "b", "--data-plane", "process",
		"--etcd-endpoints", storeURL,
		"--etcd-cacert", caCert, "--etcd-cert", filepath.Join(ca, "b.crt"), "--etcd-key", filepath.Join(ca, "b.key"))
	st := waitDataPlane(t, bDir, "the data plane of b in touch with the store", func(st dataplane.Status) bool { return st.StoreConnected })
	if st.EtcdCert != filepath.Join(ca, "b.crt") || st.EtcdCACert != caCert {
		t.Errorf("the data plane's TLS files: CA %q, certificate %q", st.EtcdCACert, st.EtcdCert)
	}

	// A data plane without a certificate serves on, and says why the store does not answer.
	lone := startAgentLike(t, bin, filepath.Join(dir, "lone"), "dataplane", "--data-dir", filepath.Join(dir, "lone"),
		"--etcd-endpoints", storeURL, "--etcd-cacert", caCert)
	waitLong(t, "the data plane without a certificate to say the store refuses it", func() bool {
		return strings.Contains(lone.logs.String(), "refused this client's certificate")
	})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // it fails, or is killed
	defer cancel()
	c := exec.CommandContext(ctx, bin, "server", "--data-dir", filepath.Join(dir, "c"), "--api-addr", "127.0.0.1:0", "--driver", "process",
		"--data-plane", "none", "--etcd-endpoints", storeURL, "--etcd-cacert", caCert)
	out, err := c.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "refused this client's certificate") {
		t.Fatalf("a server without a certificate: %v\n%s", err, out)
	}
}
