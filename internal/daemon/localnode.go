package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"go.etcd.io/etcd/client/pkg/v3/fileutil"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/agent"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
)

// nodeLockFile, in the node directory, is locked by the server that runs the node's agent.
const nodeLockFile = "node.lock"

// nodeLockPoll is how often a server that waits for the node's lock tries again.
const nodeLockPoll = time.Second

// localNode is this machine's container instance: its agent and task runtime run in the one
// server at a time that holds the node directory's lock. A lone server takes it at once; the
// members of a cluster that share a machine (and its node directory) take turns, so that when
// the one that runs the agent dies, another adopts the node's running tasks as a restarted
// server would.
type localNode struct {
	cfg          Config
	st           *store.Store
	scope        arn.Scope
	log          *slog.Logger
	registryHost func() string

	mu   sync.Mutex
	held *heldNode // nil while another server runs the node
	// regions are the regions other than the home region whose agents the node runs.
	regions []nodeRegion
	// start starts a region's agent while the node's agents run; nil before and after.
	start func(nodeRegion)
}

// nodeRegion is a region other than the home region, whose agent the node runs beside the
// home region's.
type nodeRegion struct {
	name  string
	st    *store.Store
	scope arn.Scope
}

// AddRegion has the node run an agent of r: at once while this server runs the node's agents,
// else when it comes to run them.
func (n *localNode) AddRegion(r nodeRegion) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.regions = append(n.regions, r)
	if n.start != nil {
		n.start(r)
	}
}

// heldNode is what the holder of the node's lock runs.
type heldNode struct {
	lock   *fileutil.LockedFile
	metaLn net.Listener
	drv    runtime.Driver
	agent  *agent.Agent
	nodeID string
}

// tryHold takes the node's lock if it is free and builds the node's agent; it reports whether
// this server holds the node now.
func (n *localNode) tryHold(ctx context.Context) (bool, error) {
	if err := os.MkdirAll(n.cfg.NodeDir, 0o700); err != nil {
		return false, fmt.Errorf("create node dir: %w", err)
	}
	lock, err := fileutil.TryLockFile(filepath.Join(n.cfg.NodeDir, nodeLockFile), os.O_WRONLY|os.O_CREATE, 0o600)
	if errors.Is(err, fileutil.ErrLocked) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock node dir: %w", err)
	}
	h, err := n.open(ctx)
	if err != nil {
		return false, errors.Join(err, lock.Close())
	}
	h.lock = lock
	n.mu.Lock()
	n.held = h
	n.mu.Unlock()
	n.log.Info("running this node's agent", "node_dir", n.cfg.NodeDir)
	return true, nil
}

// open builds the node's agent; the caller holds the lock.
func (n *localNode) open(ctx context.Context) (*heldNode, error) {
	node, metaLn, err := openNode(n.cfg.NodeDir, "", randomNodeID, n.log)
	if err != nil {
		return nil, fmt.Errorf("node identity: %w", err)
	}
	drv, err := openDriver(ctx, n.cfg, node.NodeID, "", n.log)
	if err != nil {
		return nil, errors.Join(err, metaLn.Close())
	}
	a, err := agent.New(n.st, drv, n.scope, metaLn, agent.Config{
		NodeID: node.NodeID, Region: n.cfg.Region, RegistryAuth: ownRegistryAuth(n.cfg.DataDir, n.registryHost, ""),
		HeartbeatInterval: heartbeatInterval(n.cfg.AgentTimeout),
	}, n.log)
	if err != nil {
		return nil, errors.Join(err, metaLn.Close())
	}
	return &heldNode{metaLn: metaLn, drv: drv, agent: a, nodeID: node.NodeID}, nil
}

// Run runs the node's agent until ctx ends, once this server holds the node.
func (n *localNode) Run(ctx context.Context) error {
	for waited := false; !n.holding(); waited = true {
		held, err := n.tryHold(ctx)
		if err != nil {
			return err
		}
		if held {
			break
		}
		if !waited {
			n.log.Info("another server runs this node's agent; standing by to take it over", "node_dir", n.cfg.NodeDir)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(nodeLockPoll):
		}
	}
	err := n.runAgents(ctx)
	return errors.Join(err, n.release())
}

// runAgents runs the home region's agent and one agent per other region, those added while
// they run included, until ctx ends or one fails.
func (n *localNode) runAgents(ctx context.Context) error {
	h := n.held
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return h.agent.Run(gctx) })
	start := func(r nodeRegion) { g.Go(func() error { return n.runRegionAgent(gctx, h, r) }) }
	n.mu.Lock()
	for _, r := range n.regions {
		start(r)
	}
	n.start = start
	n.mu.Unlock()
	<-gctx.Done()
	n.mu.Lock()
	n.start = nil // a WaitGroup must not grow from zero during Wait
	n.mu.Unlock()
	return g.Wait()
}

// runRegionAgent runs the agent of r, a region other than the home region, on the node's
// driver. It serves the task metadata endpoint of the region's tasks on a port of its own, and
// adopts or removes only containers whose task names its region (agent.Config.OtherRegion).
func (n *localNode) runRegionAgent(ctx context.Context, h *heldNode, r nodeRegion) error {
	metaLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("task metadata endpoint of %s: %w", r.name, err)
	}
	defer metaLn.Close()
	a, err := agent.New(r.st, h.drv, r.scope, metaLn, agent.Config{
		NodeID: h.nodeID, Region: r.name, OtherRegion: true,
		RegistryAuth:      ownRegistryAuth(n.cfg.DataDir, n.registryHost, r.name),
		HeartbeatInterval: heartbeatInterval(n.cfg.AgentTimeout),
	}, n.log.With("region", r.name))
	if err != nil {
		return fmt.Errorf("agent of %s: %w", r.name, err)
	}
	return a.Run(ctx)
}

func (n *localNode) holding() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.held != nil
}

// release closes the metadata listener and unlocks the node, once its agent has stopped.
func (n *localNode) release() error {
	n.mu.Lock()
	h := n.held
	n.held = nil
	n.mu.Unlock()
	if h == nil {
		return nil
	}
	_ = h.metaLn.Close()
	return h.lock.Close()
}

// Logs reads a container's output from the node's runtime, which only the server that runs
// the node's agent has.
func (n *localNode) Logs(ctx context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error) {
	n.mu.Lock()
	h := n.held
	n.mu.Unlock()
	if h == nil {
		return nil, errdefs.Unavailable("container output is on the member that runs this node's agent")
	}
	return h.drv.Logs(ctx, id, opts)
}
