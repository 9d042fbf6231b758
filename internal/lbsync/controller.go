package lbsync

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// Proxy is what the controller needs of the data plane.
type Proxy interface {
	Apply(cfg lb.Config) error
	Health() []lb.TargetHealth
	TargetStats() []lb.TargetStats
	GroupStats() []lb.GroupStats
}

// Config tunes the controller. The zero value works.
type Config struct {
	Settings
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// ListenerRetry is how often listeners that could not be brought up are tried again: a
	// port that another process held may come free (default 5 s).
	ListenerRetry time.Duration
	// Node makes the controller one of several data-plane nodes serving the same listeners
	// (membership.go); nil for a lone data plane.
	Node *Membership
}

// Controller keeps the proxy's configuration, the registrations' health and ECS tasks'
// targets in step.
type Controller struct {
	cfg   Config
	st    *store.Store
	proxy Proxy
	log   *slog.Logger

	lbs       *store.Informer[elb.LoadBalancer]
	listeners *store.Informer[elb.Listener]
	rules     *store.Informer[elb.Rule]
	groups    *store.Informer[elb.TargetGroup]
	regs      *store.Informer[elb.Registration]
	instances *store.Informer[ecs.ContainerInstance]
	tasks     *store.Informer[ecs.Task]
	services  *store.Informer[ecs.Service]
	nodes     *store.Informer[elb.Node] // the data-plane nodes' reports; nil without cfg.Node

	configQ *reconcile.Controller // one key: the whole data plane
	regQ    *reconcile.Controller // registrations, for their health
	taskQ   *reconcile.Controller // ECS tasks, for their targets
	// releaseQ (one key) releases drained registrations when the nodes' reports change;
	// only with cfg.Node.
	releaseQ *reconcile.Controller

	// trafficNow asks for a traffic round before the next tick: a target started draining,
	// and its counts must be recorded before the proxy forgets it.
	trafficNow chan struct{}
	// listenerErrs belongs to recordTraffic's goroutine.
	listenerErrs listenerErrors

	// region is the region the controller serves ("" for the home region): a term's fenced
	// store is viewed in it.
	region string
	// reportNow asks for a report of this node before the next tick: its view of a target changed.
	reportNow chan struct{}

	mu      sync.Mutex
	health  map[string]lb.TargetHealth // by GroupID + "|" + TargetID
	warned  map[string]string          // problems already logged, by object
	cluster clusterState               // with cfg.Node
}

const configKey = "config"

