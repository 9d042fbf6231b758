package deployer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
)

// Config tunes the deployer. The zero value works.
type Config struct {
	// Poll is how often a deployment in progress looks at its service and listener again;
	// 250 ms when zero.
	Poll time.Duration
	// InstallTimeout bounds the wait for the replacement task set to run healthy; one hour
	// when zero, as CodeDeploy's.
	InstallTimeout time.Duration
	// Minute is the length of a minute of traffic routing, ready and termination waits; a
	// minute when zero. Only tests shorten it.
	Minute time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Random returns random numbers for task set ids; crypto-random when nil.
	Random func() uint64
}

func (c Config) withDefaults() Config {
	if c.Poll <= 0 {
		c.Poll = 250 * time.Millisecond
	}
	if c.InstallTimeout <= 0 {
		c.InstallTimeout = time.Hour
	}
	if c.Minute <= 0 {
		c.Minute = time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Random == nil {
		c.Random = randomUint64
	}
	return c
}

// Controller carries out the CodeDeploy deployments in the store, and the deployments of
// ECS-controller services (their service deployments, native ones stage by stage).
type Controller struct {
	cfg   Config
	st    *store.Store
	scope arn.Scope
	log   *slog.Logger

	deployments *store.Informer[codedeploy.Deployment]
	q           *reconcile.Controller

	// The ECS-controller services' deployments, by service ID (native_controller.go).
	services           *store.Informer[ecs.Service]
	serviceDeployments *store.Informer[ecs.ServiceDeployment]
	nq                 *reconcile.Controller
}

// New returns a deployer over st naming resources in scope.
func New(st *store.Store, scope arn.Scope, cfg Config, log *slog.Logger) *Controller {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	c := &Controller{cfg: cfg.withDefaults(), st: st, scope: scope, log: log}
	c.q = reconcile.New("deployer", reconcile.ReconcilerFunc(c.reconcile), reconcile.Config{Workers: 2, ResyncPeriod: 30 * time.Second}, log)
	c.deployments = store.NewInformer(st.Deployments, c.q.Add)
	c.nq = reconcile.New("service-deployments", reconcile.ReconcilerFunc(c.reconcileService), reconcile.Config{Workers: 2, ResyncPeriod: 30 * time.Second}, log)
	c.services = store.NewInformer(st.Services, c.nq.Add)
	c.serviceDeployments = store.NewInformer(st.ServiceDeployments, func(id string) { c.nq.Add(serviceOfChild(id)) })
	return c
}

// Run carries out deployments until ctx ends.
func (c *Controller) Run(ctx context.Context) error {
	return reconcile.Group{
		Caches:      []reconcile.Cache{c.deployments, c.services, c.serviceDeployments},
		Controllers: []*reconcile.Controller{c.q, c.nq},
	}.Run(ctx)
}

// reconcile takes the next step of one deployment: it observes, plans with PlanDeployment,
// applies the step's actions and writes the deployment as the step leaves it.
func (c *Controller) reconcile(ctx context.Context, id string) (reconcile.Result, error) {
	cur, err := c.st.Deployments.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		return reconcile.Result{Gone: true}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if cur.Value.Status.Done() {
		return reconcile.Result{}, nil
	}
	o, err := c.observe(ctx, cur.Value)
	if err != nil {
		return reconcile.Result{}, err
	}
	step := PlanDeployment(c.cfg, o)
	if err := c.apply(ctx, o, &step); err != nil {
		return reconcile.Result{}, err
	}
	if err := c.recordTarget(ctx, o, &step); err != nil {
		return reconcile.Result{}, err
	}
	next := step.Deployment
	if targetChanged(cur.Value, next) {
		next.TargetUpdated = o.Now
	}
	switch {
	case step.Rollback != nil:
		if err := c.writeWithRollback(ctx, cur, next, *step.Rollback); err != nil {
			return reconcile.Result{}, err
		}
	case !reflect.DeepEqual(next, cur.Value):
		if err := c.writeDeployment(ctx, cur, next); err != nil {
			return reconcile.Result{}, err
		}
	}
	if next.Status.Done() {
		c.log.Info("deployment ended", "deployment", id, "status", next.Status, "error", next.ErrorMessage)
		return reconcile.Result{}, nil
	}
	return reconcile.Result{RequeueAfter: step.Wait}, nil
}

func (c *Controller) writeDeployment(ctx context.Context, cur store.Item[codedeploy.Deployment], next codedeploy.Deployment) error {
	var txn store.Txn
	if err := c.st.Deployments.Put(&txn, cur.ID, next, cur.Revision); err != nil {
		return err
	}
	if next.Status == codedeploy.StatusSucceeded && cur.Value.Status != codedeploy.StatusSucceeded {
		if err := c.recordSuccess(ctx, &txn, next); err != nil {
			return err
		}
	}
	_, err := c.st.Commit(ctx, &txn)
	if errors.Is(err, errdefs.ErrConflict) {
		// StopDeployment or ContinueDeployment wrote first: the next step sees their request.
		c.q.Add(cur.ID)
		return nil
	}
	return err
}

// recordSuccess adds to txn the note of a successful deployment on its group, whose next
// deployment's previousRevision it is: in the transaction that makes the deployment
// Succeeded, so that no client (and no restart) sees one without the other.
func (c *Controller) recordSuccess(ctx context.Context, txn *store.Txn, d codedeploy.Deployment) error {
	g, err := c.st.DeploymentGroups.Get(ctx, store.DeploymentGroupID(d.ApplicationName, d.DeploymentGroupName))
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil // the group was deleted meanwhile
	}
	if err != nil {
		return fmt.Errorf("record deployment %s on its group: %w", d.ID, err)
	}
	g.Value.LastSuccessful = d.ID
	return c.st.DeploymentGroups.Put(txn, g.ID, g.Value, g.Revision)
}
