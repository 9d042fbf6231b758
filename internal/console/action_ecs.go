package console

import (
	"net/http"
	"strings"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (c *Console) createCluster(r *http.Request, sess *session) (string, error) {
	f := form{r: r}
	name := f.text("clusterName", "Cluster name", true)
	if f.err != nil {
		return "", in("ecs", f.err)
	}
	if err := c.allow(r, sess, "ecs:CreateCluster", c.cfg.Scope.New("ecs", "cluster/"+name).String()); err != nil {
		return "", err
	}
	cl, err := c.deps.Actions.ECS.CreateCluster(r.Context(), ecs.Cluster{Name: name})
	if err != nil {
		return "", in("ecs", err)
	}
	return pathTo("clusters", cl.Name), nil
}

func (c *Console) registerTaskDefinition(r *http.Request, sess *session) (string, error) {
	td, err := taskDefinitionFromForm(r)
	if err != nil {
		return "", in("ecs", err)
	}
	return c.register(r, sess, td)
}

func (c *Console) registerTaskDefinitionJSON(r *http.Request, sess *session) (string, error) {
	f := form{r: r}
	doc := f.text("document", "The task definition JSON", true)
	if f.err != nil {
		return "", in("ecs", f.err)
	}
	td, err := c.deps.Actions.ECS.DecodeTaskDefinition([]byte(doc))
	if err != nil {
		return "", in("ecs", err)
	}
	return c.register(r, sess, td)
}

func (c *Console) register(r *http.Request, sess *session, td ecs.TaskDefinition) (string, error) {
	if err := c.allow(r, sess, "ecs:RegisterTaskDefinition", "*"); err != nil {
		return "", err
	}
	saved, err := c.deps.Actions.ECS.RegisterTaskDefinition(r.Context(), td)
	if err != nil {
		return "", in("ecs", err)
	}
	return pathTo("task-definitions", saved.Family, itoa(saved.Revision)), nil
}

// taskDefinitionFromForm is the Fargate task definition of the form's common fields: one
// essential container.
func taskDefinitionFromForm(r *http.Request) (ecs.TaskDefinition, error) {
	f := form{r: r}
	ctr := ecs.ContainerDefinition{
		Name:      f.text("containerName", "Container name", true),
		Image:     f.text("image", "Image", true),
		Essential: true,
	}
	if cmd := f.text("command", "Command", false); cmd != "" {
		ctr.Command = strings.Fields(cmd)
	}
	if port := f.number("containerPort", "Container port", 1, 65535, 0, false); port > 0 {
		ctr.PortMappings = []ecs.PortMapping{{ContainerPort: port, Protocol: ecs.TransportProtocolTCP}}
	}
	for line := range strings.Lines(f.text("environment", "Environment", false)) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok && f.err == nil {
			f.err = errdefs.InvalidArgument("Each environment line is NAME=value; %q is not.", line)
		}
		ctr.Environment = append(ctr.Environment, ecs.KeyValuePair{Name: name, Value: value})
	}
	td := ecs.TaskDefinition{
		Family:                  f.text("family", "Family", true),
		CPU:                     f.text("cpu", "CPU", false),
		Memory:                  f.text("memory", "Memory", false),
		NetworkMode:             ecs.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecs.Compatibility{ecs.CompatibilityFargate},
		ContainerDefinitions:    []ecs.ContainerDefinition{ctr},
	}
	return td, f.err
}

func (c *Console) updateService(r *http.Request, sess *session) (string, error) {
	cluster, name := r.PathValue("cluster"), r.PathValue("service")
	f := form{r: r}
	td := f.text("taskDefinition", "Task definition", false)
	desired := f.number("desiredCount", "Desired tasks", 0, 10000, -1, false)
	if f.err != nil {
		return "", in("ecs", f.err)
	}
	if err := c.allow(r, sess, "ecs:UpdateService", c.cfg.Scope.New("ecs", "service/"+cluster+"/"+name).String()); err != nil {
		return "", err
	}
	if err := c.deps.Actions.ECS.UpdateService(r.Context(), cluster, name, td, desired); err != nil {
		return "", in("ecs", err)
	}
	return pathTo("clusters", cluster, "services", name), nil
}

func (c *Console) stopTask(r *http.Request, sess *session) (string, error) {
	cluster, id := r.PathValue("cluster"), r.PathValue("task")
	f := form{r: r}
	reason := f.text("reason", "Reason", false)
	if err := c.allow(r, sess, "ecs:StopTask", c.cfg.Scope.New("ecs", "task/"+cluster+"/"+id).String()); err != nil {
		return "", err
	}
	if err := c.deps.Actions.ECS.StopTask(r.Context(), cluster, id, reason); err != nil {
		return "", in("ecs", err)
	}
	back := pathTo("clusters", cluster, "tasks", id)
	if it, err := c.deps.Store.Tasks.Get(r.Context(), store.TaskID(cluster, id)); err == nil && it.Value.ServiceName != "" {
		back = pathTo("clusters", cluster, "services", it.Value.ServiceName)
	}
	return back, nil
}
