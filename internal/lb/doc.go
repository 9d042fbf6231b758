// Package lb is fargo's Application Load Balancer data plane: listeners, rules, weighted
// target groups, health checks and draining, with ALB's semantics. It knows nothing about ECS
// or the store; the lbsync controller turns ELB objects and task targets into a Config and
// records the health that the proxy reports.
//
// Each listener's requests reach one handler. Plain-HTTP listeners are served by package h1,
// a lean HTTP/1.1 server that hands what it does not serve itself to the listener's
// http.Server; HTTPS listeners (and their HTTP/2) by the http.Server alone. The handler calls
// h1.WatchClient before it waits on a target, so that a request's context ends when its
// client goes away whichever server serves it.
//
// # Compiled table
//
// Proxy.Apply validates a Config and compiles it into an immutable table: per listener the
// rules in order with pre-parsed conditions (lower-cased host and header patterns, canonical
// header names, parsed CIDRs), per forward action the weighted groups with their stickiness
// cookies and metric handles, per group its registered targets. The table is swapped in with
// one atomic pointer store. A request loads the pointer once and routes only by that
// snapshot, so it sees the old routing or the new, never a mix (invariant 2). Nothing on the
// request path takes a lock.
//
// # Target lifecycle
//
// Targets are runtime objects keyed by group, ID, address and scheme; they outlive tables, so
// health, in-flight counts, round-robin positions and connection pools carry over from one
// config to the next. Each target has its own http.Transport (a large idle pool, no small
// caps) and, for plain HTTP, its own HTTP/1.1 client for bodiless idempotent requests (GET,
// HEAD, OPTIONS, DELETE without a body or upgrade), which writes the request and reads the
// response in the handler's goroutine over a pool of keep-alive connections, without the
// transport's per-connection goroutines and hand-offs. While it waits for the response
// headers, the read deadline wakes it every 100 ms to look whether the client went away (then
// the upstream connection is closed, as http.Transport would); only a body that did not
// arrive with the headers is read under a watcher of the request's context. Both dial through
// one tracked set of connections, so that releasing a target can close exactly its
// connections.
//
//	register → initial ─1 success──────────────→ healthy ─UnhealthyThreshold failures─→ unhealthy
//	            └─UnhealthyThreshold failures─→ unhealthy ─HealthyThreshold successes─→ healthy
//	checks disabled → unavailable (routable at once)
//	removed from the config → draining → released (unused, Target.NotRegistered)
//
// A target gets requests only when healthy or unavailable (invariant 1); a new target needs
// one passed check, as on ALB. When no target of a group is routable and every registered one
// is unhealthy, the group fails open and routes to all of them (invariant 5); targets still in
// their initial checks never get traffic. A group without targets answers 503 with ALB's
// page. Slow start ramps the share of a target that just became routable linearly.
//
// Health checks run in one goroutine per checked target: the first check shortly after
// registration, then every Interval with a little jitter.
//
// # Drain
//
// A target that leaves the config (or whose group does) is marked draining: routing skips it
// from that moment, even through a table loaded just before the swap. Requests in flight on it
// continue (invariant 3). It is released as soon as none is in flight (an idle target at
// once) or when its group's DeregistrationDelay elapses, whichever comes first. The in-flight
// count and the released flag share one atomic word, so a request can never start on a
// released target. Release closes the target's upstream connections (idle ones, and busy ones
// when the delay cut them short) and reports state unused through OnHealthChange, which is
// the controller's signal that the task may stop. A target registered again while draining
// starts over in its initial state.
//
// # Retries
//
// A request whose attempt failed before any byte can have been acted on by the target is
// retried once on another routable target of the same group, invisibly to the client
// (invariant 4): the connection could not be made (refused, unreachable, dial timeout), or a
// fresh connection was reset or closed before any response, or a reused connection died
// before the request was written or the method is idempotent. A timeout waiting for the
// response is never retried (504); other failures answer 502. Request bodies are recorded as
// they are sent, up to ProxyConfig.MaxRetryBody, so that a retry can replay them; a larger
// body is not retried. Retried failures are counted in fargo_lb_target_errors_total. Before
// that, a keep-alive connection that the target closed while it was idle is not a failure:
// http.Transport and the bodiless client alike send the request again on another connection
// to the same target.
//
// A target that could not be connected to is passed over by routing until one of its health
// checks passes, or for as long as its checks may take to find it dead (at least a few
// seconds, refusalHold), whichever is first: when a machine dies with several
// targets, the retry of a request that met one of them must not meet the next, again and
// again, until their checks find them dead. When every routable target is passed over, all
// are tried.
//
// # Target statistics
//
// Each target counts its attempts, 5xx answers, failures and a latency histogram in atomics
// of its own (a few adds per request, counted before the request leaves the target's in-flight
// count). Proxy.TargetStats reads them for registered and draining targets, so that a
// deployment can compare a new version's error rate and latency with the old one's.
//
// # Succession
//
// A proxy can hand what it knows to the next one (a restarted or upgraded data plane process):
// Proxy.Memory returns each target's health and counters and each group's error answers, and
// Proxy.Inherit gives them to a new proxy before (or after) its first Apply. A target
// configured after Inherit starts in its remembered health instead of its first checks, so a
// successor never starts from "no healthy targets"; counters add up, so a deployment's
// evidence survives. ProxyConfig.Listen lets the successor serve on the listening sockets it
// inherited, so no connection is refused while one process replaces the other.
//
// # Hot path
//
// Per request: one atomic load of the table, rule matching without allocation, a weighted or
// round-robin choice over atomics, header rewriting in place, for bodiless requests one
// buffered write of the request and a read of the response on the handler's goroutine, a body
// that arrived with the headers written from the upstream connection's buffer in one write
// (else a pooled 32 KiB copy buffer), and counters resolved once per table rather than per
// request. Responses of unknown length and server-sent events are flushed as they arrive;
// WebSocket upgrades are passed through and count as in flight until they close.
package lb
