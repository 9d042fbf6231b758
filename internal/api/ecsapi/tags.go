package ecsapi

import (
	"context"
	"errors"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

type tagResourceInput struct {
	ResourceArn *string   `json:"resourceArn"`
	Tags        []wireTag `json:"tags"`
}

type untagResourceInput struct {
	ResourceArn *string  `json:"resourceArn"`
	TagKeys     []string `json:"tagKeys"`
}

type listTagsForResourceInput struct {
	ResourceArn *string `json:"resourceArn"`
}

type listTagsForResourceOutput struct {
	Tags []wireTag `json:"tags"`
}

type emptyOutput struct{}

func (a *API) tagResource(ctx context.Context, in *tagResourceInput) (*emptyOutput, error) {
	if in.Tags == nil {
		return nil, errdefs.InvalidArgument("tags must be specified.")
	}
	add := tagsFromWire(in.Tags)
	if err := ecs.ValidateTags(add); err != nil {
		return nil, err
	}
	err := a.updateTags(ctx, in.ResourceArn, func(tags []ecs.Tag) ([]ecs.Tag, error) {
		merged := ecs.MergeTags(tags, add)
		return merged, ecs.ValidateTags(merged)
	})
	return &emptyOutput{}, err
}

func (a *API) untagResource(ctx context.Context, in *untagResourceInput) (*emptyOutput, error) {
	if in.TagKeys == nil {
		return nil, errdefs.InvalidArgument("tagKeys must be specified.")
	}
	err := a.updateTags(ctx, in.ResourceArn, func(tags []ecs.Tag) ([]ecs.Tag, error) {
		return ecs.RemoveTags(tags, in.TagKeys), nil
	})
	return &emptyOutput{}, err
}

func (a *API) listTagsForResource(ctx context.Context, in *listTagsForResourceInput) (*listTagsForResourceOutput, error) {
	var tags []ecs.Tag
	err := a.withTaggable(in.ResourceArn, taggable{
		cluster: func(name string) error {
			c, err := a.store.Clusters.Get(ctx, name)
			if err == nil && c.Value.Status != ecs.ClusterActive {
				return ecs.ErrResourceNotFound
			}
			tags = c.Value.Tags
			return err
		},
		taskDefinition: func(id string) error {
			td, err := a.store.TaskDefinitions.Get(ctx, id)
			tags = td.Value.Tags
			return err
		},
		service: func(id string) error {
			s, err := a.store.Services.Get(ctx, id)
			tags = s.Value.Tags
			return err
		},
		task: func(id string) error {
			t, err := a.store.Tasks.Get(ctx, id)
			tags = t.Value.Tags
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return &listTagsForResourceOutput{Tags: tagsToWire(tags)}, nil
}

// updateTags applies fn to the tags of the resource an ARN names.
func (a *API) updateTags(ctx context.Context, resourceARN *string, fn func([]ecs.Tag) ([]ecs.Tag, error)) error {
	return a.withTaggable(resourceARN, taggable{
		cluster: func(name string) error {
			_, err := a.store.Clusters.Update(ctx, name, func(c *ecs.Cluster) error {
				if c.Status != ecs.ClusterActive {
					return ecs.ErrResourceNotFound
				}
				tags, err := fn(c.Tags)
				c.Tags = tags
				return err
			})
			return err
		},
		taskDefinition: func(id string) error {
			_, err := a.store.TaskDefinitions.Update(ctx, id, func(td *ecs.TaskDefinition) error {
				tags, err := fn(td.Tags)
				td.Tags = tags
				return err
			})
			return err
		},
		service: func(id string) error {
			_, err := a.store.Services.Update(ctx, id, func(s *ecs.Service) error {
				tags, err := fn(s.Tags)
				s.Tags = tags
				return err
			})
			return err
		},
		task: func(id string) error {
			_, err := a.store.Tasks.Update(ctx, id, func(t *ecs.Task) error {
				tags, err := fn(t.Tags)
				t.Tags = tags
				return err
			})
			return err
		},
	})
}

// taggable has one function per kind of resource that carries tags; each gets the resource's
// store ID.
type taggable struct {
	cluster        func(name string) error
	taskDefinition func(id string) error
	service        func(id string) error
	task           func(id string) error
}

// withTaggable calls the function of t for the kind of resource resourceARN names (the
// functions hold the request's context).
func (a *API) withTaggable(resourceARN *string, t taggable) error {
	if resourceARN == nil || *resourceARN == "" {
		return errdefs.InvalidArgument("resourceArn must be specified.")
	}
	parsed, err := arn.Parse(*resourceARN)
	if err != nil || parsed.Service != "ecs" || parsed.Region != a.scope.Region || parsed.AccountID != a.scope.AccountID {
		return errdefs.InvalidArgument("The ARN %s is not valid.", *resourceARN)
	}
	switch parsed.ResourceType() {
	case "cluster":
		err = t.cluster(parsed.ResourceID())
	case "task-definition":
		ref, perr := ecs.ParseTaskDefinitionRef(parsed.ResourceID())
		family, rev := ref.Family, ref.Revision
		if perr != nil || rev == 0 {
			return errdefs.InvalidArgument("The ARN %s is not valid.", *resourceARN)
		}
		err = t.taskDefinition(taskDefinitionID(family, rev))
	case "service", "task":
		cluster, name, ok := strings.Cut(parsed.ResourceID(), "/")
		if !ok || cluster == "" || name == "" || strings.Contains(name, "/") {
			return errdefs.InvalidArgument("Long arn format must be used for tagging operations.")
		}
		if parsed.ResourceType() == "service" {
			err = t.service(store.ServiceID(cluster, name))
		} else {
			err = t.task(store.TaskID(cluster, name))
		}
	default:
		return errdefs.InvalidArgument("The ARN %s is not a taggable ECS resource.", *resourceARN)
	}
	if errors.Is(err, errdefs.ErrNotFound) {
		return ecs.ErrResourceNotFound
	}
	return err
}
