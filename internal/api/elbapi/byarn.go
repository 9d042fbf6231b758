package elbapi

import (
	"context"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// byARN says how requests find one kind of object by its ARN (load balancers, target groups):
// where it is stored, under which id its ARN puts it, and how a missing one is reported.
type byARN[T any] struct {
	items    store.Collection[T]
	id       func(arn string) (string, error)
	arn      func(T) string
	notFound error
	what     string // the kind in messages: "Load balancer"
}

func (a *API) loadBalancers() byARN[elb.LoadBalancer] {
	return byARN[elb.LoadBalancer]{
		items: a.store.LoadBalancers,
		id: func(arn string) (string, error) {
			ref, err := elb.ParseLoadBalancerARN(arn)
			return ref.Name, err
		},
		arn:      func(lb elb.LoadBalancer) string { return lb.ARN },
		notFound: elb.ErrLoadBalancerNotFound,
		what:     "Load balancer",
	}
}

func (a *API) targetGroups() byARN[elb.TargetGroup] {
	return byARN[elb.TargetGroup]{
		items: a.store.TargetGroups,
		id: func(arn string) (string, error) {
			ref, err := elb.ParseTargetGroupARN(arn)
			return ref.Name, err
		},
		arn:      func(tg elb.TargetGroup) string { return tg.ARN },
		notFound: elb.ErrTargetGroupNotFound,
		what:     "Target group",
	}
}

// get returns the object objARN names. One stored under the same id with another ARN (deleted
// and created again) is not the one named.
func (k byARN[T]) get(ctx context.Context, objARN string) (store.Item[T], error) {
	id, err := k.id(objARN)
	if err != nil {
		return store.Item[T]{}, err
	}
	it, err := k.items.Get(ctx, id)
	if err == nil && k.arn(it.Value) != objARN {
		err = errdefs.NotFound("stale ARN")
	}
	return it, k.missing(err, objARN)
}

// update applies fn to the object objARN names, read-modify-write.
func (k byARN[T]) update(ctx context.Context, objARN string, fn func(T) (T, error)) (T, error) {
	cur, err := k.get(ctx, objARN)
	if err != nil {
		var zero T
		return zero, err
	}
	saved, err := k.items.Update(ctx, cur.ID, func(v *T) error {
		if k.arn(*v) != objARN {
			return errdefs.NotFound("stale ARN")
		}
		next, err := fn(*v)
		if err != nil {
			return err
		}
		*v = next
		return nil
	})
	return saved.Value, k.missing(err, objARN)
}

// missing turns the store's not-found into the kind's own.
func (k byARN[T]) missing(err error, objARN string) error {
	return notFoundAs(err, k.notFound, "%s '%s' not found", k.what, objARN)
}
