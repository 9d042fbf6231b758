package ecsapi

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Attributes of container instances: PutAttributes, ListAttributes and DeleteAttributes. The
// agent registers ECS's own attributes (ecs.*) and the node's custom ones; these calls add,
// list and remove attributes of the instances, which placement constraints match.

// maxAttributesPerCall is how many attributes one PutAttributes or DeleteAttributes call may
// carry, and maxCustomAttributes how many custom attributes an instance may have.
const (
	maxAttributesPerCall = 10
	maxCustomAttributes  = 10
)

var (
	errTargetNotFound = errdefs.NotFound("Could not find the specified target.")
	errAttributeLimit = errdefs.LimitExceeded("You can specify up to 10 custom attributes per resource.")

	attributeNamePattern  = regexp.MustCompile(`^[a-zA-Z0-9_./\\-]{1,128}$`)
	attributeValuePattern = regexp.MustCompile(`^[a-zA-Z0-9_./\\:@ -]{1,128}$`)
)

// instanceOperations are the operations on container instances beyond listing and describing.
func (a *API) instanceOperations() map[string]awsproto.Handler {
	return map[string]awsproto.Handler{
		"UpdateContainerInstancesState": awsproto.JSON(a.updateContainerInstancesState),
		"PutAttributes":                 awsproto.JSON(a.putAttributes),
		"ListAttributes":                awsproto.JSON(a.listAttributes),
		"DeleteAttributes":              awsproto.JSON(a.deleteAttributes),
	}
}

type attributesInput struct {
	Cluster    *string         `json:"cluster"`
	Attributes []wireAttribute `json:"attributes"`
}

type attributesOutput struct {
	Attributes []wireAttribute `json:"attributes"`
}

type listAttributesInput struct {
	Cluster        *string `json:"cluster"`
	TargetType     *string `json:"targetType"`
	AttributeName  *string `json:"attributeName"`
	AttributeValue *string `json:"attributeValue"`
	NextToken      *string `json:"nextToken"`
	MaxResults     *int32  `json:"maxResults"`
}

type listAttributesOutput struct {
	Attributes []wireAttribute `json:"attributes"`
	NextToken  *string         `json:"nextToken,omitempty"`
}

func (a *API) putAttributes(ctx context.Context, in *attributesInput) (*attributesOutput, error) {
	return a.changeAttributes(ctx, in, true)
}

func (a *API) deleteAttributes(ctx context.Context, in *attributesInput) (*attributesOutput, error) {
	return a.changeAttributes(ctx, in, false)
}

