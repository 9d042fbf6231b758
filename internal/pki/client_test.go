package pki_test

import (
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/pki"
)

func TestCheckEndpoints(t *testing.T) {
	t.Parallel()
	withCert := pki.ClientFiles{CACert: "ca.crt", Cert: "a.crt", Key: "a.key"}
	for _, tc := range []struct {
		name      string
		endpoint  string
		files     pki.ClientFiles
		wantError bool
	}{
		{"unix socket", "unix:///run/fargo/etcd/client.sock", pki.ClientFiles{}, false},
		{"loopback http", "http://127.0.0.1:2379", pki.ClientFiles{}, false},
		{"other loopback address", "http://127.0.0.2:2379", pki.ClientFiles{}, false},
		{"localhost", "http://localhost:2379", pki.ClientFiles{}, false},
		{"ipv6 loopback", "http://[::1]:2379", pki.ClientFiles{}, false},
		{"host:port alone on loopback", "127.0.0.1:2379", pki.ClientFiles{}, false},
		{"loopback https without a certificate", "https://127.0.0.1:2379", pki.ClientFiles{}, false},
		{"remote http", "http://192.0.2.1:2379", pki.ClientFiles{}, true},
		{"remote http with a certificate", "http://192.0.2.1:2379", withCert, true},
		{"remote host:port alone", "10.0.0.1:2379", pki.ClientFiles{}, true},
		{"remote name", "http://etcd.example:2379", pki.ClientFiles{}, true},
		{"remote https without a certificate", "https://192.0.2.1:2379", pki.ClientFiles{CACert: "ca.crt"}, true},
		{"remote https with a certificate", "https://192.0.2.1:2379", withCert, false},
	} {
		err := pki.CheckEndpoints([]string{tc.endpoint}, tc.files)
		if (err != nil) != tc.wantError {
			t.Errorf("%s: %v, want error %v", tc.name, err, tc.wantError)
		}
		if err != nil && !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("%s: %v is not InvalidArgument", tc.name, err)
		}
	}
}

// TestClientConfig connects with the settings to a server that requires a client
// certificate of the CA: they work, and without the certificate the server refuses.
func TestClientConfig(t *testing.T) {
	t.Parallel()
	dir, now := t.TempDir(), time.Now() // real connections check against the real clock
	if _, err := pki.InitDir(dir, now); err != nil {
		t.Fatal(err)
	}
	srvFiles, err := pki.IssueDir(dir, pki.Request{Name: "server"}, now)
	if err != nil {
		t.Fatal(err)
	}
	cliFiles, err := pki.IssueDir(dir, pki.Request{Name: "client"}, now)
	if err != nil {
		t.Fatal(err)
	}
	srvCert, err := tls.LoadX509KeyPair(srvFiles.Cert, srvFiles.Key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(filepath.Join(dir, pki.CACertFile))
	ca, _ := pki.ParseCertificate(caPEM)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.TLS.PeerCertificates[0].Subject.CommonName))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{srvCert}, ClientCAs: pool(ca), ClientAuth: tls.RequireAndVerifyClientCert}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)

	get := func(files pki.ClientFiles) error {
		t.Helper()
		cfg, err := files.Config()
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}
		resp, err := c.Get(srv.URL)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	caFile := filepath.Join(dir, pki.CACertFile)
	if err := get(pki.ClientFiles{CACert: caFile, Cert: cliFiles.Cert, Key: cliFiles.Key}); err != nil {
		t.Fatalf("with a certificate: %v", err)
	}
	if err := get(pki.ClientFiles{CACert: caFile}); err == nil {
		t.Fatal("without a certificate the server answered")
	}
	if _, err := (pki.ClientFiles{Cert: cliFiles.Cert}).Config(); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("a certificate without its key: %v, want InvalidArgument", err)
	}
	if cfg, err := (pki.ClientFiles{}).Config(); cfg != nil || err != nil {
		t.Errorf("no files: %v, %v; want nil, nil", cfg, err)
	}
}

// TestCheckTLS tells a refused or untrusted certificate from a server that does not answer.
func TestCheckTLS(t *testing.T) {
	t.Parallel()
	dir, other, now := t.TempDir(), t.TempDir(), time.Now()
	for _, d := range []string{dir, other} {
		if _, err := pki.InitDir(d, now); err != nil {
			t.Fatal(err)
		}
	}
	srvFiles, _ := pki.IssueDir(dir, pki.Request{Name: "server"}, now)
	cliFiles, _ := pki.IssueDir(dir, pki.Request{Name: "client"}, now)
	srvCert, err := tls.LoadX509KeyPair(srvFiles.Cert, srvFiles.Key)
	if err != nil {
		t.Fatal(err)
	}
	caPEM, _ := os.ReadFile(srvFiles.CA)
	ca, _ := pki.ParseCertificate(caPEM)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{srvCert}, ClientCAs: pool(ca), ClientAuth: tls.RequireAndVerifyClientCert}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	closed := httptest.NewUnstartedServer(nil)
	closedURL := "https://" + closed.Listener.Addr().String()
	_ = closed.Listener.Close()

	for _, tc := range []struct {
		name     string
		endpoint string
		files    pki.ClientFiles
		want     string // in the error; "" for none
	}{
		{"accepted", srv.URL, pki.ClientFiles{CACert: srvFiles.CA, Cert: cliFiles.Cert, Key: cliFiles.Key}, ""},
		{"no client certificate", srv.URL, pki.ClientFiles{CACert: srvFiles.CA}, "--etcd-cert"},
		{"untrusted server", srv.URL, pki.ClientFiles{CACert: filepath.Join(other, pki.CACertFile), Cert: cliFiles.Cert, Key: cliFiles.Key}, "--etcd-cacert"},
		{"nothing listens", closedURL, pki.ClientFiles{CACert: srvFiles.CA}, ""},
		{"plain http is not checked", "http://" + srv.Listener.Addr().String(), pki.ClientFiles{}, ""},
	} {
		cfg, err := tc.files.Config()
		if err != nil {
			t.Fatal(err)
		}
		err = pki.CheckTLS(t.Context(), []string{tc.endpoint}, cfg)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want none", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error naming %s", tc.name, err, tc.want)
		}
	}
}
