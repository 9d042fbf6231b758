package daemon

import (
	"context"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// storeResourceTags returns the tags of the resource an ARN names, read from st, for the
// condition key aws:ResourceTag/<key>: ECS clusters and services, ECR repositories, ELB load
// balancers and target groups. Other resources, and resources that do not exist, have none.
func storeResourceTags(st *store.Store) func(ctx context.Context, resourceARN string) map[string]string {
	return func(ctx context.Context, resourceARN string) map[string]string {
		a, err := arn.Parse(resourceARN)
		if err != nil {
			return nil
		}
		kind, rest, _ := strings.Cut(a.Resource, "/")
		parts := strings.Split(rest, "/")
		var tags []tagset.Tag
		switch a.Service + ":" + kind {
		case "ecs:cluster":
			it, err := st.Clusters.Get(ctx, rest)
			tags = tagsIf(it.Value.Tags, err)
		case "ecs:service":
			if len(parts) == 2 {
				it, err := st.Services.Get(ctx, store.ServiceID(parts[0], parts[1]))
				tags = tagsIf(it.Value.Tags, err)
			}
		case "ecr:repository":
			it, err := st.Repositories.Get(ctx, rest)
			tags = tagsIf(it.Value.Tags, err)
		case "elasticloadbalancing:loadbalancer":
			if len(parts) == 3 { // app/<name>/<id>
				it, err := st.LoadBalancers.Get(ctx, parts[1])
				tags = tagsIf(it.Value.Tags, err)
			}
		case "elasticloadbalancing:targetgroup":
			if len(parts) == 2 { // <name>/<id>
				it, err := st.TargetGroups.Get(ctx, parts[0])
				tags = tagsIf(it.Value.Tags, err)
			}
		}
		return tagset.Map(tags)
	}
}

func tagsIf(tags []tagset.Tag, err error) []tagset.Tag {
	if err != nil {
		return nil
	}
	return tags
}
