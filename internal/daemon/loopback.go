package daemon

import (
	"context"
	"net"
	"net/http"

	"github.com/fargohq/fargo/internal/pki"
)

// loopbackOnly serves h only to clients of this machine and answers 403 to the others. It
// guards the API listener's paths that need no signature (/metrics, /fargo/cluster): on a
// non-loopback API address they would otherwise tell anyone the cluster's members and the
// server's figures. A scraper on another machine reaches them through an agent or tunnel on
// this one.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fromThisMachine(r.Context(), r.RemoteAddr) {
			http.Error(w, "forbidden: "+r.URL.Path+" answers only clients on this machine (loopback); see docs/tls.md", http.StatusForbidden)
			return
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
