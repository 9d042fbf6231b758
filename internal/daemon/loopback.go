package daemon

import (
	"net"
	"net/http"

	"github.com/fargohq/fargo/internal/pki"
)

// loopbackOnly serves h only to clients of this machine (a loopback peer address) and answers
// 403 to the others. It guards the API listener's paths that need no signature (/metrics,
// /fargo/cluster): on a non-loopback API address they would otherwise tell anyone the
// cluster's members and the server's figures. A scraper on another machine reaches them
// through an agent or tunnel on this one.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !pki.IsLoopbackHost(host) {
			http.Error(w, "forbidden: "+r.URL.Path+" answers only clients on this machine (loopback); see docs/tls.md", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}
