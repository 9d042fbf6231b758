package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mathrand "math/rand/v2"
	"reflect"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// Config tunes the scheduler. The zero value works.
type Config struct {
	// Workers reconcile services concurrently; 4 when zero.
	Workers int
	// StoppedTaskRetention is how long stopped tasks stay visible; one hour when zero (ECS keeps
	// them at least that long).
	StoppedTaskRetention time.Duration
	// GCInterval is how often expired stopped tasks are deleted; one minute when zero.
	GCInterval time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// NewTaskID returns a new task id (32 hex digits); random when nil.
	NewTaskID func() string
	// Rand returns a number in [0, n) for the random placement strategy; math/rand/v2's IntN
	// when nil.
	Rand func(n int) int
}

func (c Config) withDefaults() Config {
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.StoppedTaskRetention <= 0 {
		c.StoppedTaskRetention = time.Hour
	}
	if c.GCInterval <= 0 {
		c.GCInterval = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.NewTaskID == nil {
		c.NewTaskID = randomTaskID
	}
	if c.Rand == nil {
		c.Rand = mathrand.IntN
	}
	return c
}

// Controller runs the scheduler over a store.
type Controller struct {
	cfg   Config
	st    *store.Store
	scope arn.Scope
	log   *slog.Logger

	services  *store.Informer[ecs.Service]
	tasks     *store.Informer[ecs.Task]
	instances *store.Informer[ecs.ContainerInstance]
	serviceQ  *reconcile.Controller
	taskQ     *reconcile.Controller
}

// New returns a scheduler over st naming resources in scope.
func New(st *store.Store, scope arn.Scope, cfg Config, log *slog.Logger) *Controller {
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Controller{cfg: cfg, st: st, scope: scope, log: log}
	c.serviceQ = reconcile.New("scheduler-services", reconcile.ReconcilerFunc(c.reconcileService), reconcile.Config{Workers: cfg.Workers, ResyncPeriod: 30 * time.Second}, log)
	c.taskQ = reconcile.New("scheduler-tasks", reconcile.ReconcilerFunc(c.reconcileTask), reconcile.Config{Workers: 2}, log)
	c.services = store.NewInformer(st.Services, c.serviceQ.Add)
	c.tasks = store.NewInformer(st.Tasks, c.taskChanged)
	c.instances = store.NewInformer(st.ContainerInstances, c.instanceChanged)
	return c
}

// Run schedules until ctx ends.
func (c *Controller) Run(ctx context.Context) error {
	return reconcile.Group{
		Caches:      []reconcile.Cache{c.services, c.tasks, c.instances},
		Controllers: []*reconcile.Controller{c.serviceQ, c.taskQ},
		Loops:       []func(context.Context) error{c.collectGarbage},
	}.Run(ctx)
}

// taskChanged queues the task itself (placement) and the service it belongs to.
func (c *Controller) taskChanged(id string) {
	c.taskQ.Add(id)
	if it, ok := c.tasks.Get(id); ok && it.Value.ServiceName != "" {
		c.serviceQ.Add(store.ServiceID(it.Value.ClusterName, it.Value.ServiceName))
	}
}

// instanceChanged retries placement: an instance that joins can take waiting tasks.
func (c *Controller) instanceChanged(id string) {
	cluster, _, _ := strings.Cut(id, "/")
	for _, s := range c.services.Filter(func(it store.Item[ecs.Service]) bool { return it.Value.ClusterName == cluster }) {
		c.serviceQ.Add(s.ID)
	}
	for _, t := range c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
		return it.Value.ClusterName == cluster && it.Value.ContainerInstanceID == ""
	}) {
		c.taskQ.Add(t.ID)
	}
}

func (c *Controller) reconcileService(ctx context.Context, key string) (reconcile.Result, error) {
	cur, err := c.st.Services.Get(ctx, key)
	if errors.Is(err, errdefs.ErrNotFound) {
		return reconcile.Result{Gone: true}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if cur.Value.Status == ecs.ServiceInactive {
		return reconcile.Result{}, nil
	}
	snap := Snapshot{Service: cur.Value, Tasks: c.serviceTasks(cur.Value), Now: c.cfg.Now(), Draining: c.drainingInstances(cur.Value.ClusterName)}
	plan := PlanService(snap)
	if err := c.stopTasks(ctx, cur.Value.ClusterName, plan.Stop); err != nil {
		return reconcile.Result{}, err
	}
	if err := c.launch(ctx, &plan, snap.Now); err != nil {
		return reconcile.Result{}, err
	}
	if !reflect.DeepEqual(plan.Service, cur.Value) {
		if err := c.writeService(ctx, cur, plan.Service); err != nil {
			return reconcile.Result{}, err
		}
	}
	return reconcile.Result{RequeueAfter: plan.RequeueAfter}, nil
}

func (c *Controller) serviceTasks(s ecs.Service) []ecs.Task {
	items := c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
		return it.Value.ClusterName == s.ClusterName && it.Value.ServiceName == s.Name
	})
	out := make([]ecs.Task, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

// drainingInstances are the IDs of a cluster's DRAINING container instances.
func (c *Controller) drainingInstances(cluster string) map[string]bool {
	out := map[string]bool{}
	for _, it := range c.instances.Filter(func(it store.Item[ecs.ContainerInstance]) bool {
		return it.Value.ClusterName == cluster && it.Value.Status == ecs.InstanceDraining
	}) {
		out[it.Value.ID] = true
	}
	return out
}

func (c *Controller) writeService(ctx context.Context, cur store.Item[ecs.Service], next ecs.Service) error {
	var txn store.Txn
	if err := c.st.Services.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	rev, err := c.st.Commit(ctx, &txn)
	if errors.Is(err, errdefs.ErrConflict) {
		c.serviceQ.Add(cur.ID) // the API or another plan wrote first: plan again on fresh state
		return nil
	} else if err != nil {
		return fmt.Errorf("update service %s: %w", cur.ID, err)
	}
	c.services.Upsert(store.Item[ecs.Service]{ID: cur.ID, Value: next, Revision: rev})
	return nil
}

func (c *Controller) stopTasks(ctx context.Context, cluster string, stops []Stop) error {
	now := c.cfg.Now()
	for _, s := range stops {
		it, err := c.st.Tasks.Update(ctx, store.TaskID(cluster, s.TaskID), func(t *ecs.Task) error {
			*t = t.RequestStop(s.Code, s.Reason, now)
			return nil
		})
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return fmt.Errorf("stop task %s: %w", s.TaskID, err)
		}
		if err == nil {
			c.tasks.Upsert(it)
		}
	}
	return nil
}

func randomTaskID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
