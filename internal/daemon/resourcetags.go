package daemon

import (
	"context"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// storeResourceTags returns the tags of the resource an ARN names, read from st, for the
// condition key aws:ResourceTag/<key>: ECS clusters and services, ECR repositories, ELB load
// balancers and target groups. Other resources, and resources that do not exist, have none.
// root is the home region's view; a resource of another region is read from its region's view.
func storeResourceTags(root *store.Store, home string) func(ctx context.Context, resourceARN string) map[string]string {
	return func(ctx context.Context, resourceARN string) map[string]string {
		a, err := arn.Parse(resourceARN)
		if err != nil {
			return nil
		}
		st := regionView(root, home, a.Region)
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

// regionView is the view of region of the store whose home region's view is root: root itself
// for the home region (and for "", a global resource's region).
func regionView(root *store.Store, home, region string) *store.Store {
	if region == "" || region == home {
		return root
	}
	return root.In(region)
}

// storeDeployments reads a CodeDeploy deployment of region from the store whose home region's
// view is root, for the authorizer.
func storeDeployments(root *store.Store, home string) func(ctx context.Context, region, id string) (store.Item[codedeploy.Deployment], error) {
	return func(ctx context.Context, region, id string) (store.Item[codedeploy.Deployment], error) {
		return regionView(root, home, region).Deployments.Get(ctx, id)
	}
}
