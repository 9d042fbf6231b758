// Package leader elects, among the members of a fargo control plane that share an etcd cluster,
// the one that runs the controllers that must run once (the scheduler, the deployer).
//
// It is etcd's election (go.etcd.io/etcd/client/v3/concurrency) on a lease with a short TTL: the
// leader's term ends as soon as its session ends (its lease expired or was revoked), and every
// write of the term is fenced by the election key (Fence), so that a member that lost its lease
// but has not noticed yet cannot change the store.
package leader
