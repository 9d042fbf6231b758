package elb

import "time"

// Node is one data-plane node (a `fargo dataplane` process) serving the listeners of a
// region's load balancers, as it reports itself to the other nodes: several nodes may serve
// the same listeners, and the one elected to do the work that must be done once (health on
// registrations, releasing drained targets, marking tasks drained) decides from every live
// node's report. A node writes its own report only, about once a second; the others judge it
// live while its report keeps changing.
type Node struct {
	Name     string
	BindHost string
	Build    string
	// StartedAt is when the node's process started; Beat the node's clock at this report.
	StartedAt time.Time
	Beat      time.Time
	// Revision is the store revision of the target registrations that the node's routing
	// reflects: a deregistration at this revision or before is in its routing.
	Revision int64
	// Targets are the targets the node routes to or drains, with what it counted of each.
	Targets []NodeTarget
	// ListenerFailures says why a listener cannot serve on the node, by listener ARN.
	ListenerFailures map[string]string
}

// NodeTarget is one target as one data-plane node sees it.
type NodeTarget struct {
	TargetGroupARN string
	// Key is the target's "<id>:<port>".
	Key    string
	Health TargetHealth
	// Requests, Errors (5xx answers and failed attempts) and Latency (attempts per latency
	// bucket of the data plane) are what the node counted since the target was first
	// routed to there; they never go down while the node remembers the target.
	Requests int64
	Errors   int64
	Latency  []int64
}
