package console

import (
	"net/http"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

type listenerRow struct {
	Listener elb.Listener
	Rules    []elb.Rule
}

type loadBalancerRow struct {
	LoadBalancer elb.LoadBalancer
	Listeners    []listenerRow
}

type loadBalancersView struct {
	LoadBalancers []loadBalancerRow
	TargetNames   []string
}

func (c *Console) loadBalancersPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	lbs, _, err := c.deps.Store.LoadBalancers.List(ctx, "")
	if err != nil {
		return err
	}
	var v loadBalancersView
	for _, lb := range values(lbs) {
		row := loadBalancerRow{LoadBalancer: lb}
		listeners, _, err := c.deps.Store.Listeners.List(ctx, store.LoadBalancerPrefix(elb.LoadBalancerRef{Name: lb.Name, ID: lb.ID}))
		if err != nil {
			return err
		}
		for _, l := range values(listeners) {
			rules, _, err := c.deps.Store.Rules.List(ctx, store.ListenerPrefix(elb.ListenerRef{LoadBalancer: elb.LoadBalancerRef{Name: lb.Name, ID: lb.ID}, ID: l.ID}))
			if err != nil {
				return err
			}
			row.Listeners = append(row.Listeners, listenerRow{Listener: l, Rules: values(rules)})
		}
		v.LoadBalancers = append(v.LoadBalancers, row)
	}
	if v.TargetNames, err = c.targetGroupNames(r); err != nil {
		return err
	}
	c.render(w, r, sess, http.StatusOK, "loadbalancers", "Load balancers", v)
	return nil
}

type targetGroupRow struct {
	Group   elb.TargetGroup
	Targets []elb.Registration
}

func (c *Console) targetGroupsPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	groups, _, err := c.deps.Store.TargetGroups.List(ctx, "")
	if err != nil {
		return err
	}
	var rows []targetGroupRow
	for _, g := range values(groups) {
		regs, _, err := c.deps.Store.TargetRegistrations.List(ctx, store.TargetGroupPrefix(g.Name))
		if err != nil {
			return err
		}
		rows = append(rows, targetGroupRow{Group: g, Targets: values(regs)})
	}
	c.render(w, r, sess, http.StatusOK, "targetgroups", "Target groups", rows)
	return nil
}

// targetGroupNames are the names of the target groups, for forms that pick one.
func (c *Console) targetGroupNames(r *http.Request) ([]string, error) {
	groups, _, err := c.deps.Store.TargetGroups.List(r.Context(), "")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Value.Name
	}
	return names, nil
}

type repositoryRow struct {
	Repository ecr.Repository
	Images     []ecr.Image
}

type repositoriesView struct {
	Available    bool
	Repositories []repositoryRow
}

func (c *Console) repositoriesPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	v := repositoriesView{Available: c.deps.Actions.ECR != nil}
	repos, _, err := c.deps.Store.Repositories.List(r.Context(), "")
	if err != nil {
		return err
	}
	for _, repo := range values(repos) {
		if repo.Deleting {
			continue
		}
		row := repositoryRow{Repository: repo}
		if c.deps.Images != nil {
			if row.Images, err = c.deps.Images.Images(r.Context(), repo.Name); err != nil {
				return err
			}
		}
		v.Repositories = append(v.Repositories, row)
	}
	c.render(w, r, sess, http.StatusOK, "repositories", "ECR repositories", v)
	return nil
}
