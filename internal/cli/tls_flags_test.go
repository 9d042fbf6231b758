package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/pki"
)

// TestEtcdMemberTLSFlags: the member's TLS flags reach its configuration.
func TestEtcdMemberTLSFlags(t *testing.T) {
	t.Parallel()
	cmd := &cobra.Command{}
	var o etcdMemberFlags
	addEtcdMemberFlags(cmd, &o)
	if err := cmd.Flags().Parse([]string{
		"--etcd-name", "a", "--etcd-initial-cluster", "a=https://127.0.0.1:2380",
		"--etcd-peer-cert-file", "a.crt", "--etcd-peer-key-file", "a.key", "--etcd-peer-trusted-ca-file", "ca.crt",
		"--etcd-cert-file", "c.crt", "--etcd-key-file", "c.key", "--etcd-trusted-ca-file", "cca.crt",
	}); err != nil {
		t.Fatal(err)
	}
	var cfg daemon.Config
	if err := o.apply(&cfg); err != nil {
		t.Fatal(err)
	}
	p, c := cfg.EtcdCluster.PeerTLS, cfg.EtcdCluster.ClientTLS
	if p.CertFile != "a.crt" || p.KeyFile != "a.key" || p.TrustedCAFile != "ca.crt" ||
		c.CertFile != "c.crt" || c.KeyFile != "c.key" || c.TrustedCAFile != "cca.crt" {
		t.Fatalf("peer TLS %+v, client TLS %+v", cfg.EtcdCluster.PeerTLS, cfg.EtcdCluster.ClientTLS)
	}
	if u := cfg.EtcdCluster.ListenPeerURLs; len(u) != 1 || u[0].Scheme != "https" {
		t.Fatalf("listen peer URLs %v, want the https one of the initial cluster", u)
	}
}

// TestUnauthenticatedNetworkRefused: server, agent and data plane refuse to start on an
// unauthenticated non-loopback etcd URL, with an error naming the flag and the fix. The
// addresses are only strings: the refusal comes before any traffic.
func TestUnauthenticatedNetworkRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"server peer URL", []string{"server", "--etcd-name", "a", "--etcd-initial-cluster", "a=http://192.0.2.1:2380"}, "--etcd-peer-cert-file"},
		{"server peer URL on every address", []string{"server", "--etcd-name", "a", "--etcd-initial-cluster", "a=http://127.0.0.1:2380", "--etcd-listen-peer-urls", "http://0.0.0.0:2380"}, "--etcd-peer-cert-file"},
		{"server client URL", []string{"server", "--etcd-listen-client-urls", "http://192.0.2.1:2379"}, "--etcd-cert-file"},
		{"server client URL without client auth", []string{"server", "--etcd-listen-client-urls", "https://192.0.2.1:2379", "--etcd-cert-file", "a.crt", "--etcd-key-file", "a.key"}, "--etcd-trusted-ca-file"},
		{"server external etcd", []string{"server", "--etcd-endpoints", "http://192.0.2.1:2379"}, "--etcd-endpoints"},
		{"server client TLS without endpoints", []string{"server", "--etcd-cert", "a.crt", "--etcd-key", "a.key"}, "need --etcd-endpoints"},
		{"agent plain", []string{"agent", "--etcd-endpoints", "http://192.0.2.1:2379"}, "--etcd-cacert"},
		{"agent https without certificate", []string{"agent", "--etcd-endpoints", "https://10.0.0.1:2379", "--etcd-cacert", "ca.crt"}, "--etcd-cert"},
		{"dataplane plain", []string{"dataplane", "--etcd-endpoints", "http://192.0.2.1:2379"}, "fargo cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			args := append(slices.Clone(tt.args), "--data-dir", filepath.Join(dir, "data"))
			var out, errOut bytes.Buffer
			if code := Main(context.Background(), args, &out, &errOut); code == 0 {
				t.Fatalf("exit 0, want a refusal")
			}
			if msg := errOut.String(); !strings.Contains(msg, tt.want) || !strings.Contains(msg, "fargo cert") && tt.want != "need --etcd-endpoints" {
				t.Fatalf("error %q, want one naming %s and fargo cert", msg, tt.want)
			}
		})
	}
}

func TestEtcdClientFlags(t *testing.T) {
	t.Parallel()
	files := pki.ClientFiles{CACert: "ca.crt", Cert: "a.crt", Key: "a.key"}
	if got, err := (etcdClientFlags{files: files}).forEndpoints("https://192.0.2.1:2379"); err != nil || got != files {
		t.Errorf("forEndpoints = %+v, %v; want the files", got, err)
	}
	if _, err := (etcdClientFlags{files: files}).forEndpoints(""); err == nil {
		t.Error("client TLS files without endpoints accepted")
	}
	if got, err := (etcdClientFlags{}).forEndpoints(""); err != nil || !got.Empty() {
		t.Errorf("no files, no endpoints = %+v, %v", got, err)
	}
}
