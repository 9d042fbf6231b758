package liveness

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// Defaults of Config.
const (
	// DefaultTimeout is three missed heartbeats of an agent's default 10 s interval.
	DefaultTimeout = 30 * time.Second
	// DefaultGrace lets a worker ride out a short network cut or a restart before its tasks
	// are replaced elsewhere.
	DefaultGrace = 60 * time.Second
)

// Config tunes the controller. The zero value works.
type Config struct {
	// Timeout is how long an instance's heartbeat may stay unchanged before it turns
	// agentConnected: false; DefaultTimeout when zero. Agents must beat well within it.
	Timeout time.Duration
	// Grace is how much longer a disconnected instance keeps its tasks before they are
	// stopped as lost; DefaultGrace when zero.
	Grace time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Grace <= 0 {
		c.Grace = DefaultGrace
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// sighting is the last heartbeat value seen of an instance and when, on this controller's
// clock, it was first seen.
type sighting struct {
	beat time.Time
	at   time.Time
}

// Controller watches the heartbeats of container instances.
type Controller struct {
	cfg       Config
	st        *store.Store
	log       *slog.Logger
	instances *store.Informer[ecs.ContainerInstance]
	tasks     *store.Informer[ecs.Task]
	queue     *reconcile.Controller

	mu   sync.Mutex
	seen map[string]sighting // by instance key
}

// New returns a controller over st.
func New(st *store.Store, cfg Config, log *slog.Logger) *Controller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Controller{cfg: cfg.withDefaults(), st: st, log: log.With("component", "liveness"), seen: map[string]sighting{}}
	c.queue = reconcile.New("liveness", reconcile.ReconcilerFunc(c.reconcile), reconcile.Config{Workers: 2, ResyncPeriod: time.Minute}, log)
	c.instances = store.NewInformer(st.ContainerInstances, c.queue.Add)
	c.tasks = store.NewInformer(st.Tasks, c.taskChanged)
	return c
}

// Run watches until ctx ends.
func (c *Controller) Run(ctx context.Context) error {
	return reconcile.Group{
		Caches:      []reconcile.Cache{c.instances, c.tasks},
		Controllers: []*reconcile.Controller{c.queue},
	}.Run(ctx)
}

// taskChanged looks again at the instance of a task: one placed on a lost instance (StartTask
// may name it) is stopped too.
func (c *Controller) taskChanged(id string) {
	it, ok := c.tasks.Get(id)
	if !ok || it.Value.ContainerInstanceID == "" || it.Value.IsStopped() {
		return
	}
	key := store.ContainerInstanceID(it.Value.ClusterName, it.Value.ContainerInstanceID)
	if in, ok := c.instances.Get(key); ok && !in.Value.AgentConnected {
		c.queue.Add(key)
	}
}

func (c *Controller) reconcile(ctx context.Context, key string) (reconcile.Result, error) {
	it, ok := c.instances.Get(key)
	if !ok {
		c.mu.Lock()
		delete(c.seen, key)
		c.mu.Unlock()
		return reconcile.Result{Gone: true}, nil
	}
	in := it.Value
	now := c.cfg.Now()
	v := Judge(in, c.observe(key, in.LastHeartbeat, now), now, c.cfg)
	if v.Disconnect {
		if err := c.disconnect(ctx, key, in.LastHeartbeat); err != nil {
			return reconcile.Result{}, err
		}
	}
	if v.StopTasks {
		if err := c.stopTasks(ctx, key, in, now); err != nil {
			return reconcile.Result{}, err
		}
	}
	return reconcile.Result{RequeueAfter: v.RecheckAfter}, nil
}

// observe records beat as the instance's heartbeat and returns when it was first seen.
func (c *Controller) observe(key string, beat, now time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.seen[key]
	if !ok || !s.beat.Equal(beat) {
		s = sighting{beat: beat, at: now}
		c.seen[key] = s
	}
	return s.at
}

// errBeatAgain aborts a disconnect: the agent beat since the instance was judged.
var errBeatAgain = errors.New("the agent beat again")

func (c *Controller) disconnect(ctx context.Context, key string, beat time.Time) error {
	_, err := c.st.ContainerInstances.Update(ctx, key, func(in *ecs.ContainerInstance) error {
		if !in.LastHeartbeat.Equal(beat) || !in.AgentConnected {
			return errBeatAgain
		}
		in.AgentConnected = false
		in.Version++
		return nil
	})
	switch {
	case err == nil:
		c.log.Warn("container instance disconnected: its agent stopped answering", "instance", key, "last_heartbeat", beat)
		return nil
	case errors.Is(err, errBeatAgain), errors.Is(err, errdefs.ErrNotFound):
		return nil
	}
	return fmt.Errorf("disconnect %s: %w", key, err)
}

// stopTasks records every task still live on a lost instance as stopped with its host, after
// a fresh read confirms that the instance is still disconnected with the heartbeat judged (the
// informer may lag behind the store).
func (c *Controller) stopTasks(ctx context.Context, key string, in ecs.ContainerInstance, now time.Time) error {
	fresh, err := c.st.ContainerInstances.Get(ctx, key)
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if fresh.Value.AgentConnected || !fresh.Value.LastHeartbeat.Equal(in.LastHeartbeat) {
		c.queue.Add(key) // the agent is back: judge again
		return nil
	}
	lost := c.tasks.Filter(func(it store.Item[ecs.Task]) bool {
		t := it.Value
		return t.ClusterName == in.ClusterName && t.ContainerInstanceID == in.ID && !t.IsStopped()
	})
	for _, it := range lost {
		_, err := c.st.Tasks.Update(ctx, it.ID, func(t *ecs.Task) error {
			if t.ContainerInstanceID != in.ID {
				return errMoved
			}
			*t = t.LostWithHost(in.NodeID, now)
			return nil
		})
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) && !errors.Is(err, errMoved) {
			return fmt.Errorf("stop task %s of lost instance %s: %w", it.ID, in.ID, err)
		}
		if err == nil {
			c.log.Warn("task stopped: its container instance is lost", "task", it.ID, "instance", in.ID, "node", in.NodeID)
		}
	}
	return nil
}

// errMoved aborts a stop: the task is not on the lost instance (any more).
var errMoved = errors.New("task not on the instance")
