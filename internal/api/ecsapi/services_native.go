package ecsapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

// checkNativeRoutes checks what a native deployment of s will need of the load balancer, as
// ECS does when the service is created or updated: each listener rule of advancedConfiguration
// exists, and the production rule forwards to the service's target group or its alternate.
func (a *API) checkNativeRoutes(ctx context.Context, s ecs.Service) error {
	for _, lb := range s.LoadBalancers {
		adv := lb.Advanced
		if !adv.Given() {
			continue
		}
		groups, err := a.ruleForwards(ctx, adv.ProductionListenerRule)
		if err != nil {
			return err
		}
		if !slices.Contains(groups, lb.TargetGroupARN) && !slices.Contains(groups, adv.AlternateTargetGroupARN) {
			return errdefs.InvalidArgument("The production listener rule %s does not forward to target group %s.", adv.ProductionListenerRule, lb.TargetGroupARN)
		}
		if adv.TestListenerRule != "" {
			if _, err := a.ruleForwards(ctx, adv.TestListenerRule); err != nil {
				return err
			}
		}
	}
	return nil
}

// ruleForwards returns the target groups listener rule ruleARN forwards to.
func (a *API) ruleForwards(ctx context.Context, ruleARN string) ([]string, error) {
	missing := errdefs.InvalidArgument("The listener rule %s does not exist.", ruleARN)
	parsed, err := arn.Parse(ruleARN)
	if err != nil {
		return nil, missing
	}
	// The rule's store ID is the end of its ARN: <lb-name>/<lb-id>/<listener-id>/<rule-id>.
	id, ok := strings.CutPrefix(parsed.Resource, "listener-rule/app/")
	if !ok {
		return nil, missing
	}
	it, err := a.store.Rules.Get(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) || (err == nil && it.Value.ARN != ruleARN) {
		return nil, missing
	}
	if err != nil {
		return nil, err
	}
	var groups []string
	for _, act := range it.Value.Actions {
		for _, g := range act.Forward.TargetGroups {
			groups = append(groups, g.ARN)
		}
	}
	return groups, nil
}
