package alarms

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Config holds the controller's settings; the zero value works.
type Config struct {
	// Minute is how long a minute of alarm periods lasts (the server's --time-scale); a
	// minute when zero.
	Minute time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Minute <= 0 {
		c.Minute = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// SampleInterval is how often the controller samples the counters: ten seconds of the
// scaled clock, at least 100ms (the counters themselves change once a second).
func (c Config) SampleInterval() time.Duration {
	return max(c.withDefaults().Minute/6, 100*time.Millisecond)
}

// Retention is how long Metrics keeps samples: three hours of the scaled clock, the
// longest ListMetrics' RecentlyActive looks back.
func (c Config) Retention() time.Duration { return 180 * c.withDefaults().Minute }

// Controller samples the metrics of one region and evaluates its alarms.
type Controller struct {
	st      *store.Store
	metrics *Metrics
	cfg     Config
	log     *slog.Logger

	tasks    *store.Informer[ecs.Task]
	services *store.Informer[ecs.Service]
	regs     *store.Informer[elb.Registration]
	rules    *store.Informer[elb.Rule]
	alarms   *store.Informer[cloudwatch.Alarm]

	prev      counters
	sampled   bool
	evaluated map[string]time.Time // alarm name → end of the range last evaluated
}

// New returns the controller of the region whose view is st, sampling into metrics.
func New(st *store.Store, metrics *Metrics, cfg Config, log *slog.Logger) *Controller {
	return &Controller{
		st: st, metrics: metrics, cfg: cfg.withDefaults(), log: log,
		tasks: store.NewInformer(st.Tasks, nil), services: store.NewInformer(st.Services, nil),
		regs: store.NewInformer(st.TargetRegistrations, nil), rules: store.NewInformer(st.Rules, nil),
		alarms: store.NewInformer(st.Alarms, nil), evaluated: map[string]time.Time{},
	}
}

// Run samples and evaluates every SampleInterval until ctx ends. It starts with no samples.
func (c *Controller) Run(ctx context.Context) error {
	c.metrics.Reset()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.tasks.Run(ctx) })
	g.Go(func() error { return c.services.Run(ctx) })
	g.Go(func() error { return c.regs.Run(ctx) })
	g.Go(func() error { return c.rules.Run(ctx) })
	g.Go(func() error { return c.alarms.Run(ctx) })
	g.Go(func() error { return c.loop(ctx) })
	return g.Wait()
}

func (c *Controller) loop(ctx context.Context) error {
	for _, synced := range []<-chan struct{}{c.tasks.Synced(), c.services.Synced(), c.regs.Synced(), c.rules.Synced(), c.alarms.Synced()} {
		select {
		case <-ctx.Done():
			return nil
		case <-synced:
		}
	}
	tick := time.NewTicker(c.cfg.SampleInterval())
	defer tick.Stop()
	for {
		c.sample(c.cfg.Now())
		c.evaluate(ctx, c.cfg.Now())
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// sample adds one round of samples to the metrics.
func (c *Controller) sample(now time.Time) {
	w := World{Tasks: values(c.tasks), Services: values(c.services), Registrations: values(c.regs), Rules: values(c.rules)}
	round, next := SampleRound(w, c.prev, !c.sampled, now)
	c.prev, c.sampled = next, true
	for _, s := range round {
		c.metrics.Add(s.id, s.sample)
	}
	c.metrics.Prune(now)
}

// errUnchanged stops an alarm's update that would change nothing.
var errUnchanged = errors.New("unchanged")

// evaluate evaluates each alarm whose period ended since its last evaluation, and writes
// the state it comes to when that differs from the alarm's (a state SetAlarmState set
// lasts until then).
func (c *Controller) evaluate(ctx context.Context, now time.Time) {
	for name := range c.evaluated {
		if _, ok := c.alarms.Get(name); !ok {
			delete(c.evaluated, name) // deleted: forget it
		}
	}
	for _, it := range c.alarms.Filter(func(store.Item[cloudwatch.Alarm]) bool { return true }) {
		a := it.Value
		period := a.PeriodDuration(c.cfg.Minute)
		if period <= 0 {
			continue
		}
		from, to := cloudwatch.Range(a, period, now)
		if c.evaluated[a.Name].Equal(to) {
			continue
		}
		c.evaluated[a.Name] = to
		id := cloudwatch.MetricID{Namespace: a.Namespace, Name: a.MetricName, Dimensions: a.Dimensions}
		d := cloudwatch.Evaluate(a, cloudwatch.Aggregate(c.metrics.Samples(id), from, to, period), period, now)
		if d.State == a.State {
			continue
		}
		_, err := c.st.Alarms.Update(ctx, a.Name, func(cur *cloudwatch.Alarm) error {
			if cur.State == d.State {
				return errUnchanged
			}
			cur.SetState(d.State, d.Reason, d.ReasonData, now)
			return nil
		})
		switch {
		case err == nil:
			c.log.Info("alarm state changed", "alarm", a.Name, "state", d.State, "reason", d.Reason)
		case errors.Is(err, errUnchanged), errors.Is(err, errdefs.ErrNotFound), ctx.Err() != nil:
		default:
			c.log.Warn("write alarm state", "alarm", a.Name, "err", err)
			delete(c.evaluated, a.Name) // try again next round
		}
	}
}

func values[T any](inf *store.Informer[T]) []T {
	items := inf.Filter(func(store.Item[T]) bool { return true })
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}
