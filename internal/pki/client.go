package pki

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// ClientFiles are an etcd client's TLS files, etcdctl's --cacert, --cert and --key.
type ClientFiles struct {
	CACert, Cert, Key string
}

// Empty reports whether no file is set: the client uses no TLS settings of its own.
func (f ClientFiles) Empty() bool { return f == ClientFiles{} }

// Config returns the client's TLS settings: the server verified against CACert (the system's
// roots when empty), and the client certificate offered. The certificate is read at every
// handshake, so that one issued again in place (rotation) is used from the next connection
// on. nil when f is empty.
func (f ClientFiles) Config() (*tls.Config, error) {
	if f.Empty() {
		return nil, nil
	}
	if (f.Cert == "") != (f.Key == "") {
		return nil, errdefs.InvalidArgument("etcd client certificate: --etcd-cert and --etcd-key go together")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if f.CACert != "" {
		pemData, err := os.ReadFile(f.CACert)
		if err != nil {
			return nil, fmt.Errorf("--etcd-cacert: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pemData) {
			return nil, errdefs.InvalidArgument("--etcd-cacert %s holds no PEM certificate", f.CACert)
		}
		cfg.RootCAs = pool
	}
	if f.Cert != "" {
		// Loaded once now, so that a wrong file fails the start rather than every connection.
		if _, err := tls.LoadX509KeyPair(f.Cert, f.Key); err != nil {
			return nil, fmt.Errorf("--etcd-cert/--etcd-key: %w", err)
		}
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			c, err := tls.LoadX509KeyPair(f.Cert, f.Key)
			return &c, err
		}
	}
	return cfg, nil
}

// CheckEndpoints refuses etcd endpoints that would reach the store unauthenticated over a
// network: plain http:// on an address that is not loopback, or https:// without a client
// certificate (fargo's members authenticate their clients by certificate). Unix sockets and
// loopback addresses are this machine's own and stay allowed.
func CheckEndpoints(endpoints []string, f ClientFiles) error {
	for _, ep := range endpoints {
		u, err := url.Parse(ep)
		if err != nil || !strings.Contains(ep, "://") {
			// etcd's client takes host:port as plain http.
			u = &url.URL{Scheme: "http", Host: ep}
		}
		switch {
		case u.Scheme == "unix" || u.Scheme == "unixs" || IsLoopbackHost(u.Hostname()):
		case u.Scheme == "https" && f.Cert != "":
		case u.Scheme == "https":
			return errdefs.InvalidArgument("--etcd-endpoints %s: the store authenticates its clients by certificate: give --etcd-cacert, --etcd-cert and --etcd-key; create them with `fargo cert`", ep)
		default:
			return errdefs.InvalidArgument("--etcd-endpoints %s is unauthenticated plain HTTP on a non-loopback address: use https:// with --etcd-cacert, --etcd-cert and --etcd-key; create them with `fargo cert`", ep)
		}
	}
	return nil
}

// IsLoopbackHost reports whether host (a name or an IP address, without port) is this
// machine's loopback: localhost or an address of 127.0.0.0/8 or ::1. An empty host, and
// 0.0.0.0, listen on every address and are not.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
