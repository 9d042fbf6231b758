package embedetcd

import (
	"net/url"

	"go.etcd.io/etcd/client/pkg/v3/transport"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/pki"
)

// TLS is a listener's certificate, in etcd's terms (--cert-file, --key-file,
// --trusted-ca-file, and their --peer- twins). A TrustedCAFile turns client-certificate
// authentication on: only holders of a certificate of that CA are served.
type TLS struct {
	CertFile, KeyFile, TrustedCAFile string
}

// info is t as etcd's TLS settings. etcd reads the files at every handshake, so that a
// certificate issued again in place is used from the next connection on.
func (t TLS) info() transport.TLSInfo {
	return transport.TLSInfo{CertFile: t.CertFile, KeyFile: t.KeyFile, TrustedCAFile: t.TrustedCAFile, ClientCertAuth: t.TrustedCAFile != ""}
}

// listenerFlags name the fargo server flags of one kind of listener, for the errors that say
// how to fix it.
type listenerFlags struct {
	kind, urls, cert, key, ca string
}

var (
	peerFlags   = listenerFlags{"peer", "peer URL (--etcd-listen-peer-urls, else the member's in --etcd-initial-cluster)", "--etcd-peer-cert-file", "--etcd-peer-key-file", "--etcd-peer-trusted-ca-file"}
	clientFlags = listenerFlags{"client", "--etcd-listen-client-urls", "--etcd-cert-file", "--etcd-key-file", "--etcd-trusted-ca-file"}
)

// checkListeners refuses listen URLs that would serve unauthenticated over a network: plain
// http:// on an address that is not loopback, or https:// without client-certificate
// authentication. Loopback stays open to plain HTTP: it is this machine's own, as the unix
// socket is. https:// anywhere needs a certificate and its key.
func checkListeners(urls []url.URL, t TLS, f listenerFlags) error {
	for _, u := range urls {
		loopback := pki.IsLoopbackHost(u.Hostname())
		switch {
		case u.Scheme == "https" && (t.CertFile == "" || t.KeyFile == ""):
			return errdefs.InvalidArgument("embedetcd: %s %s is https:// but the member has no %s certificate: give %s and %s; create them with `fargo cert`", f.urls, u.String(), f.kind, f.cert, f.key)
		case u.Scheme == "https" && !loopback && t.TrustedCAFile == "":
			return errdefs.InvalidArgument("embedetcd: %s %s serves TLS without client-certificate authentication on a non-loopback address: give %s (the CA of its %ss' certificates); create it with `fargo cert`", f.urls, u.String(), f.ca, f.kind)
		case u.Scheme == "http" && !loopback:
			return errdefs.InvalidArgument("embedetcd: %s %s is unauthenticated plain HTTP on a non-loopback address: use https:// with %s, %s and %s; create them with `fargo cert`", f.urls, u.String(), f.cert, f.key, f.ca)
		}
	}
	return nil
}
