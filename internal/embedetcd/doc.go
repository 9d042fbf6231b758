// Package embedetcd runs a single-member etcd inside the fargo process, so fargo keeps durable
// state without a separate etcd to install.
//
// The member opens no network listener at all: fargo talks to it through an in-process client,
// and a single member never dials a peer. Any number of members can therefore run on one machine
// (tests do) without choosing ports or socket paths. Writes are fsynced as etcd always does;
// etcd's own logs go to the injected slog.Logger at warning level and above.
package embedetcd
