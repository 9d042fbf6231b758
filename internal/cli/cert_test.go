package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/pki"
)

func TestCertCommands(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	run := func(args ...string) (string, int) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := Main(context.Background(), args, &out, &errOut)
		return out.String() + errOut.String(), code
	}
	if out, code := run("cert", "init", "--dir", dir); code != 0 || !strings.Contains(out, filepath.Join(dir, "ca.key")) {
		t.Fatalf("cert init = %d: %s", code, out)
	}
	if out, code := run("cert", "init", "--dir", dir); code == 0 || !strings.Contains(out, "exists") {
		t.Fatalf("cert init again = %d: %s, want a refusal", code, out)
	}
	out, code := run("cert", "issue", "--dir", dir, "--name", "a", "--ip", "192.0.2.7", "--ip", "192.0.2.8", "--dns", "a.example", "--days", "30")
	if code != 0 || !strings.Contains(out, "--etcd-peer-cert-file "+filepath.Join(dir, "a.crt")) {
		t.Fatalf("cert issue = %d: %s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "a.crt"))
	if err != nil {
		t.Fatal(err)
	}
	cert, err := pki.ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(cert.IPAddresses) != 3 || cert.DNSNames[0] != "a.example" || cert.Subject.CommonName != "a" {
		t.Errorf("certificate IPs %v, DNS names %v, CN %q", cert.IPAddresses, cert.DNSNames, cert.Subject.CommonName)
	}
	for name, args := range map[string][]string{
		"bad ip":      {"--name", "b", "--ip", "nope"},
		"no name":     {"--ip", "192.0.2.7"},
		"zero days":   {"--name", "b", "--days", "0"},
		"path name":   {"--name", "../b"},
		"without dir": nil,
	} {
		full := append([]string{"cert", "issue", "--dir", dir}, args...)
		if name == "without dir" {
			full = []string{"cert", "issue", "--name", "b"}
		}
		if out, code := run(full...); code == 0 {
			t.Errorf("%s: exit 0: %s", name, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "b.crt")); err == nil {
		t.Error("a refused issue wrote b.crt")
	}
}
