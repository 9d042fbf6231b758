package ecrapi

import (
	"context"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

type tagResourceInput struct {
	ResourceArn *string   `json:"resourceArn"`
	Tags        []wireTag `json:"tags"`
}

type untagResourceInput struct {
	ResourceArn *string  `json:"resourceArn"`
	TagKeys     []string `json:"tagKeys"`
}

type resourceInput struct {
	ResourceArn *string `json:"resourceArn"`
}

type listTagsForResourceOutput struct {
	Tags []wireTag `json:"tags"`
}

type emptyOutput struct{}

// repositoryOfARN returns the name of the repository an ARN of this registry names.
func (a *API) repositoryOfARN(s *string) (string, error) {
	parsed, err := arn.Parse(awsproto.Deref(s))
	if err != nil || parsed.Service != "ecr" || parsed.ResourceType() != "repository" || parsed.AccountID != a.registryID() ||
		parsed.Region != a.scope.Region || !strings.HasPrefix(parsed.Resource, "repository/") {
		return "", errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN %q: it must name a repository of this registry (arn:%s:ecr:%s:%s:repository/<name>)'",
			awsproto.Deref(s), a.scope.Partition, a.scope.Region, a.registryID())
	}
	return strings.TrimPrefix(parsed.Resource, "repository/"), nil
}

func (a *API) tagResource(ctx context.Context, in *tagResourceInput) (*emptyOutput, error) {
	name, err := a.repositoryOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	add := tagsFromWire(in.Tags)
	if err := ecr.ValidateTags(add); err != nil {
		return nil, err
	}
	if _, err := a.update(ctx, name, func(r *ecr.Repository) error {
		merged := ecr.MergeTags(r.Tags, add)
		if len(merged) > ecr.MaxTags {
			return ecr.ErrTooManyTags
		}
		r.Tags = merged
		return nil
	}); err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) untagResource(ctx context.Context, in *untagResourceInput) (*emptyOutput, error) {
	name, err := a.repositoryOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	for _, k := range in.TagKeys {
		if k == "" || len(k) > 128 {
			return nil, errdefs.Detail(ecr.ErrInvalidTagParameter, "Tag keys must be between 1 and 128 characters.")
		}
	}
	if _, err := a.update(ctx, name, func(r *ecr.Repository) error {
		r.Tags = ecr.RemoveTags(r.Tags, in.TagKeys)
		return nil
	}); err != nil {
		return nil, err
	}
	return &emptyOutput{}, nil
}

func (a *API) listTagsForResource(ctx context.Context, in *resourceInput) (*listTagsForResourceOutput, error) {
	name, err := a.repositoryOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	it, err := a.repository(ctx, nil, &name)
	if err != nil {
		return nil, err
	}
	return &listTagsForResourceOutput{Tags: tagsToWire(it.Value.Tags)}, nil
}
