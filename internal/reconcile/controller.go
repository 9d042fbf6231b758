package reconcile

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The defaults of Config.
const (
	DefaultWorkers     = 1
	DefaultBaseBackoff = 5 * time.Millisecond
	DefaultMaxBackoff  = time.Minute
)

// Config tunes a Controller. The zero value is ready to use.
type Config struct {
	// Workers is how many keys are reconciled concurrently; default DefaultWorkers.
	Workers int
	// BaseBackoff is the delay before the first retry of a failed key; it doubles with each
	// consecutive failure of that key up to MaxBackoff and resets when a reconcile succeeds.
	// Default DefaultBaseBackoff.
	BaseBackoff time.Duration
	// MaxBackoff caps the retry delay; default DefaultMaxBackoff.
	MaxBackoff time.Duration
	// ResyncPeriod, when positive, re-enqueues every known key (every key reconciled so far,
	// except those whose last reconcile returned Result.Gone) once per period, so that the
	// controller converges even if a source lost an event. Zero means no resync.
	ResyncPeriod time.Duration
}

// Validate reports whether c is usable.
func (c Config) Validate() error {
	switch {
	case c.Workers < 0:
		return errdefs.InvalidArgument("reconcile: workers %d is negative", c.Workers)
	case c.BaseBackoff < 0:
		return errdefs.InvalidArgument("reconcile: base backoff %s is negative", c.BaseBackoff)
	case c.MaxBackoff < 0:
		return errdefs.InvalidArgument("reconcile: max backoff %s is negative", c.MaxBackoff)
	case c.ResyncPeriod < 0:
		return errdefs.InvalidArgument("reconcile: resync period %s is negative", c.ResyncPeriod)
	}
	if d := c.withDefaults(); d.BaseBackoff > d.MaxBackoff {
		return errdefs.InvalidArgument("reconcile: base backoff %s exceeds max backoff %s",
			d.BaseBackoff, d.MaxBackoff)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Workers == 0 {
		c.Workers = DefaultWorkers
	}
	if c.BaseBackoff == 0 {
		c.BaseBackoff = DefaultBaseBackoff
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = DefaultMaxBackoff
	}
	return c
}

// Source feeds keys to a controller: it calls enqueue for every key whose state may have
// changed, and runs until ctx ends (return nil then) or it fails. A source may also return
// nil early, for example after a one-time list; the controller keeps running.
type Source func(ctx context.Context, enqueue func(key string)) error

// Controller runs a Reconciler over a queue of keys. Create it with New, register sources with
// Watch, then call Run. Add and AddAfter may be called at any time, from any goroutine.
type Controller struct {
	name string
	r    Reconciler
	cfg  Config
	log  *slog.Logger
	q    *queue

	mu       sync.Mutex
	sources  []Source
	started  bool
	failures map[string]int      // consecutive failures of each key, for backoff
	known    map[string]struct{} // the keys resync re-enqueues
}

// New returns a controller named name (used in logs and errors) that reconciles keys with r.
// A nil log discards. The configuration is checked by Run.
func New(name string, r Reconciler, cfg Config, log *slog.Logger) *Controller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Controller{
		name:     name,
		r:        r,
		cfg:      cfg,
		log:      log.With("controller", name),
		q:        newQueue(),
		failures: make(map[string]int),
		known:    make(map[string]struct{}),
	}
}

// Add queues key for reconciliation. A key already waiting is not queued twice; a key being
// reconciled now is reconciled once more after the current run. Keys added before Run wait for
// it; keys added after Run has returned are dropped.
func (c *Controller) Add(key string) { c.q.add(key) }

// AddAfter queues key once d has passed (at once if d <= 0). A key with several pending delayed
// adds is queued at the earliest of them.
func (c *Controller) AddAfter(key string, d time.Duration) { c.q.addAfter(key, d) }

// Watch registers a source that Run starts with the workers and stops when it returns. It
// panics if called after Run, which is a programming error.
func (c *Controller) Watch(src Source) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started {
		panic("reconcile: Watch called after Run on controller " + c.name)
	}
	c.sources = append(c.sources, src)
}

