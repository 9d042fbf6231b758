package console

import (
	"errors"
	"net/http"
	"slices"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// revisionRow sums what runs of one deployment or task set: tasks, health and the traffic
// fargo's load balancer counted for them.
type revisionRow struct {
	ID                string
	Label             string
	Status            string
	TaskDefinitionARN string
	Desired           int
	Counts            ecs.TaskCounts
	Healthy           int
	Traffic           ecs.TrafficStats
	Weight            int
	HasWeight         bool
}

type serviceView struct {
	Service   ecs.Service
	Counts    ecs.TaskCounts
	Revisions []revisionRow
	Tasks     []ecs.Task
	Events    []ecs.ServiceEvent
	// TaskDefinitions are the ARNs of the ACTIVE revisions of the service's family, newest
	// first: what it can be updated or deployed to.
	TaskDefinitions []string
	Deployments     []codedeploy.Deployment
	// Group is the deployment group of a blue/green service, as the console names it.
	Group string
}

func (c *Console) servicePage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	cluster, name := r.PathValue("cluster"), r.PathValue("service")
	it, err := c.deps.Store.Services.Get(ctx, store.ServiceID(cluster, name))
	if err != nil {
		return in("ecs", notFound(err, ecs.ErrServiceNotFound, "Service "+name+" not found in cluster "+cluster+"."))
	}
	s := it.Value
	tasks, err := c.tasks(r, cluster+"/")
	if err != nil {
		return err
	}
	tasks = slices.DeleteFunc(tasks, func(t ecs.Task) bool { return t.ServiceName != s.Name })
	v := serviceView{Service: s, Tasks: tasks, Events: s.Events}
	if len(v.Events) > 20 {
		v.Events = v.Events[:20]
	}
	v.Revisions = revisionsOf(s, tasks)
	for _, t := range tasks {
		v.Counts = v.Counts.Add(t)
	}
	if v.TaskDefinitions, err = c.revisionARNs(r, familyOf(s.TaskDefinitionARN)); err != nil {
		return err
	}
	if s.DeploymentController == ecs.ControllerCodeDeploy {
		v.Group = "DgpECS-" + cluster + "-" + name
		if v.Deployments, err = c.deploymentsOf(r, cluster+":"+name); err != nil {
			return err
		}
	}
	c.render(w, r, sess, http.StatusOK, "service", "Service "+name, v)
	return nil
}

// revisionsOf are the service's deployments (rolling) or task sets (blue/green), each with its
// tasks summed.
func revisionsOf(s ecs.Service, tasks []ecs.Task) []revisionRow {
	var rows []revisionRow
	if s.RunsTaskSets() {
		for _, ts := range s.TaskSets {
			rows = append(rows, revisionRow{ID: ts.ID, Label: ts.ExternalID, Status: string(ts.Status), TaskDefinitionARN: ts.TaskDefinitionARN,
				Desired: int(float64(s.DesiredCount)*ts.Scale/100 + 0.5)})
		}
	} else {
		for _, d := range s.Deployments {
			rows = append(rows, revisionRow{ID: d.ID, Status: string(d.Status) + " · " + string(d.RolloutState), TaskDefinitionARN: d.TaskDefinitionARN, Desired: d.DesiredCount})
		}
	}
	for i := range rows {
		for _, t := range tasks {
			if t.DeploymentID != rows[i].ID {
				continue
			}
			rows[i].Counts = rows[i].Counts.Add(t)
			rows[i].Traffic = rows[i].Traffic.Add(t.Traffic)
			if t.CountsAsRunning() && (t.TargetHealth == ecs.HealthHealthy || (!t.LoadBalanced && t.HealthStatus != ecs.HealthUnhealthy)) {
				rows[i].Healthy++
			}
		}
	}
	return rows
}

// deploymentsOf are the CodeDeploy deployments of the ECS service with target id, newest first.
func (c *Console) deploymentsOf(r *http.Request, target string) ([]codedeploy.Deployment, error) {
	items, _, err := c.deps.Store.Deployments.List(r.Context(), "")
	if err != nil {
		return nil, err
	}
	var out []codedeploy.Deployment
	for _, it := range items {
		if target == "" || it.Value.ECSTargetID() == target {
			out = append(out, it.Value)
		}
	}
	slices.SortFunc(out, func(a, b codedeploy.Deployment) int { return b.CreateTime.Compare(a.CreateTime) })
	return out, nil
}

type taskView struct {
	Task ecs.Task
}

func (c *Console) taskPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	id := store.TaskID(r.PathValue("cluster"), r.PathValue("task"))
	it, err := c.deps.Store.Tasks.Get(r.Context(), id)
	if err != nil {
		return in("ecs", notFound(err, ecs.ErrTaskNotFound, "Task "+r.PathValue("task")+" not found."))
	}
	c.render(w, r, sess, http.StatusOK, "task", "Task "+it.Value.ID, taskView{Task: it.Value})
	return nil
}

// notFound turns the store's not-found error into sentinel, detailed with msg; other errors
// stay as they are.
func notFound(err, sentinel error, msg string) error {
	if errors.Is(err, errdefs.ErrNotFound) {
		return errdefs.Detail(sentinel, "%s", msg)
	}
	return err
}