// New returns a controller over st driving proxy.
func New(st *store.Store, proxy Proxy, cfg Config, log *slog.Logger) *Controller {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ListenerRetry <= 0 {
		cfg.ListenerRetry = 5 * time.Second
	}
	if cfg.BindHost == "" {
		cfg.BindHost = "127.0.0.1"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Controller{cfg: cfg, st: st, proxy: proxy, log: log.With("component", "lbsync"),
		health: map[string]lb.TargetHealth{}, warned: map[string]string{}, trafficNow: make(chan struct{}, 1), reportNow: make(chan struct{}, 1),
		cluster:      clusterState{seen: map[string]time.Time{}, revs: map[string]int64{}},
		listenerErrs: listenerErrors{seen: map[string]lb.GroupStats{}, pending: map[string]ecs.ListenerErrors{}}}
	c.configQ = reconcile.New("lbsync-config", reconcile.ReconcilerFunc(c.reconcileConfig), reconcile.Config{ResyncPeriod: 30 * time.Second}, log)
	c.regQ = reconcile.New("lbsync-health", reconcile.ReconcilerFunc(c.reconcileRegistration), reconcile.Config{Workers: 2}, log)
	c.taskQ = reconcile.New("lbsync-tasks", reconcile.ReconcilerFunc(c.reconcileTask), reconcile.Config{Workers: 2, ResyncPeriod: 30 * time.Second}, log)
	configChanged := func(string) { c.configQ.Add(configKey) }
	c.lbs = store.NewInformer(st.LoadBalancers, configChanged)
	c.listeners = store.NewInformer(st.Listeners, configChanged)
	c.rules = store.NewInformer(st.Rules, configChanged)
	c.groups = store.NewInformer(st.TargetGroups, func(string) { c.configQ.Add(configKey); c.requeueRegistrations() })
	c.instances = store.NewInformer(st.ContainerInstances, configChanged)
	c.regs = store.NewInformer(st.TargetRegistrations, c.registrationChanged)
	c.tasks = store.NewInformer(st.Tasks, c.taskQ.Add)
	c.services = store.NewInformer(st.Services, c.serviceChanged)
	if cfg.Node != nil {
		c.releaseQ = reconcile.New("lbsync-release", reconcile.ReconcilerFunc(c.reconcileRelease), reconcile.Config{}, log)
		c.nodes = store.NewInformer(st.DataPlaneNodes, c.nodeChanged)
		cfg.Node.subscribe(c.catchUp)
	}
	// The first config is applied once the caches synced, even when no ELB object exists.
	c.configQ.Add(configKey)
	return c
}

// Notify tells the controller that the proxy's view of a target changed (wire it to the
// proxy's health callback).
func (c *Controller) Notify(h lb.TargetHealth) {
	c.mu.Lock()
	c.health[h.GroupID+"|"+h.TargetID] = h
	c.mu.Unlock()
	c.configQ.Add(configKey) // a released draining target can now be deleted
	signal(c.reportNow)
	if h.State == lb.StateDraining {
		select {
		case c.trafficNow <- struct{}{}:
		default:
		}
	}
	if ref, err := elb.ParseTargetGroupARN(h.GroupID); err == nil {
		if t, ok := parseTargetKey(h.TargetID); ok {
			c.regQ.Add(store.TargetRegistrationID(ref.Name, t))
		}
	}
}

// parseTargetKey reads back a TargetKey, "<id>:<port>".
func parseTargetKey(key string) (elb.Target, bool) {
	i := strings.LastIndex(key, ":")
	if i < 0 {
		return elb.Target{}, false
	}
	port, err := strconv.Atoi(key[i+1:])
	if err != nil {
		return elb.Target{}, false
	}
	return elb.Target{ID: key[:i], Port: port}, true
}

// Run runs the controller until ctx ends.
func (c *Controller) Run(ctx context.Context) error {
	g := reconcile.Group{
		Caches:      []reconcile.Cache{c.lbs, c.listeners, c.rules, c.groups, c.regs, c.instances, c.tasks, c.services},
		Controllers: []*reconcile.Controller{c.configQ, c.regQ, c.taskQ},
		Loops:       []func(context.Context) error{c.recordTraffic},
	}
	if c.nodes != nil {
		g.Caches = append(g.Caches, c.nodes)
		g.Controllers = append(g.Controllers, c.releaseQ)
		g.Loops = append(g.Loops, c.report)
	}
	return g.Run(ctx)
}

// signal wakes ch's loop without waiting.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

func (c *Controller) registrationChanged(id string) {
	c.configQ.Add(configKey)
	c.regQ.Add(id)
	if it, ok := c.regs.Get(id); ok && it.Value.TaskARN != "" {
		if key, ok := taskKeyOf(it.Value.TaskARN); ok {
			c.taskQ.Add(key)
		}
	}
}

func (c *Controller) requeueRegistrations() {
	for _, it := range c.regs.Filter(func(store.Item[elb.Registration]) bool { return true }) {
		c.regQ.Add(it.ID)
	}
}

// serviceChanged requeues the service's tasks: its loadBalancers decide their targets.
func (c *Controller) serviceChanged(id string) {
	cluster, name, _ := strings.Cut(id, "/")
	for _, t := range c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
		return it.Value.ClusterName == cluster && it.Value.ServiceName == name
	}) {
		c.taskQ.Add(t.ID)
	}
}

// taskKeyOf turns arn:aws:ecs:r:a:task/<cluster>/<id> into the task's store id.
func taskKeyOf(taskARN string) (string, bool) {
	i := strings.Index(taskARN, ":task/")
	if i < 0 {
		return "", false
	}
	return taskARN[i+len(":task/"):], true
}

func values[T any](inf *store.Informer[T]) []T {
	items := inf.Filter(func(store.Item[T]) bool { return true })
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}
