package hookrunner

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// Config tunes the runner. The zero value works.
type Config struct {
	// CallTimeout bounds one invocation of a function; 30 s when zero.
	CallTimeout time.Duration
	// MaxErrorAnswers is how many times a function may answer with an HTTP error status
	// before its execution fails: 3 when zero, the first invocation and Lambda's two retries of
	// an asynchronous one. Transport errors are retried until the deadline.
	MaxErrorAnswers int
	// Poll is how often a task definition hook's task is looked at; 1 s when zero.
	Poll time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Client invokes functions; a client without timeouts of its own when nil (CallTimeout
	// bounds each call).
	Client *http.Client
}

func (c Config) withDefaults() Config {
	if c.CallTimeout <= 0 {
		c.CallTimeout = 30 * time.Second
	}
	if c.MaxErrorAnswers <= 0 {
		c.MaxErrorAnswers = 3
	}
	if c.Poll <= 0 {
		c.Poll = time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Client == nil {
		c.Client = &http.Client{}
	}
	return c
}

// Controller runs the hook executions in the store.
type Controller struct {
	cfg   Config
	st    *store.Store
	scope arn.Scope
	log   *slog.Logger

	executions *store.Informer[hooks.Execution]
	q          *reconcile.Controller
}

// New returns a runner over st; task definition hooks' tasks are named in scope.
func New(st *store.Store, scope arn.Scope, cfg Config, log *slog.Logger) *Controller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Controller{cfg: cfg.withDefaults(), st: st, scope: scope, log: log}
	// Several workers, so that one slow function does not hold up the other hooks.
	c.q = reconcile.New("hookrunner", reconcile.ReconcilerFunc(c.reconcile), reconcile.Config{Workers: 4, ResyncPeriod: 30 * time.Second}, log)
	c.executions = store.NewInformer(st.HookExecutions, c.q.Add)
	return c
}

// Run runs hook executions until ctx ends.
func (c *Controller) Run(ctx context.Context) error {
	return reconcile.Group{
		Caches:      []reconcile.Cache{c.executions},
		Controllers: []*reconcile.Controller{c.q},
	}.Run(ctx)
}

// reconcile takes the next step of one execution: it times it out past its deadline, or runs
// its target, and asks to look again when something is due.
func (c *Controller) reconcile(ctx context.Context, id string) (reconcile.Result, error) {
	cur, err := c.st.HookExecutions.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return reconcile.Result{Gone: true}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	e, now := cur.Value, c.cfg.Now()
	if e.Status.Done() {
		return reconcile.Result{}, nil
	}
	if !e.Deadline.IsZero() && !now.Before(e.Deadline) {
		return reconcile.Result{}, c.timeOut(ctx, e, now)
	}
	if ended, err := c.ownerEnded(ctx, e); err != nil || ended {
		if err == nil {
			err = c.record(ctx, finish(e, hooks.StatusFailed, "Deployment "+e.Owner+" ended before the hook reported a verdict.", now))
		}
		return reconcile.Result{}, err
	}
	t, err := c.resolve(ctx, e)
	if errors.Is(err, errdefs.ErrNotFound) || errors.Is(err, errdefs.ErrInvalidArgument) {
		return reconcile.Result{}, c.record(ctx, finish(e, hooks.StatusFailed, errdefs.Message(err), now))
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	var next hooks.Execution
	if t.function != nil {
		next, err = c.runFunction(ctx, e, *t.function, now)
	} else {
		next, err = c.runTask(ctx, e, t.taskDefinition, now)
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	// Nothing was due: writing the same execution again would only wake this reconcile again.
	if !reflect.DeepEqual(next, e) {
		if err := c.record(ctx, next); err != nil {
			return reconcile.Result{}, err
		}
	}
	return reconcile.Result{RequeueAfter: c.wait(next, now)}, nil
}

// ownerEnded tells whether e is a CodeDeploy hook whose deployment has ended (stopped or
// failed meanwhile): its hook is not invoked any more. The ECS deployment planner ends its own
// hooks' executions.
func (c *Controller) ownerEnded(ctx context.Context, e hooks.Execution) (bool, error) {
	if e.Kind != hooks.KindCodeDeploy {
		return false, nil
	}
	d, err := c.st.Deployments.Get(ctx, e.Owner)
	if errors.Is(err, errdefs.ErrNotFound) {
		return false, nil // not written yet, or a test's execution without one
	}
	return err == nil && d.Value.Status.Done(), err
}

// wait is how long until execution e needs a look again: its next invocation, a look at its
// task, or its deadline.
func (c *Controller) wait(e hooks.Execution, now time.Time) time.Duration {
	if e.Status.Done() {
		return 0
	}
	until := e.Deadline
	if !e.NextAttemptAt.IsZero() && (until.IsZero() || e.NextAttemptAt.Before(until)) {
		until = e.NextAttemptAt
	}
	d := until.Sub(now)
	if e.TaskARN != "" {
		d = min(d, c.cfg.Poll)
	}
	return max(d, time.Millisecond)
}

// errFinal stops an update of an execution that became final meanwhile.
var errFinal = errors.New("execution is final")

// record writes next unless the stored execution became final meanwhile: a CodeDeploy hook may
// report its verdict before its invocation even returned, and that verdict stands.
func (c *Controller) record(ctx context.Context, next hooks.Execution) error {
	_, err := c.st.HookExecutions.Update(ctx, next.ID, func(e *hooks.Execution) error {
		if e.Status.Done() {
			return errFinal
		}
		*e = next
		return nil
	})
	if errors.Is(err, errFinal) || errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	if err == nil && next.Status.Done() {
		c.log.Info("hook finished", "execution", next.ID, "status", next.Status, "message", next.Message)
	}
	return err
}

// finish is e ended with status and msg at now.
func finish(e hooks.Execution, status hooks.Status, msg string, now time.Time) hooks.Execution {
	e.Status, e.Message, e.UpdatedAt, e.NextAttemptAt = status, msg, now, time.Time{}
	return e
}
