package pki_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/pki"
)

var now = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func readCert(t *testing.T, path string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pki.ParseCertificate(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pool(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

func TestInitDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ca")
	f, err := pki.InitDir(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	for path, mode := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, f.Key: 0o600, f.Cert: 0o644} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), mode)
		}
	}
	ca := readCert(t, f.Cert)
	if !ca.IsCA || ca.Subject.CommonName != pki.CACommonName {
		t.Errorf("CA: IsCA %v, CN %q", ca.IsCA, ca.Subject.CommonName)
	}
	if key, ok := ca.PublicKey.(*ecdsa.PublicKey); !ok || key.Curve != elliptic.P256() {
		t.Errorf("CA key is %T, want ECDSA P-256", ca.PublicKey)
	}
	if got := ca.NotAfter.Sub(now); got < 10*365*24*time.Hour-time.Hour {
		t.Errorf("CA valid for %s, want 10 years", got)
	}
}

func TestInitDirRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, err := pki.InitDir(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(f.Key)
	if _, err := pki.InitDir(dir, now); !errors.Is(err, errdefs.ErrAlreadyExists) {
		t.Fatalf("second InitDir: %v, want AlreadyExists", err)
	}
	after, _ := os.ReadFile(f.Key)
	if string(before) != string(after) {
		t.Fatal("the CA key changed")
	}
}

func TestIssueDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	caFiles, err := pki.InitDir(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	f, err := pki.IssueDir(dir, pki.Request{Name: "member-a", IPs: []net.IP{net.ParseIP("192.0.2.10")}, DNSNames: []string{"a.example"}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if f.Cert != filepath.Join(dir, "member-a.crt") || f.Key != filepath.Join(dir, "member-a.key") {
		t.Errorf("files %+v", f)
	}
	if fi, err := os.Stat(f.Key); err != nil || fi.Mode() != 0o600 {
		t.Errorf("key mode %v (%v), want 0600", fi.Mode(), err)
	}
	ca, cert := readCert(t, caFiles.Cert), readCert(t, f.Cert)
	if cert.Subject.CommonName != "member-a" {
		t.Errorf("CN %q", cert.Subject.CommonName)
	}
	wantEKU := []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	if !slices.Equal(cert.ExtKeyUsage, wantEKU) {
		t.Errorf("ExtKeyUsage %v, want %v", cert.ExtKeyUsage, wantEKU)
	}
	if !slices.Equal(cert.DNSNames, []string{"a.example", "localhost"}) {
		t.Errorf("DNS names %v", cert.DNSNames)
	}
	var ips []string
	for _, ip := range cert.IPAddresses {
		ips = append(ips, ip.String())
	}
	if !slices.Equal(ips, []string{"192.0.2.10", "127.0.0.1"}) {
		t.Errorf("IPs %v", ips)
	}
	if got := cert.NotAfter.Sub(now); got < 2*365*24*time.Hour-time.Hour || got > 2*365*24*time.Hour {
		t.Errorf("valid for %s, want 2 years", got)
	}
	for _, tc := range []struct {
		name  string
		host  string
		usage x509.ExtKeyUsage
	}{
		{"server by IP", "192.0.2.10", x509.ExtKeyUsageServerAuth},
		{"server on loopback", "127.0.0.1", x509.ExtKeyUsageServerAuth},
		{"server by name", "a.example", x509.ExtKeyUsageServerAuth},
		{"localhost", "localhost", x509.ExtKeyUsageServerAuth},
		{"client", "", x509.ExtKeyUsageClientAuth},
	} {
		opts := x509.VerifyOptions{Roots: pool(ca), DNSName: tc.host, CurrentTime: now.Add(time.Hour), KeyUsages: []x509.ExtKeyUsage{tc.usage}}
		if _, err := cert.Verify(opts); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: pool(ca), DNSName: "b.example", CurrentTime: now}); err == nil {
		t.Error("verified for a name it was not issued for")
	}
}

func TestIssueDirDays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := pki.InitDir(dir, now); err != nil {
		t.Fatal(err)
	}
	f, err := pki.IssueDir(dir, pki.Request{Name: "short", Days: 3}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := readCert(t, f.Cert).NotAfter; !got.Equal(now.Add(72 * time.Hour)) {
		t.Errorf("NotAfter %s, want %s", got, now.Add(72*time.Hour))
	}
	if _, err := pki.IssueDir(dir, pki.Request{Name: "long", Days: 20 * 365}, now); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("a certificate outliving its CA: %v, want InvalidArgument", err)
	}
}

func TestWrongCAFailsVerification(t *testing.T) {
	t.Parallel()
	dirA, dirB := t.TempDir(), t.TempDir()
	for _, d := range []string{dirA, dirB} {
		if _, err := pki.InitDir(d, now); err != nil {
			t.Fatal(err)
		}
	}
	f, err := pki.IssueDir(dirB, pki.Request{Name: "stranger"}, now)
	if err != nil {
		t.Fatal(err)
	}
	caA := readCert(t, filepath.Join(dirA, pki.CACertFile))
	_, err = readCert(t, f.Cert).Verify(x509.VerifyOptions{Roots: pool(caA), CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	if err == nil {
		t.Fatal("a certificate of another CA verified")
	}
}

func TestIssueDirRefusesBadRequests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := pki.IssueDir(dir, pki.Request{Name: "a"}, now); !errors.Is(err, errdefs.ErrNotFound) {
		t.Errorf("without a CA: %v, want NotFound", err)
	}
	if _, err := pki.InitDir(dir, now); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"", "ca", "../x", "a/b", ".hidden", "a b"} {
		if _, err := pki.IssueDir(dir, pki.Request{Name: name}, now); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("name %q: %v, want InvalidArgument", name, err)
		}
	}
	if _, err := pki.IssueDir(dir, pki.Request{Name: "a", Days: -1}, now); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("negative days: %v, want InvalidArgument", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("refused requests wrote files: %v", entries)
	}
}
