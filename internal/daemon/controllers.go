package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	clientv3 "go.etcd.io/etcd/client/v3"
	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/alarms"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hookrunner"
	"github.com/fargohq/fargo/internal/leader"
	"github.com/fargohq/fargo/internal/liveness"
	"github.com/fargohq/fargo/internal/scheduler"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv"
)

// The roles of a server (ClusterStatus.Role).
const (
	// RoleSingle is a server alone on its store: it runs every controller.
	RoleSingle = "single"
	// RoleLeader is the member elected to run the controllers that must run once.
	RoleLeader = "leader"
	// RoleFollower is a member that serves the API and its node, and stands by to lead.
	RoleFollower = "follower"
)

// controllers runs the controllers that must run once per store (the scheduler, the
// deployer, the hook runner, liveness and alarms): at once in a server alone on its store, else in
// terms of the elected leader, each term with new controllers (which list the store afresh)
// writing through the term's fence.
type controllers struct {
	st      *store.Store
	scope   arn.Scope
	cfg     Config
	log     *slog.Logger
	client  *clientv3.Client
	elector *leader.Elector // nil when alone
	// metrics are each region's sampled metrics, shared with the regions' CloudWatch APIs.
	metrics *regionMetrics
}

func newControllers(client *clientv3.Client, store kv.KV, st *store.Store, scope arn.Scope, cfg Config, log *slog.Logger) (controllers, error) {
	c := controllers{st: st, scope: scope, cfg: cfg, log: log, client: client, metrics: newRegionMetrics(alarms.Config{Minute: cfg.Minute()})}
	if !cfg.Shared() {
		return c, nil
	}
	var err error
	c.elector, err = leader.New(client, store, leader.Config{Name: cfg.EtcdName, TTL: cfg.LeaderTTL}, log)
	return c, err
}

// Run runs the controllers until ctx ends: now, or whenever this member leads.
func (c controllers) Run(ctx context.Context) error {
	if c.elector == nil {
		return c.term(ctx, c.st)
	}
	return c.elector.Run(ctx, func(ctx context.Context, fence *leader.Fenced) error {
		return c.term(ctx, store.New(fence))
	})
}

// term runs new controllers over st, the home region's view, and over the view of every other
// region the store records (and this server serves), those recorded while the term runs
// included, until ctx ends. A region is recorded by whichever member's front door opened it
// (regionSet.get), so the term learns of regions from the store, not from its own server.
func (c controllers) term(ctx context.Context, st *store.Store) error {
	g, ctx := errgroup.WithContext(ctx)
	run := func(st *store.Store, scope arn.Scope, log *slog.Logger) {
		for _, ctrl := range c.regionControllers(st, scope, log) {
			g.Go(func() error { return ctrl(ctx) })
		}
	}
	run(st, c.scope, c.log)
	var mu sync.Mutex
	started := map[string]bool{}
	var known *store.Informer[store.Region]
	known = store.NewInformer(st.Regions, func(name string) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := known.Get(name); !ok || started[name] || name == c.scope.Region || !c.cfg.serves(name) || ctx.Err() != nil {
			return
		}
		started[name] = true
		// The informer's goroutine belongs to g, so g cannot be waiting from zero here.
		run(st.In(name), arn.Scope{Partition: c.scope.Partition, Region: name, AccountID: c.scope.AccountID}, c.log.With("region", name))
	})
	g.Go(func() error { return known.Run(ctx) })
	return g.Wait()
}

// regionControllers builds the controllers that must run once of one region, over its view
// st and its scope.
func (c controllers) regionControllers(st *store.Store, scope arn.Scope, log *slog.Logger) []func(context.Context) error {
	sched := scheduler.New(st, scope, scheduler.Config{}, log.With("component", "scheduler"))
	deploy := deployer.New(st, scope, deployer.Config{Minute: c.cfg.Minute()}, log.With("component", "deployer"))
	// liveness counts an instance's silence from its own start, so a new term judges no
	// instance by a silence it did not see.
	live := liveness.New(st, liveness.Config{Timeout: c.cfg.AgentTimeout, Grace: c.cfg.LostInstanceGrace}, log)
	hooks := hookrunner.New(st, scope, hookrunner.Config{}, log.With("component", "hookrunner"))
	watch := alarms.New(st, c.metrics.of(scope.Region), alarms.Config{Minute: c.cfg.Minute()}, log.With("component", "alarms"))
	return []func(context.Context) error{hooks.Run, sched.Run, deploy.Run, live.Run, watch.Run}
}

