package console

import (
	"fmt"
	"net/http"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (c *Console) createRepository(r *http.Request, sess *session) (string, error) {
	f := form{r: r}
	name := f.text("name", "Repository name", true)
	if f.err != nil {
		return "", in("ecr", f.err)
	}
	if c.deps.Actions.ECR == nil {
		return "", errdefs.FailedPrecondition("This server has no ECR API.")
	}
	if err := c.allow(r, sess, "ecr:CreateRepository", c.cfg.Scope.New("ecr", "repository/"+name).String()); err != nil {
		return "", err
	}
	if _, err := c.deps.Actions.ECR.CreateRepository(r.Context(), name); err != nil {
		return "", in("ecr", err)
	}
	return "/repositories", nil
}

// startDeployment deploys a task definition revision to a blue/green service through its
// deployment group, with the AppSpec the seed's pipeline writes.
func (c *Console) startDeployment(r *http.Request, sess *session) (string, error) {
	cluster, name := r.PathValue("cluster"), r.PathValue("service")
	f := form{r: r}
	td := f.text("taskDefinition", "Task definition", true)
	if f.err != nil {
		return "", in("codedeploy", f.err)
	}
	svc, err := c.deps.Store.Services.Get(r.Context(), store.ServiceID(cluster, name))
	if err != nil {
		return "", in("ecs", notFound(err, ecs.ErrServiceNotFound, "Service "+name+" not found."))
	}
	lbs := svc.Value.LoadBalancers
	if len(lbs) == 0 {
		return "", in("codedeploy", errdefs.InvalidArgument("Service %s has no load balancer to shift traffic on.", name))
	}
	app, group := "AppECS-"+cluster+"-"+name, "DgpECS-"+cluster+"-"+name
	if err := c.allow(r, sess, "codedeploy:CreateDeployment", c.cfg.Scope.New("codedeploy", "deploymentgroup:"+app+"/"+group).String()); err != nil {
		return "", err
	}
	content := appSpec(td, lbs[0].ContainerName, lbs[0].ContainerPort)
	rev := codedeploy.Revision{Type: "AppSpecContent", Content: content, SHA256: codedeploy.ContentSHA256(content)}
	id, err := c.deps.Actions.CodeDeploy.CreateDeployment(r.Context(), app, group, rev, "Deployed from the fargo console")
	if err != nil {
		return "", in("codedeploy", err)
	}
	return pathTo("codedeploy", "deployments", id), nil
}

// appSpec is the ECS AppSpec of a deployment of taskDefinition behind container:port.
func appSpec(taskDefinition, container string, port int) string {
	return fmt.Sprintf(`version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "%s"
        LoadBalancerInfo:
          ContainerName: "%s"
          ContainerPort: %d
`, taskDefinition, container, port)
}

func (c *Console) continueDeployment(r *http.Request, sess *session) (string, error) {
	return c.steer(r, sess, "codedeploy:ContinueDeployment", func(id string) error {
		return c.deps.Actions.CodeDeploy.ContinueDeployment(r.Context(), id, "READY_WAIT")
	})
}

// terminateOriginal ends the termination wait now, as the AWS console's "Terminate original
// task set" does: ContinueDeployment with TERMINATION_WAIT.
func (c *Console) terminateOriginal(r *http.Request, sess *session) (string, error) {
	return c.steer(r, sess, "codedeploy:ContinueDeployment", func(id string) error {
		return c.deps.Actions.CodeDeploy.ContinueDeployment(r.Context(), id, "TERMINATION_WAIT")
	})
}

func (c *Console) stopDeployment(r *http.Request, sess *session) (string, error) {
	return c.steer(r, sess, "codedeploy:StopDeployment", func(id string) error {
		return c.deps.Actions.CodeDeploy.StopDeployment(r.Context(), id, true)
	})
}

// steer authorizes action on the deployment of the path and runs fn on it.
func (c *Console) steer(r *http.Request, sess *session, action string, fn func(id string) error) (string, error) {
	id := r.PathValue("id")
	it, err := c.deps.Store.Deployments.Get(r.Context(), id)
	if err != nil {
		return "", in("codedeploy", notFound(err, codedeploy.ErrDeploymentNotFound, "The deployment "+id+" does not exist."))
	}
	d := it.Value
	if err := c.allow(r, sess, action, c.cfg.Scope.New("codedeploy", "deploymentgroup:"+d.ApplicationName+"/"+d.DeploymentGroupName).String()); err != nil {
		return "", err
	}
	if err := fn(id); err != nil {
		return "", in("codedeploy", err)
	}
	return pathTo("codedeploy", "deployments", id), nil
}