// changeAttributes puts (or deletes) each attribute on the container instance it targets.
func (a *API) changeAttributes(ctx context.Context, in *attributesInput, put bool) (*attributesOutput, error) {
	if len(in.Attributes) == 0 || len(in.Attributes) > maxAttributesPerCall {
		return nil, errdefs.InvalidArgument("attributes must hold between 1 and %d attributes.", maxAttributesPerCall)
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	for _, w := range in.Attributes {
		if err := checkAttribute(w, put); err != nil {
			return nil, err
		}
	}
	for _, w := range in.Attributes {
		id, ok := a.clusterChild(awsproto.Deref(w.TargetId), "container-instance", cluster.Name)
		if !ok {
			return nil, errdefs.Detail(errTargetNotFound, "Could not find the target %s.", awsproto.Deref(w.TargetId))
		}
		attr := ecs.Attribute{Name: awsproto.Deref(w.Name), Value: awsproto.Deref(w.Value)}
		_, err := a.store.ContainerInstances.Update(ctx, store.ContainerInstanceID(cluster.Name, id), func(ci *ecs.ContainerInstance) error {
			return applyAttribute(ci, attr, put)
		})
		if errors.Is(err, errdefs.ErrNotFound) && !errors.Is(err, errTargetNotFound) {
			return nil, errdefs.Detail(errTargetNotFound, "Could not find the target %s.", awsproto.Deref(w.TargetId))
		}
		if err != nil {
			return nil, err
		}
	}
	return &attributesOutput{Attributes: in.Attributes}, nil
}

// checkAttribute validates an attribute of PutAttributes (put) or DeleteAttributes.
func checkAttribute(w wireAttribute, put bool) error {
	name, value := awsproto.Deref(w.Name), awsproto.Deref(w.Value)
	if !attributeNamePattern.MatchString(name) {
		return errdefs.InvalidArgument("Attribute name %q must be 1 to 128 letters, numbers, hyphens, underscores, slashes, back slashes or periods.", name)
	}
	if put && value != "" && (!attributeValuePattern.MatchString(value) || strings.TrimSpace(value) != value) {
		return errdefs.InvalidArgument("Attribute value %q of %s is not a valid attribute value.", value, name)
	}
	if t := awsproto.Deref(w.TargetType); t != "" && t != string(ecs.TargetTypeContainerInstance) {
		return invalidEnum("targetType", t, "container-instance")
	}
	if awsproto.Deref(w.TargetId) == "" {
		return errdefs.InvalidArgument("Attribute %s needs a targetId: the container instance to apply it to.", name)
	}
	if strings.HasPrefix(name, "ecs.") {
		return errdefs.InvalidArgument("Attributes whose names begin with ecs. are reserved for Amazon ECS.")
	}
	return nil
}

// applyAttribute sets (put) or removes attr on ci; a new custom attribute beyond the limit
// fails.
func applyAttribute(ci *ecs.ContainerInstance, attr ecs.Attribute, put bool) error {
	if ci.Status == ecs.InstanceInactive {
		return errTargetNotFound
	}
	i := slices.IndexFunc(ci.Attributes, func(x ecs.Attribute) bool { return x.Name == attr.Name })
	switch {
	case !put && i < 0:
		return nil
	case !put:
		ci.Attributes = slices.Delete(slices.Clone(ci.Attributes), i, i+1)
	case i >= 0:
		ci.Attributes = slices.Clone(ci.Attributes)
		ci.Attributes[i] = attr
	default:
		custom := 0
		for _, x := range ci.Attributes {
			if !strings.HasPrefix(x.Name, "ecs.") {
				custom++
			}
		}
		if custom >= maxCustomAttributes {
			return errAttributeLimit
		}
		ci.Attributes = append(slices.Clone(ci.Attributes), attr)
	}
	ci.Version++
	return nil
}

// listAttributes lists the attributes of a cluster's container instances, each with its
// instance as target, filtered by name and value.
func (a *API) listAttributes(ctx context.Context, in *listAttributesInput) (*listAttributesOutput, error) {
	if t := awsproto.Deref(in.TargetType); t != string(ecs.TargetTypeContainerInstance) {
		return nil, invalidEnum("targetType", t, "container-instance")
	}
	name, value := awsproto.Deref(in.AttributeName), awsproto.Deref(in.AttributeValue)
	if value != "" && name == "" {
		return nil, errdefs.InvalidArgument("attributeValue needs attributeName.")
	}
	cluster, err := a.clusterOrDefault(ctx, in.Cluster, false)
	if err != nil {
		return nil, err
	}
	items, _, err := a.store.ContainerInstances.List(ctx, cluster.Name+"/")
	if err != nil {
		return nil, err
	}
	var all []wireAttribute
	for _, it := range items {
		if it.Value.Status == ecs.InstanceInactive {
			continue
		}
		for _, attr := range it.Value.Attributes {
			if (name == "" || attr.Name == name) && (value == "" || attr.Value == value) {
				attr.TargetType, attr.TargetID = ecs.TargetTypeContainerInstance, a.instanceARN(it.Value)
				all = append(all, attributeToWire(attr))
			}
		}
	}
	key := func(w wireAttribute) string { return awsproto.Deref(w.TargetId) + "\x00" + awsproto.Deref(w.Name) }
	slices.SortFunc(all, func(x, y wireAttribute) int { return strings.Compare(key(x), key(y)) })
	page, next, err := awsproto.Paginate(pages, all, awsproto.ByKey(key), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	if page == nil {
		page = []wireAttribute{}
	}
	return &listAttributesOutput{Attributes: page, NextToken: next}, nil
}
