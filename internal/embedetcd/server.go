package embedetcd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/fileutil"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.etcd.io/etcd/server/v3/etcdserver/api/v3client"

	"github.com/fargohq/fargo/internal/errdefs"
)

// lockFile, in the data directory, is locked by the member that uses the directory.
const lockFile = "embedetcd.lock"

// Server is a running member. Create it with Start and stop it with Close.
type Server struct {
	etcd   *embed.Etcd
	client *clientv3.Client
	lock   *fileutil.LockedFile

	closeOnce sync.Once
	closeErr  error
}

// Start starts a member in cfg.Dir and returns once it serves requests, or fails after
// cfg.StartTimeout or when ctx ends. ctx bounds only the start, not the member's life.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	// etcd creates a missing Dir too, but with this call the mode is ours on every path.
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("embedetcd: create data directory: %w", err)
	}
	lock, err := lockDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	e, err := embed.StartEtcd(etcdConfig(cfg))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("embedetcd: start etcd in %s: %w", cfg.Dir, err), lock.Close())
	}
	if err := waitReady(ctx, e, cfg.StartTimeout); err != nil {
		e.Close()
		return nil, errors.Join(err, lock.Close())
	}
	if cfg.ClientSocket != "" {
		if err := os.Chmod(cfg.ClientSocket, 0o600); err != nil {
			e.Close()
			return nil, errors.Join(fmt.Errorf("embedetcd: client socket: %w", err), lock.Close())
		}
	}
	return &Server{etcd: e, client: v3client.New(e.Server), lock: lock}, nil
}

// lockDir takes the lock file of dir. etcd itself would wait forever for a database that another
// member holds open, so a second member on the same Dir must fail here instead.
func lockDir(dir string) (*fileutil.LockedFile, error) {
	path := filepath.Join(dir, lockFile)
	lock, err := fileutil.TryLockFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if errors.Is(err, fileutil.ErrLocked) {
		return nil, errdefs.FailedPrecondition("embedetcd: data directory %s is in use by another member", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("embedetcd: lock data directory: %w", err)
	}
	return lock, nil
}

// etcdConfig turns cfg into etcd's configuration.
func etcdConfig(cfg Config) *embed.Config {
	ec := embed.NewConfig()
	ec.Name = cfg.Name
	ec.Dir = cfg.Dir
	ec.ZapLoggerBuilder = embed.NewZapLoggerBuilder(newZapLogger(cfg.Logger.With("component", "etcd")))
	ec.AutoCompactionMode = embed.CompactorModePeriodic
	ec.AutoCompactionRetention = cfg.CompactionRetention.String()
	// embed.NewConfig leaves this at zero, which makes every request of a network client
	// "expensive" and logged as a warning.
	ec.WarningUnaryRequestDuration = embed.DefaultWarningUnaryRequestDuration
	clientURLs(ec, cfg)
	if cfg.Cluster.Clustered() {
		clusterConfig(ec, cfg)
		return ec
	}
	// No peer listener: a single member has no peer to talk to. The advertised peer URL
	// (etcd's default, never dialled) only names the member in the cluster.
	ec.ListenPeerUrls = nil
	ec.InitialCluster = ec.InitialClusterFromName(cfg.Name)
	// A lone member waits a random part of the election timeout before it elects itself, and
	// nothing else of its life depends on that timeout. 500ms, the least etcd allows with its
	// 100ms tick, halves the wait of the default 1s (Start took 0.1-0.5s here instead of
	// 0.5-1s) without ticking more often.
	ec.ElectionMs = 500
	return ec
}

// clientURLs sets where the member serves clients besides its in-process client: none by
// default, the client URLs of cfg.Cluster (etcdctl, a data plane elsewhere) and the unix
// socket (the data plane of this machine).
func clientURLs(ec *embed.Config, cfg Config) {
	c := cfg.Cluster
	ec.ListenClientUrls = slices.Clone(c.ListenClientURLs)
	// The unix socket stays plain: etcd serves TLS only on https:// URLs.
	ec.ClientTLSInfo = c.ClientTLS.info()
	if cfg.ClientSocket != "" {
		ec.ListenClientUrls = append(ec.ListenClientUrls, url.URL{Scheme: "unix", Path: cfg.ClientSocket})
	}
	// Without client URLs of its own the member keeps etcd's default advertised one: no
	// network client is told to use it.
	advertised := c.AdvertiseClientURLs
	if len(advertised) == 0 {
		advertised = c.ListenClientURLs
	}
	if len(advertised) > 0 {
		ec.AdvertiseClientUrls = advertised
	}
}

// clusterConfig makes ec a member of the cluster cfg names. etcd's own election timeout (1s)
// stays: members that talk over a network (or share a busy machine) need its margin.
func clusterConfig(ec *embed.Config, cfg Config) {
	c := cfg.Cluster
	ec.InitialCluster = c.InitialCluster
	ec.ClusterState = cmp.Or(c.InitialClusterState, embed.ClusterStateFlagNew)
	ec.ListenPeerUrls = c.ListenPeerURLs
	ec.AdvertisePeerUrls = c.advertisedPeers(cfg.Name)
	ec.PeerTLSInfo = c.PeerTLS.info()
}

// waitReady waits until e serves requests.
func waitReady(ctx context.Context, e *embed.Etcd, timeout time.Duration) error {
	ready, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	select {
	case <-e.Server.ReadyNotify():
		return nil
	case <-e.Server.StopNotify():
		return errdefs.Unavailable("embedetcd: etcd stopped while starting")
	case <-ready.Done():
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("embedetcd: start: %w", err)
		}
		return errdefs.Unavailable("embedetcd: etcd not ready after %s", timeout)
	}
}

// Client returns the in-process client of the member. The Server owns it: Close closes it, and
// callers must not.
func (s *Server) Client() *clientv3.Client { return s.client }

// Done is closed once the member has stopped, by Close or because it failed. (With no
// listeners, etcd's own error channel never receives anything.)
func (s *Server) Done() <-chan struct{} { return s.etcd.Server.StopNotify() }

// Close closes the client, stops the member and waits until it has stopped and flushed its
// data. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := s.client.Close()
		// A client without a connection reports the cancellation Close itself caused.
		if errors.Is(err, context.Canceled) {
			err = nil
		}
		if err != nil {
			err = fmt.Errorf("embedetcd: close client: %w", err)
		}
		s.etcd.Close()
		// Unlock only now that etcd has closed its files.
		if lerr := s.lock.Close(); lerr != nil {
			err = errors.Join(err, fmt.Errorf("embedetcd: unlock data directory: %w", lerr))
		}
		s.closeErr = err
	})
	return s.closeErr
}
