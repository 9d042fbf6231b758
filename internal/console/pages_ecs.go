package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

func (c *Console) pageRoutes() {
	c.page("GET /{$}", "ecs:ListClusters", c.clustersPage)
	c.page("GET /clusters/{cluster}", "ecs:DescribeServices", c.clusterPage)
	c.page("GET /clusters/{cluster}/services/{service}", "ecs:DescribeServices", c.servicePage)
	c.page("GET /clusters/{cluster}/tasks/{task}", "ecs:DescribeTasks", c.taskPage)
	c.page("GET /task-definitions", "ecs:ListTaskDefinitions", c.taskDefinitionsPage)
	c.page("GET /task-definitions/{family}/{revision}", "ecs:DescribeTaskDefinition", c.taskDefinitionPage)
	c.page("GET /task-definitions/{family}/diff", "ecs:DescribeTaskDefinition", c.taskDefinitionDiffPage)
	c.page("GET /load-balancers", "elasticloadbalancing:DescribeLoadBalancers", c.loadBalancersPage)
	c.page("GET /target-groups", "elasticloadbalancing:DescribeTargetGroups", c.targetGroupsPage)
	c.page("GET /repositories", "ecr:DescribeRepositories", c.repositoriesPage)
	c.page("GET /codedeploy", "codedeploy:ListApplications", c.codeDeployPage)
	c.page("GET /codedeploy/deployments/{id}", "codedeploy:GetDeployment", c.deploymentPage)
}

type clusterRow struct {
	Cluster  ecs.Cluster
	Services int
	Tasks    ecs.TaskCounts
}

func (c *Console) clustersPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	clusters, _, err := c.deps.Store.Clusters.List(ctx, "")
	if err != nil {
		return err
	}
	services, _, err := c.deps.Store.Services.List(ctx, "")
	if err != nil {
		return err
	}
	tasks, err := c.tasks(r, "")
	if err != nil {
		return err
	}
	counts := ecs.CountTasks(tasks, func(t ecs.Task) string { return t.ClusterName })
	var rows []clusterRow
	for _, it := range clusters {
		if it.Value.Status != ecs.ClusterActive {
			continue
		}
		row := clusterRow{Cluster: it.Value, Tasks: counts[it.Value.Name]}
		for _, s := range services {
			if s.Value.ClusterName == it.Value.Name && s.Value.Status == ecs.ServiceActive {
				row.Services++
			}
		}
		rows = append(rows, row)
	}
	c.render(w, r, sess, http.StatusOK, "clusters", "Clusters", rows)
	return nil
}

// serviceRow is a service with its task counts and those of each deployment.
type serviceRow struct {
	Service ecs.Service
	Counts  ecs.TaskCounts
	ByDep   map[string]ecs.TaskCounts
}

type clusterView struct {
	Cluster     ecs.Cluster
	Services    []serviceRow
	Families    []string
	TargetNames []string
	Listeners   []listenerChoice
	Configs     []string
}

// listenerChoice is a listener in a form's list.
type listenerChoice struct {
	ARN   string
	Label string
}

func (c *Console) clusterPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	ctx := r.Context()
	cl, err := c.deps.Store.Clusters.Get(ctx, r.PathValue("cluster"))
	if err != nil {
		return in("ecs", notFound(err, ecs.ErrClusterNotFound, "Cluster "+r.PathValue("cluster")+" not found."))
	}
	services, _, err := c.deps.Store.Services.List(ctx, cl.Value.Name+"/")
	if err != nil {
		return err
	}
	tasks, err := c.tasks(r, cl.Value.Name+"/")
	if err != nil {
		return err
	}
	v := clusterView{Cluster: cl.Value}
	for _, s := range services {
		if s.Value.Status == ecs.ServiceInactive {
			continue
		}
		v.Services = append(v.Services, c.serviceRow(s.Value, tasks))
	}
	if v.Families, err = c.families(r); err != nil {
		return err
	}
	if v.TargetNames, err = c.targetGroupNames(r); err != nil {
		return err
	}
	if v.Listeners, err = c.listenerChoices(r); err != nil {
		return err
	}
	cfgs, err := c.deploymentConfigs(r)
	if err != nil {
		return err
	}
	v.Configs = configNames(cfgs)
	c.render(w, r, sess, http.StatusOK, "cluster", "Cluster "+cl.Value.Name, v)
	return nil
}

func (c *Console) serviceRow(s ecs.Service, tasks []ecs.Task) serviceRow {
	var mine []ecs.Task
	for _, t := range tasks {
		if t.ServiceName == s.Name {
			mine = append(mine, t)
		}
	}
	row := serviceRow{Service: s, ByDep: ecs.CountTasks(mine, func(t ecs.Task) string { return t.DeploymentID })}
	for _, t := range mine {
		row.Counts = row.Counts.Add(t)
	}
	return row
}

// tasks lists the tasks under prefix, newest first.
func (c *Console) tasks(r *http.Request, prefix string) ([]ecs.Task, error) {
	items, _, err := c.deps.Store.Tasks.List(r.Context(), prefix)
	if err != nil {
		return nil, err
	}
	tasks := values(items)
	slices.SortFunc(tasks, func(a, b ecs.Task) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return tasks, nil
}

// families are the task definition families, sorted.
func (c *Console) families(r *http.Request) ([]string, error) {
	fams, _, err := c.deps.Store.TaskDefinitionFamilies.List(r.Context(), "")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(fams))
	for _, f := range fams {
		names = append(names, f.Value.Name)
	}
	slices.Sort(names)
	return names, nil
}

func values[T any](items []store.Item[T]) []T {
	out := make([]T, len(items))
	for i, it := range items {
		out[i] = it.Value
	}
	return out
}

// listenerChoices are the listeners, named by load balancer and port.
func (c *Console) listenerChoices(r *http.Request) ([]listenerChoice, error) {
	ls, _, err := c.deps.Store.Listeners.List(r.Context(), "")
	if err != nil {
		return nil, err
	}
	out := make([]listenerChoice, len(ls))
	for i, it := range ls {
		lb, _, _ := strings.Cut(it.ID, "/")
		out[i] = listenerChoice{ARN: it.Value.ARN, Label: lb + " :" + strconv.Itoa(it.Value.Port) + " " + it.Value.Protocol}
	}
	return out, nil
}