// Role returns RoleSingle, RoleLeader or RoleFollower.
func (c controllers) Role() string {
	switch {
	case c.elector == nil:
		return RoleSingle
	case c.elector.Leading():
		return RoleLeader
	default:
		return RoleFollower
	}
}

// ClusterPath is where a server answers with its ClusterStatus. Like /metrics, it needs no
// signature from the server's own machine (it tells names and URLs of members, no state of
// the store); a client elsewhere signs it (localOrSigned).
const ClusterPath = "/fargo/cluster"

// ClusterStatus is what a server tells of its place in the control plane, at GET
// /fargo/cluster and in `fargo ps`.
type ClusterStatus struct {
	// Member is this server's name (--etcd-name).
	Member string `json:"member"`
	// Role is RoleSingle, RoleLeader or RoleFollower.
	Role string `json:"role"`
	// Leader names the member that leads, when one does (empty when alone).
	Leader string `json:"leader,omitempty"`
	// Members are the etcd cluster's members.
	Members []ClusterMember `json:"members"`
	// DataPlaneNodes are the data-plane nodes that report to the store, live or not.
	DataPlaneNodes []DataPlaneNode `json:"dataPlaneNodes,omitempty"`
	// Problem says what could not be read, if anything.
	Problem string `json:"problem,omitempty"`
}

// ClusterMember is one member of the etcd cluster.
type ClusterMember struct {
	Name       string   `json:"name"`
	PeerURLs   []string `json:"peerURLs"`
	ClientURLs []string `json:"clientURLs,omitempty"`
	// Learner is set for a member that joined but does not vote yet.
	Learner bool `json:"learner,omitempty"`
}

// Status reads the leader and the members from the store.
func (c controllers) Status(ctx context.Context) ClusterStatus {
	st := ClusterStatus{Member: c.cfg.EtcdName, Role: c.Role(), Members: []ClusterMember{}}
	var problems []error
	if c.elector != nil {
		name, err := c.elector.Leader(ctx)
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			problems = append(problems, err)
		}
		st.Leader = name
	}
	resp, err := c.client.MemberList(ctx)
	if err != nil {
		problems = append(problems, err)
	} else {
		for _, m := range resp.Members {
			st.Members = append(st.Members, ClusterMember{Name: m.Name, PeerURLs: m.PeerURLs, ClientURLs: m.ClientURLs, Learner: m.IsLearner})
		}
	}
	nodes, err := dataPlaneNodes(ctx, c.st, c.client, time.Now())
	if err != nil {
		problems = append(problems, err)
	}
	st.DataPlaneNodes = nodes
	if err := errors.Join(problems...); err != nil {
		st.Problem = err.Error()
	}
	return st
}

// ServeHTTP answers GET /fargo/cluster with the ClusterStatus as JSON.
func (c controllers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(c.Status(ctx))
}

// collectors export the member's role and the cluster's size.
func (c controllers) collectors() []prometheus.Collector {
	leading := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "fargo_leader",
		Help:        "1 while this server runs the controllers that must run once (the elected leader, or a server alone on its store), else 0.",
		ConstLabels: prometheus.Labels{"member": c.cfg.EtcdName},
	}, func() float64 {
		if c.Role() == RoleFollower {
			return 0
		}
		return 1
	})
	members := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fargo_cluster_members",
		Help: "Members of the etcd cluster that holds the store, as it lists them (-1 when it does not answer).",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		resp, err := c.client.MemberList(ctx)
		if err != nil {
			return -1
		}
		return float64(len(resp.Members))
	})
	return []prometheus.Collector{leading, members}
}
