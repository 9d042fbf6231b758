package elbapi

import (
	"context"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// maxTagResources is how many resources one tagging call may name.
const maxTagResources = 20

type addTagsInput struct {
	ResourceArns []string  `query:"ResourceArns"`
	Tags         []wireTag `query:"Tags"`
}

type removeTagsInput struct {
	ResourceArns []string `query:"ResourceArns"`
	TagKeys      []string `query:"TagKeys"`
}

type describeTagsInput struct {
	ResourceArns []string `query:"ResourceArns"`
}

type describeTagsOutput struct {
	TagDescriptions list[wireTagDescription] `xml:"TagDescriptions"`
}

type wireTagDescription struct {
	ResourceArn string        `xml:"ResourceArn"`
	Tags        list[wireTag] `xml:"Tags"`
}

// tagged is a resource's tags as read, with a way to write new ones at the revision read.
type tagged struct {
	tags []elb.Tag
	put  func(txn *store.Txn, tags []elb.Tag) error
}

func (a *API) tagged(ctx context.Context, arn string) (tagged, error) {
	switch elb.TypeOf(arn) {
	case elb.ResourceLoadBalancer:
		it, err := a.loadBalancer(ctx, arn)
		return tagged{it.Value.Tags, func(txn *store.Txn, tags []elb.Tag) error {
			it.Value.Tags = tags
			return a.store.LoadBalancers.Put(txn, it.ID, it.Value, it.Revision)
		}}, err
	case elb.ResourceTargetGroup:
		it, err := a.targetGroup(ctx, arn)
		return tagged{it.Value.Tags, func(txn *store.Txn, tags []elb.Tag) error {
			it.Value.Tags = tags
			return a.store.TargetGroups.Put(txn, it.ID, it.Value, it.Revision)
		}}, err
	case elb.ResourceListener:
		it, err := a.listener(ctx, arn)
		return tagged{it.Value.Tags, func(txn *store.Txn, tags []elb.Tag) error {
			it.Value.Tags = tags
			return a.store.Listeners.Put(txn, it.ID, it.Value, it.Revision)
		}}, err
	case elb.ResourceRule:
		it, err := a.rule(ctx, arn)
		return tagged{it.Value.Tags, func(txn *store.Txn, tags []elb.Tag) error {
			it.Value.Tags = tags
			return a.store.Rules.Put(txn, it.ID, it.Value, it.Revision)
		}}, err
	}
	return tagged{}, errdefs.InvalidArgument("'%s' is not a valid load balancer, target group, listener or rule ARN", clip(arn))
}

func checkResourceARNs(arns []string) error {
	if len(arns) == 0 {
		return errdefs.InvalidArgument("At least one resource ARN must be specified")
	}
	if len(arns) > maxTagResources {
		return errdefs.InvalidArgument("At most %d resource ARNs can be specified", maxTagResources)
	}
	return nil
}

// retag changes the tags of every resource in arns with fn, all in one transaction.
func (a *API) retag(ctx context.Context, arns []string, fn func([]elb.Tag) ([]elb.Tag, error)) error {
	_, err := retry(func() (struct{}, error) {
		var txn store.Txn
		done := map[string]bool{}
		for _, arn := range arns {
			if done[arn] {
				continue
			}
			done[arn] = true
			t, err := a.tagged(ctx, arn)
			if err != nil {
				return struct{}{}, err
			}
			next, err := fn(t.tags)
			if err != nil {
				return struct{}{}, err
			}
			if err := t.put(&txn, next); err != nil {
				return struct{}{}, err
			}
		}
		_, err := a.store.Commit(ctx, &txn)
		return struct{}{}, err
	})
	return err
}

func (a *API) addTags(ctx context.Context, in *addTagsInput) (*emptyOutput, error) {
	if err := checkResourceARNs(in.ResourceArns); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, errdefs.InvalidArgument("At least one tag must be specified")
	}
	add, err := tagsFromWire(in.Tags)
	if err != nil {
		return nil, err
	}
	if err := elb.ValidateTagRequest(add); err != nil {
		return nil, err
	}
	err = a.retag(ctx, in.ResourceArns, func(tags []elb.Tag) ([]elb.Tag, error) { return elb.AddTags(tags, add) })
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) removeTags(ctx context.Context, in *removeTagsInput) (*emptyOutput, error) {
	if err := checkResourceARNs(in.ResourceArns); err != nil {
		return nil, err
	}
	if len(in.TagKeys) == 0 {
		return nil, errdefs.InvalidArgument("At least one tag key must be specified")
	}
	err := a.retag(ctx, in.ResourceArns, func(tags []elb.Tag) ([]elb.Tag, error) { return elb.RemoveTags(tags, in.TagKeys), nil })
	if err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) describeTags(ctx context.Context, in *describeTagsInput) (*describeTagsOutput, error) {
	if err := checkResourceARNs(in.ResourceArns); err != nil {
		return nil, err
	}
	out := &describeTagsOutput{TagDescriptions: list[wireTagDescription]{}}
	for _, arn := range in.ResourceArns {
		t, err := a.tagged(ctx, arn)
		if err != nil {
			return nil, err
		}
		out.TagDescriptions = append(out.TagDescriptions, wireTagDescription{ResourceArn: arn, Tags: tagsToWire(t.tags)})
	}
	return out, nil
}
