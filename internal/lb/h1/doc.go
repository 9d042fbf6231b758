// Package h1 is a lean HTTP/1.1 server for a reverse proxy's plain-HTTP listeners, in front
// of a regular http.Server.
//
// A proxy mostly sees HTTP/1.1 requests without a body whose header block arrives whole. A
// Server reads, handles and answers those in the connection's goroutine, with the
// connection's own buffers and one reused http.ResponseWriter (also an http.Flusher): no
// goroutine, context or deadline per request, no header sorting or Content-Type sniffing. Its
// responses are framed as net/http frames them: Content-Length when the handler set one or
// wrote nothing, chunks with trailers otherwise, a Date line formatted once per second, and
// Connection: close when the client asked for it or the server shuts down.
//
// Anything else (a body, Expect, an upgrade, OPTIONS *, HTTP/1.0 or 2, a malformed request, a
// header block that is large or arrives in pieces) hands the connection over: the bytes read
// so far and the rest of the connection are accepted by the http.Server from an in-memory
// listener, and net/http serves the connection from then on. So a Server never answers a
// request that net/http would answer differently; FuzzLeanMatchesNetHTTP sends the same bytes
// to both and compares what a client reads.
//
// A request's context is its connection's, which ends when the connection does. A handler
// that is about to wait (for a slow upstream, say) calls WatchClient, which starts net/http's
// kind of background read for that request alone, so that the context ends when the client
// goes away. Handlers get http.Flusher always and http.Hijacker only from net/http: upgrades
// never reach the lean loop.
//
// Shutdown is graceful for both servers at once: idle connections are closed, requests in
// flight finish with Connection: close, and nothing is handed over any more.
//
// The package knows nothing of routing or of fargo's domain; package lb serves its plain-HTTP
// listeners with it.
package h1
