package embedetcd

import (
	"cmp"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/types"
	"go.etcd.io/etcd/server/v3/embed"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The defaults of Config.
const (
	DefaultName                = "fargo"
	DefaultStartTimeout        = 30 * time.Second
	DefaultCompactionRetention = time.Hour
)

// Config describes the member. Dir is required; every other zero value means its default.
type Config struct {
	// Dir is the data directory. It is created (mode 0700) if missing, and a member restarted on
	// the same Dir keeps its data. Only one member at a time may use a Dir.
	Dir string
	// Name is the member name; default DefaultName.
	Name string
	// StartTimeout bounds how long Start waits for the member to serve; default
	// DefaultStartTimeout.
	StartTimeout time.Duration
	// CompactionRetention is how much history etcd keeps before compacting older revisions, so
	// that its database stops growing; default DefaultCompactionRetention. A watch that resumes
	// from a compacted revision gets kv.ErrCompacted and lists again.
	CompactionRetention time.Duration
	// Logger receives etcd's warnings and errors; default none.
	Logger *slog.Logger
	// ClientSocket, when set, is the absolute path of a unix socket on which the member also
	// serves clients, so that another process of this machine (the data plane) can use the
	// store. Keep it in a directory only the owner can enter: the socket has no other guard.
	ClientSocket string
	// Cluster, when its InitialCluster is set, makes the member one of several that form an
	// etcd cluster over their peer URLs; the zero value is a lone member with no listener.
	// Its client URLs apply to a lone member too.
	Cluster Cluster
}

// Cluster is how a member joins others, in etcd's own terms (etcd's flags of the same names).
// URLs are http:// (loopback only) or https:// with PeerTLS and ClientTLS: nothing listens
// unauthenticated on an address other machines reach.
type Cluster struct {
	// InitialCluster names every member of the cluster and its peer URL:
	// "a=https://10.0.0.1:2380,b=https://10.0.0.2:2380,c=https://10.0.0.3:2380". Name must be one
	// of them.
	InitialCluster string
	// InitialClusterState is "new" (the members start together and form the cluster) or
	// "existing" (this member joins a running cluster that already lists it, after
	// `etcdctl member add`); "new" when empty.
	InitialClusterState string
	// ListenPeerURLs are where the member accepts its peers; AdvertisePeerURLs how they reach
	// it (the URL of Name in InitialCluster when empty).
	ListenPeerURLs    []url.URL
	AdvertisePeerURLs []url.URL
	// ListenClientURLs are where the member also serves etcd clients over the network (etcdctl
	// for snapshots, a `fargo dataplane` on another machine); AdvertiseClientURLs what it tells
	// them (ListenClientURLs when empty). None when empty: fargo itself uses its in-process
	// client.
	ListenClientURLs    []url.URL
	AdvertiseClientURLs []url.URL
	// PeerTLS is the member's certificate on its peer URLs, and as the client of its peers;
	// ClientTLS its certificate on its client URLs. With a TrustedCAFile each requires
	// certificates of that CA of whoever connects.
	PeerTLS, ClientTLS TLS
}

// Clustered reports whether the member joins others.
func (c Cluster) Clustered() bool { return c.InitialCluster != "" }

// validate reports whether the cluster settings can start member name.
func (c Cluster) validate(name string) error {
	if err := checkListeners(c.ListenClientURLs, c.ClientTLS, clientFlags); err != nil {
		return err
	}
	if !c.Clustered() {
		return nil
	}
	if err := checkListeners(c.ListenPeerURLs, c.PeerTLS, peerFlags); err != nil {
		return err
	}
	switch c.InitialClusterState {
	case "", embed.ClusterStateFlagNew, embed.ClusterStateFlagExisting:
	default:
		return errdefs.InvalidArgument("embedetcd: initial cluster state %q: choose new or existing", c.InitialClusterState)
	}
	if len(c.ListenPeerURLs) == 0 {
		return errdefs.InvalidArgument("embedetcd: a member of a cluster needs a peer URL to listen on")
	}
	peers, err := types.NewURLsMap(c.InitialCluster)
	if err != nil {
		return errdefs.InvalidArgument("embedetcd: initial cluster %q: %v", c.InitialCluster, err)
	}
	if _, ok := peers[name]; !ok {
		return errdefs.InvalidArgument("embedetcd: initial cluster %q does not name this member %q", c.InitialCluster, name)
	}
	return nil
}

// advertisedPeers returns the peer URLs the member advertises: the ones set, else its own in
// the initial cluster.
func (c Cluster) advertisedPeers(name string) []url.URL {
	if len(c.AdvertisePeerURLs) > 0 {
		return c.AdvertisePeerURLs
	}
	peers, _ := types.NewURLsMap(c.InitialCluster) // checked by validate
	return peers[name]
}

// Validate reports whether c can start a member.
func (c Config) Validate() error {
	switch {
	case c.Dir == "":
		return errdefs.InvalidArgument("embedetcd: data directory is required")
	case strings.ContainsAny(c.Name, "=,"):
		// The name is spliced into etcd's initial-cluster string, which these characters split.
		return errdefs.InvalidArgument("embedetcd: member name %q contains '=' or ','", c.Name)
	case c.StartTimeout < 0:
		return errdefs.InvalidArgument("embedetcd: start timeout %s is negative", c.StartTimeout)
	case c.ClientSocket != "" && !filepath.IsAbs(c.ClientSocket):
		return errdefs.InvalidArgument("embedetcd: client socket %q is not an absolute path", c.ClientSocket)
	case c.CompactionRetention < 0:
		return errdefs.InvalidArgument("embedetcd: compaction retention %s is negative", c.CompactionRetention)
	}
	return c.Cluster.validate(cmp.Or(c.Name, DefaultName))
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	if c.CompactionRetention == 0 {
		c.CompactionRetention = DefaultCompactionRetention
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