// Run reconciles keys until ctx ends or a source fails, then returns after every worker,
// source and timer it started has stopped. A reconcile in progress sees its context cancelled;
// keys still queued are dropped. Run returns nil when ctx ends and the source's error when one
// fails. A controller runs only once.
func (c *Controller) Run(ctx context.Context) error {
	if err := c.cfg.Validate(); err != nil {
		return fmt.Errorf("controller %s: %w", c.name, err)
	}
	sources, err := c.start()
	if err != nil {
		return err
	}
	cfg := c.cfg.withDefaults()

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		<-gctx.Done()
		c.q.close() // wakes the idle workers
		return nil
	})
	g.Go(func() error {
		c.q.runDelays(gctx)
		return nil
	})
	if cfg.ResyncPeriod > 0 {
		g.Go(func() error {
			c.resync(gctx, cfg.ResyncPeriod)
			return nil
		})
	}
	for i, src := range sources {
		g.Go(func() error {
			// After ctx ends a source's error is only its reaction to the cancellation.
			if err := src(gctx, c.Add); err != nil && ctx.Err() == nil {
				return fmt.Errorf("controller %s: source %d: %w", c.name, i, err)
			}
			return nil
		})
	}
	for range cfg.Workers {
		g.Go(func() error {
			c.work(gctx, cfg)
			return nil
		})
	}
	return g.Wait()
}

// start marks the controller as running and returns its sources.
func (c *Controller) start() ([]Source, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started {
		return nil, errdefs.FailedPrecondition("controller %s: Run called twice", c.name)
	}
	c.started = true
	return c.sources, nil
}

func (c *Controller) work(ctx context.Context, cfg Config) {
	for {
		key, ok := c.q.get()
		if !ok {
			return
		}
		c.process(ctx, cfg, key)
		c.q.done(key)
	}
}

// process reconciles key once and schedules what its outcome asks for.
func (c *Controller) process(ctx context.Context, cfg Config, key string) {
	res, err := c.r.Reconcile(ctx, key)
	if ctx.Err() != nil {
		return // shutting down: the outcome of a cancelled reconcile means nothing
	}
	switch {
	case err == nil:
		c.settle(key, false, res.Gone)
		if res.RequeueAfter > 0 {
			c.q.addAfter(key, res.RequeueAfter)
		}
	case IsTerminal(err):
		c.settle(key, false, false)
		c.log.Error("reconcile failed, not retrying", "key", key, "err", err)
	default:
		n := c.settle(key, true, false)
		delay := backoff(cfg.BaseBackoff, cfg.MaxBackoff, n)
		c.logRetry(key, err, n, delay)
		c.q.addAfter(key, delay)
	}
}

// logRetry logs a failed reconcile that will be retried. A lost write race is routine (the
// retry rereads and usually wins), so it is logged at debug level unless the key keeps losing.
func (c *Controller) logRetry(key string, err error, failures int, delay time.Duration) {
	switch {
	case !lostRace(err):
		c.log.Error("reconcile failed", "key", key, "err", err, "retry_in", delay)
	case failures < racesBeforeError:
		c.log.Debug("reconcile lost a write race", "key", key, "err", err, "retry_in", delay)
	default:
		c.log.Error("reconcile keeps losing write races", "key", key, "err", err, "failures", failures, "retry_in", delay)
	}
}

// settle records the outcome of a reconcile of key and returns its count of consecutive
// failures.
func (c *Controller) settle(key string, failed, gone bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gone {
		delete(c.known, key)
	} else {
		c.known[key] = struct{}{}
	}
	if !failed {
		delete(c.failures, key)
		return 0
	}
	c.failures[key]++
	return c.failures[key]
}

// backoff returns the delay before retrying after the given number of consecutive failures:
// base, doubled for each failure after the first, capped at limit.
func backoff(base, limit time.Duration, failures int) time.Duration {
	d := base
	for i := 1; i < failures; i++ {
		if d > limit-d { // d*2 > limit, written so it cannot overflow
			return limit
		}
		d *= 2
	}
	return min(d, limit)
}

func (c *Controller) resync(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, key := range c.knownKeys() {
				c.q.add(key)
			}
		}
	}
}

func (c *Controller) knownKeys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.known))
	for k := range c.known {
		keys = append(keys, k)
	}
	return keys
}
