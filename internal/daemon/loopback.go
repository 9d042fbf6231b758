package daemon

import (
	"context"
	"net"
	"net/http"

	"github.com/fargohq/fargo/internal/api/sigv4"
	"github.com/fargohq/fargo/internal/pki"
)

// localOrSigned serves h to clients of this machine, and to others whose request is signed
// (SigV4) with an access key verify knows; it answers 403 to the rest. It guards the API
// listener's paths that need no signature from the machine itself (/metrics for a local
// scraper, /fargo/cluster for `fargo ps`): on a non-loopback API address they would otherwise
// tell anyone the cluster's members and the server's figures.
func localOrSigned(verify sigv4.Verifier, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fromThisMachine(r.Context(), r.RemoteAddr) {
			if _, err := verify.Verify(r, nil); err != nil {
				http.Error(w, "forbidden: "+r.URL.Path+" answers clients on this machine, and others with a SigV4 signature of an access key ("+err.Error()+"); see docs/tls.md", http.StatusForbidden)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// fromThisMachine reports whether the peer at remoteAddr is this machine: a loopback address,
// or the very address it connected to (`fargo ps` on a member whose API listens on the
// machine's own address).
func fromThisMachine(ctx context.Context, remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	if pki.IsLoopbackHost(host) {
		return true
	}
	local, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return false
	}
	localHost, _, err := net.SplitHostPort(local.String())
	if err != nil {
		return false
	}
	remote, own := net.ParseIP(host), net.ParseIP(localHost)
	return remote != nil && own != nil && !own.IsUnspecified() && remote.Equal(own)
}
