// Package loadtest sends constant HTTP/1.1 load to a URL and counts every request by outcome
// and by the revision that answered it: the harness that proves a deployment dropped no
// request.
//
// Its client never retries behind the caller's back. Go's http.Transport silently resends an
// idempotent request whose reused connection died before any response, which hides exactly the
// failures a zero-downtime deployment must not have; this package writes each request itself
// on a net.Conn, reads the answer with http.ReadResponse, and on any error counts the request
// as failed and opens a new connection for the next one, as wrk does.
//
// Keep-alive clients reuse one connection; new-connection clients open one per request. Both
// send a mix of GET and POST. Latencies go into a log-linear histogram with fixed buckets, so
// recording costs no allocation and percentiles are within 1.6% of the true value.
package loadtest
