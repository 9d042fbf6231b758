// Package dataplane runs fargo's load balancer data plane as a process of its own, which
// outlives the control plane: `fargo dataplane` serves the listeners (internal/lb) and keeps
// them configured from the store (internal/lbsync) over an etcd client, so a crash, restart or
// upgrade of `fargo server` drops no request (DESIGN.md invariant 7).
//
// It keeps its last configuration, target health and traffic counters in
// <data-dir>/dataplane/state.json, written atomically every second and when it stops, and starts
// from there: listeners come up with the last known routing and health before the store
// answers, and serve on while the store is away, health-checking the targets by themselves.
//
// A data plane announces itself in <data-dir>/dataplane/dataplane.json (pid, build, start
// time, control socket). Its control socket (HTTP over a unix socket) serves /status and
// /metrics; the server reads both for `fargo ps` and its own /metrics. The server adopts a
// running data plane of its own build, and starts one otherwise (Spawn), detached in its own
// session as the process driver's shims are. A data plane of another build is replaced by a
// handover: the new process receives the old one's listening sockets (SCM_RIGHTS over a unix
// socket), serves on them with the old one's memory, and only then tells the old one to stop
// accepting, drain and hand over the counts it made meanwhile. No connection is refused and
// no counter is lost. docs/data-plane.md has the whole story.
//
// Nothing here depends on the server's memory: with EtcdEndpoints the same process runs on a
// load-balancer node of its own, fed from an etcd cluster.
package dataplane
