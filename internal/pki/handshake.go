package pki

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
)

// CheckTLS makes one TLS handshake with each https:// endpoint, with cfg, and returns the first
// that fails to authenticate: the client does not trust the server's certificate, or the server
// refuses the client's (none, or one of another CA). Endpoints that do not answer at all are
// not its business (nil): waiting may help them, not these. An etcd client only says "deadline
// exceeded" for both.
func CheckTLS(ctx context.Context, endpoints []string, cfg *tls.Config) error {
	for _, ep := range endpoints {
		u, err := url.Parse(ep)
		if err != nil || u.Scheme != "https" {
			continue
		}
		c := &tls.Config{}
		if cfg != nil {
			c = cfg.Clone()
		}
		// In TLS 1.3 a server's refusal of the client certificate arrives only after the
		// client's side of the handshake has completed; in 1.2 the handshake itself fails.
		c.MaxVersion = tls.VersionTLS12
		d := tls.Dialer{Config: c}
		conn, err := d.DialContext(ctx, "tcp", u.Host)
		if err == nil {
			_ = conn.Close()
			continue
		}
		var remote *net.OpError
		var verify *tls.CertificateVerificationError
		switch {
		case errors.As(err, &remote) && remote.Op == "remote error": // a TLS alert from the server
			return fmt.Errorf("etcd %s refused this client's certificate (%w): give --etcd-cert and --etcd-key of the members' CA; create them with `fargo cert issue`", ep, err)
		case errors.As(err, &verify):
			return fmt.Errorf("etcd %s has a certificate this client does not trust (%w): give --etcd-cacert, the CA of the members' certificates", ep, err)
		}
	}
	return nil
}
