// Package embedetcd runs an etcd member inside the fargo process, so fargo keeps durable state
// without a separate etcd to install.
//
// By default the member is alone and opens no network listener at all: fargo talks to it
// through an in-process client, and a single member never dials a peer. Any number of such
// members can therefore run on one machine (tests do) without choosing ports or socket paths.
// With Config.Cluster the member listens on its peer URLs and forms one etcd cluster with the
// members its initial cluster names (etcd's own clustering and raft; nothing of fargo's). Writes
// are fsynced as etcd always does; etcd's own logs go to the injected slog.Logger at warning
// level and above.
package embedetcd
