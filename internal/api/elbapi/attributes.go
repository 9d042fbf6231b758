package elbapi

import (
	"context"

	"github.com/fargohq/fargo/internal/elb"
)

// attributesOf says how Describe and Modify*Attributes read and change the attributes of one
// kind of object: load balancers and target groups have theirs alike.
type attributesOf[T any] struct {
	byARN[T]
	member     string // the request member with the object's ARN, as errors name it
	attributes func(T) elb.Attributes
	with       func(T, []elb.Attribute) (T, error) // the object with changes applied
}

func (a *API) loadBalancerAttributes() attributesOf[elb.LoadBalancer] {
	return attributesOf[elb.LoadBalancer]{
		byARN:      a.loadBalancers(),
		member:     "loadBalancerArn",
		attributes: func(lb elb.LoadBalancer) elb.Attributes { return lb.Attributes },
		with:       elb.LoadBalancer.WithAttributes,
	}
}

func (a *API) targetGroupAttributes() attributesOf[elb.TargetGroup] {
	return attributesOf[elb.TargetGroup]{
		byARN:      a.targetGroups(),
		member:     "targetGroupArn",
		attributes: func(tg elb.TargetGroup) elb.Attributes { return tg.Attributes },
		with:       elb.TargetGroup.WithAttributes,
	}
}

func (k attributesOf[T]) describe(ctx context.Context, objARN *string) (*attributesOutput, error) {
	arn, err := required(objARN, k.member)
	if err != nil {
		return nil, err
	}
	it, err := k.get(ctx, arn)
	if err != nil {
		return nil, err
	}
	return &attributesOutput{Attributes: attributesToWire(k.attributes(it.Value))}, nil
}

func (k attributesOf[T]) modify(ctx context.Context, objARN *string, attributes []wireAttribute) (*attributesOutput, error) {
	arn, err := required(objARN, k.member)
	if err != nil {
		return nil, err
	}
	if err := requireList(attributes, "attributes"); err != nil {
		return nil, err
	}
	changes, err := attributesFromWire(attributes)
	if err != nil {
		return nil, err
	}
	saved, err := k.update(ctx, arn, func(v T) (T, error) { return k.with(v, changes) })
	if err != nil {
		return nil, err
	}
	return &attributesOutput{Attributes: attributesToWire(k.attributes(saved))}, nil
}

func (a *API) describeLoadBalancerAttributes(ctx context.Context, in *loadBalancerARNInput) (*attributesOutput, error) {
	return a.loadBalancerAttributes().describe(ctx, in.LoadBalancerArn)
}

func (a *API) modifyLoadBalancerAttributes(ctx context.Context, in *modifyLoadBalancerAttributesInput) (*attributesOutput, error) {
	return a.loadBalancerAttributes().modify(ctx, in.LoadBalancerArn, in.Attributes)
}

func (a *API) describeTargetGroupAttributes(ctx context.Context, in *targetGroupARNInput) (*attributesOutput, error) {
	return a.targetGroupAttributes().describe(ctx, in.TargetGroupArn)
}

func (a *API) modifyTargetGroupAttributes(ctx context.Context, in *modifyTargetGroupAttributesInput) (*attributesOutput, error) {
	return a.targetGroupAttributes().modify(ctx, in.TargetGroupArn, in.Attributes)
}
