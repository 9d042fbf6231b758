package agent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
)

// Config describes this node. NodeID and MetadataListener are required.
type Config struct {
	// NodeID names this node; it must stay the same across restarts, since container instance
	// IDs derive from it.
	NodeID string
	// Address is where the node's tasks are reachable; 127.0.0.1 when empty.
	Address string
	// CPU (units, 1024 a core) and Memory (MiB) the node registers; derived from the host when 0.
	CPU, Memory int
	// Region is passed to containers as AWS_REGION and AWS_DEFAULT_REGION.
	Region string
	// OtherRegion marks the agent of a region other than the server's home region (the node
	// runs one agent per region): it leaves containers that name no region to the home
	// region's agent.
	OtherRegion bool
	// HeartbeatInterval is how often the node confirms its container instances; 10 s when 0.
	HeartbeatInterval time.Duration
	// Workers reconcile tasks concurrently; 4 when 0.
	Workers int
	// Version is reported as the agent version of the container instances.
	Version string
	// AvailabilityZone, when set, is registered as the ecs.availability-zone attribute.
	AvailabilityZone string
	// Attributes are custom attributes the node registers besides ECS's own (ecs.os-type,
	// ecs.cpu-architecture, ...); placement constraints match them.
	Attributes []ecs.Attribute
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// RegistryAuth, when set, gives the credentials to pull an image with (nil when the image
	// needs none). The daemon answers for fargo's own registry; repositoryCredentials of other
	// registries would need secrets fargo does not store yet. An error fails the task's start
	// with CannotPullContainerError.
	RegistryAuth func(ctx context.Context, image string) (*runtime.RegistryAuth, error)
}

func (c Config) withDefaults() (Config, error) {
	if c.NodeID == "" {
		return c, errors.New("agent: node id is required")
	}
	if c.Address == "" {
		c.Address = "127.0.0.1"
	}
	if c.CPU <= 0 {
		c.CPU = hostCPU()
	}
	if c.Memory <= 0 {
		c.Memory = hostMemoryMiB()
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = 10 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Version == "" {
		c.Version = "fargo"
	}
	return c, nil
}

// Agent runs this node's tasks.
type Agent struct {
	cfg   Config
	st    *store.Store
	drv   runtime.Driver
	scope arn.Scope
	log   *slog.Logger
	meta  net.Listener

	clusters     *store.Informer[ecs.Cluster]
	clusterNudge chan struct{}
	tasks        *store.Informer[ecs.Task]
	queue        *reconcile.Controller
	work         *errgroup.Group // owns container watchers, health checkers and stops
	workCtx      context.Context

	mu       sync.Mutex
	watched  map[string]bool               // container IDs with a running watcher
	health   map[string]healthState        // by container ID
	stopping map[string]bool               // task keys with a stop in progress
	taskDefs map[string]ecs.TaskDefinition // by ARN; task definitions never change
	// refreshed holds the clusters whose instance this run has rewritten with its current
	// resources and attributes; later heartbeats only confirm it. Only the heartbeat loop
	// uses it.
	refreshed map[string]bool
}

// New returns an agent for this node. metadata is the listener of the task metadata endpoint;
// its address is baked into every container's environment, so it must stay the same across
// restarts for re-adopted containers to reach it.
func New(st *store.Store, drv runtime.Driver, scope arn.Scope, metadata net.Listener, cfg Config, log *slog.Logger) (*Agent, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Agent{
		cfg: cfg, st: st, drv: drv, scope: scope, log: log.With("component", "agent"), meta: metadata,
		watched: map[string]bool{}, health: map[string]healthState{}, stopping: map[string]bool{}, taskDefs: map[string]ecs.TaskDefinition{},
		refreshed: map[string]bool{},
	}
	a.queue = reconcile.New("agent-tasks", reconcile.ReconcilerFunc(a.reconcileTask), reconcile.Config{Workers: cfg.Workers, ResyncPeriod: time.Minute}, log)
	a.tasks = store.NewInformer(st.Tasks, a.queue.Add)
	a.clusterNudge = make(chan struct{}, 1)
	a.clusters = store.NewInformer(st.Clusters, func(string) {
		select {
		case a.clusterNudge <- struct{}{}:
		default:
		}
	})
	return a, nil
}

// Run runs the agent until ctx ends. Containers keep running when it returns: stopping fargo
// does not stop tasks, a new agent re-adopts them.
func (a *Agent) Run(ctx context.Context) error {
	g, ctx := errgroup.WithContext(ctx)
	a.work, a.workCtx = g, ctx
	g.Go(func() error { return a.serveMetadata(ctx) })
	g.Go(func() error {
		return reconcile.Group{
			Caches:      []reconcile.Cache{a.clusters, a.tasks},
			Start:       a.adopt, // before any task is reconciled or any heartbeat sent
			Controllers: []*reconcile.Controller{a.queue},
			Loops:       []func(context.Context) error{a.heartbeat},
		}.Run(ctx)
	})
	return g.Wait()
}

// InstanceID is the container instance ID of node in cluster: stable, so a restarted node
// finds its instances and tasks again.
func InstanceID(nodeID, cluster string) string {
	sum := sha256.Sum256([]byte(nodeID + "\x00" + cluster))
	return hex.EncodeToString(sum[:16])
}

// mine reports whether t is placed on this node.
func (a *Agent) mine(t ecs.Task) bool {
	return t.ContainerInstanceID != "" && t.ContainerInstanceID == InstanceID(a.cfg.NodeID, t.ClusterName)
}

// goWork runs fn in the agent's errgroup; fn's errors are logged, never fatal.
func (a *Agent) goWork(fn func(ctx context.Context)) {
	a.work.Go(func() error {
		fn(a.workCtx)
		return nil
	})
}
