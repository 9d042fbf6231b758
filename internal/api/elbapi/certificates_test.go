package elbapi_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
	"github.com/fargohq/fargo/internal/lbsync"
)

// TestListenerCertificate creates an HTTPS listener with each form of certificate ARN, serves
// it with the data plane as fargo server does, and checks that a TLS client receives exactly
// the certificate in the named files.
func TestListenerCertificate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// certificateARN places the certificate's files and returns the ARN that names them.
		certificateARN func(t *testing.T, env *apitest.Env, certPEM, keyPEM []byte) string
	}{
		{"file: chain and key in one file", func(t *testing.T, _ *apitest.Env, certPEM, keyPEM []byte) string {
			chain := filepath.Join(t.TempDir(), "chain.pem")
			writeFile(t, chain, append(bytes.Clone(certPEM), keyPEM...))
			return "file://" + filepath.ToSlash(chain)
		}},
		{"file: key in its own file", func(t *testing.T, _ *apitest.Env, certPEM, keyPEM []byte) string {
			dir := t.TempDir()
			cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
			writeFile(t, cert, certPEM)
			writeFile(t, key, keyPEM)
			return "file://" + filepath.ToSlash(cert) + "?key=" + filepath.ToSlash(key)
		}},
		{"ACM ARN: files in the certificate directory", func(t *testing.T, env *apitest.Env, certPEM, keyPEM []byte) string {
			writeFile(t, filepath.Join(env.CertificateDir, "site.crt"), certPEM)
			writeFile(t, filepath.Join(env.CertificateDir, "site.key"), keyPEM)
			return acmARN
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := apitest.New(t)
			ctx := apitest.Context(t)
			certFile, keyFile, pool := lbtest.SelfSignedCert(t)
			certPEM, keyPEM := readFile(t, certFile), readFile(t, keyFile)
			block, _ := pem.Decode(certPEM)
			want, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				t.Fatal(err)
			}
			port := freePort(t)
			alb, tg := createLB(t, env, "web"), createTG(t, env, "blue")
			if _, err := env.ELBV2.CreateListener(ctx, &elbv2.CreateListenerInput{
				LoadBalancerArn: alb.LoadBalancerArn, Protocol: types.ProtocolEnumHttps, Port: aws.Int32(int32(port)),
				Certificates:   []types.Certificate{{CertificateArn: aws.String(tt.certificateARN(t, env, certPEM, keyPEM))}},
				DefaultActions: forward(aws.ToString(tg.TargetGroupArn)),
			}); err != nil {
				t.Fatal(err)
			}
			serveListeners(t, env)
			got := serverCertificate(t, net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), pool)
			if !got.Equal(want) {
				t.Errorf("the listener presented %q (serial %v), want the certificate of the files, %q (serial %v)",
					got.Subject, got.SerialNumber, want.Subject, want.SerialNumber)
			}
		})
	}
}

// serveListeners runs the data plane over the test server's store, configured by lbsync as
// fargo server configures it, until the test ends.
func serveListeners(t *testing.T, env *apitest.Env) {
	t.Helper()
	proxy, err := lb.New(lb.ProxyConfig{}, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	ctrl := lbsync.New(env.Store, proxy, lbsync.Config{Settings: lbsync.Settings{BindHost: "127.0.0.1", CertDir: env.CertificateDir}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var g errgroup.Group
	g.Go(func() error { return proxy.Run(ctx) })
	g.Go(func() error { return ctrl.Run(ctx) })
	t.Cleanup(func() {
		cancel()
		if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("data plane: %v", err)
		}
	})
}

// serverCertificate returns the leaf certificate that the TLS server at addr presents to a
// client trusting pool, waiting up to 10 s for the listener to come up.
func serverCertificate(t *testing.T, addr string, pool *x509.CertPool) *x509.Certificate {
	t.Helper()
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: time.Second}, Config: &tls.Config{RootCAs: pool, ServerName: "localhost"}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := dialer.DialContext(apitest.Context(t), "tcp", addr)
		if err == nil {
			cert := conn.(*tls.Conn).ConnectionState().PeerCertificates[0]
			conn.Close()
			return cert
		}
		if time.Now().After(deadline) {
			t.Fatalf("no TLS handshake with %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
