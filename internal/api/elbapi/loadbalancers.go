package elbapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) createLoadBalancer(ctx context.Context, in *createLoadBalancerInput) (*loadBalancersOutput, error) {
	spec, err := in.spec()
	if err != nil {
		return nil, err
	}
	saved, err := a.CreateLoadBalancer(ctx, spec)
	if err != nil {
		return nil, err
	}
	return &loadBalancersOutput{LoadBalancers: list[wireLoadBalancer]{a.loadBalancerToWire(saved)}}, nil
}

// CreateLoadBalancer is CreateLoadBalancer over domain values.
func (a *API) CreateLoadBalancer(ctx context.Context, spec elb.LoadBalancerSpec) (elb.LoadBalancer, error) {
	id, err := a.newID()
	if err != nil {
		return elb.LoadBalancer{}, err
	}
	lb, err := elb.NewLoadBalancer(a.scope, spec, id, a.now())
	if err != nil {
		return elb.LoadBalancer{}, err
	}
	return retry(func() (elb.LoadBalancer, error) { return a.createOrReturnLoadBalancer(ctx, lb) })
}

// DeleteLoadBalancer is DeleteLoadBalancer.
func (a *API) DeleteLoadBalancer(ctx context.Context, loadBalancerARN string) error {
	_, err := a.deleteLoadBalancer(ctx, &loadBalancerARNInput{LoadBalancerArn: &loadBalancerARN})
	return err
}

// createOrReturnLoadBalancer stores lb, or returns the load balancer of that name when it has
// the same settings: CreateLoadBalancer is idempotent.
func (a *API) createOrReturnLoadBalancer(ctx context.Context, lb elb.LoadBalancer) (elb.LoadBalancer, error) {
	return createOrReturn(ctx, uniqueByName[elb.LoadBalancer]{
		coll: a.store.LoadBalancers,
		same: elb.SameLoadBalancerSettings,
		duplicate: func() error {
			return errdefs.Detail(elb.ErrDuplicateLoadBalancerName, "A load balancer with the same name '%s' exists, but with different settings", lb.Name)
		},
		tooMany: func() error {
			return errdefs.Detail(elb.ErrTooManyLoadBalancers, "The maximum number of load balancers (%d) has been reached", elb.MaxLoadBalancers)
		},
		max: elb.MaxLoadBalancers,
	}, lb.Name, lb)
}

func (a *API) describeLoadBalancers(ctx context.Context, in *describeLoadBalancersInput) (*loadBalancersOutput, error) {
	if len(in.LoadBalancerArns) > 0 && len(in.Names) > 0 {
		return nil, errdefs.InvalidArgument("Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	lbs, err := a.selectLoadBalancers(ctx, in)
	if err != nil {
		return nil, err
	}
	listeners, _, err := a.store.Listeners.List(ctx, "")
	if err != nil {
		return nil, err
	}
	byLB := map[string][]elb.Listener{}
	for _, l := range listeners {
		byLB[l.Value.LoadBalancerARN] = append(byLB[l.Value.LoadBalancerARN], l.Value)
	}
	toWire := func(lb elb.LoadBalancer) wireLoadBalancer {
		w := a.loadBalancerToWire(lb)
		w.State.Code, w.State.Reason = lb.Status(byLB[lb.ARN])
		return w
	}
	page, next, err := describePage(lbs, loadBalancerName, in.Marker, in.PageSize, toWire)
	if err != nil {
		return nil, err
	}
	return &loadBalancersOutput{LoadBalancers: page, NextMarker: next}, nil
}

// selectLoadBalancers returns the load balancers a describe call names, each once, or all.
func (a *API) selectLoadBalancers(ctx context.Context, in *describeLoadBalancersInput) ([]elb.LoadBalancer, error) {
	if len(in.LoadBalancerArns) > 0 || len(in.Names) > 0 {
		return selectNamed(ctx, namedKind[elb.LoadBalancer]{
			noun: "load balancers", notFound: elb.ErrLoadBalancerNotFound,
			byARN: a.loadBalancer, byName: a.store.LoadBalancers.Get,
			validName: elb.ValidateLoadBalancerName, name: loadBalancerName,
		}, in.LoadBalancerArns, in.Names)
	}
	all, _, err := a.store.LoadBalancers.List(ctx, "")
	return values(all), err
}

func loadBalancerName(lb elb.LoadBalancer) string { return lb.Name }

// deleteLoadBalancer deletes a load balancer with its listeners and rules. Deleting one that
// does not exist succeeds, as on AWS.
func (a *API) deleteLoadBalancer(ctx context.Context, in *loadBalancerARNInput) (*emptyOutput, error) {
	lbARN, err := required(in.LoadBalancerArn, "loadBalancerArn")
	if err != nil {
		return nil, err
	}
	_, err = retry(func() (struct{}, error) { return struct{}{}, a.deleteLoadBalancerOnce(ctx, lbARN) })
	if errors.Is(err, elb.ErrLoadBalancerNotFound) {
		return &emptyOutput{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) deleteLoadBalancerOnce(ctx context.Context, lbARN string) error {
	lb, err := a.loadBalancer(ctx, lbARN)
	if err != nil {
		return err
	}
	if lb.Value.DeletionProtected() {
		return errdefs.Detail(elb.ErrOperationNotPermitted, "Load balancer '%s' cannot be deleted because deletion protection is enabled", lbARN)
	}
	var txn store.Txn
	a.store.LoadBalancers.Remove(&txn, lb.ID, lb.Revision)
	prefix := store.LoadBalancerPrefix(lb.Value.Ref())
	listeners, _, err := a.store.Listeners.List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, l := range listeners {
		a.store.Listeners.Remove(&txn, l.ID, l.Revision)
		if err := a.releasePort(ctx, &txn, l.Value); err != nil {
			return err
		}
	}
	rules, _, err := a.store.Rules.List(ctx, prefix)
	if err != nil {
		return err
	}
	for _, r := range rules {
		a.store.Rules.Remove(&txn, r.ID, r.Revision)
	}
	_, err = a.store.Commit(ctx, &txn)
	return err
}
