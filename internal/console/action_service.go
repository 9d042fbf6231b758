package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// serviceForm is what the create-service form asks.
type serviceForm struct {
	service ecs.Service
	taskDef string
	// blueGreen is the deployment group to create with the service, when it deploys through
	// CodeDeploy.
	blueGreen *codedeploy.DeploymentGroup
}

// createService creates a service as the seed does: rolling, or blue/green with the
// CodeDeploy application AppECS-<cluster>-<service> and deployment group
// DgpECS-<cluster>-<service>. Every field is checked, with the domain's own checks, before
// anything is written.
func (c *Console) createService(r *http.Request, sess *session) (string, error) {
	sf, err := c.readServiceForm(r)
	if err != nil {
		return "", err
	}
	s := sf.service
	if err := c.allow(r, sess, "ecs:CreateService", c.cfg.Scope.New("ecs", "service/"+s.ClusterName+"/"+s.Name).String()); err != nil {
		return "", err
	}
	if g := sf.blueGreen; g != nil {
		if err := c.checkNewGroup(r.Context(), *g); err != nil {
			return "", err
		}
		if err := c.allow(r, sess, "codedeploy:CreateApplication", c.cfg.Scope.New("codedeploy", "application:"+g.ApplicationName).String()); err != nil {
			return "", err
		}
		if err := c.allow(r, sess, "codedeploy:CreateDeploymentGroup", c.cfg.Scope.New("codedeploy", "deploymentgroup:"+g.ApplicationName+"/"+g.Name).String()); err != nil {
			return "", err
		}
	}
	if _, err := c.deps.Actions.ECS.CreateService(r.Context(), s, sf.taskDef); err != nil {
		return "", in("ecs", err)
	}
	if g := sf.blueGreen; g != nil {
		if _, err := c.deps.Actions.CodeDeploy.CreateApplication(r.Context(), g.ApplicationName, codedeploy.PlatformECS); err != nil && !errors.Is(err, codedeploy.ErrApplicationExists) {
			return "", in("codedeploy", err)
		}
		if _, err := c.deps.Actions.CodeDeploy.CreateDeploymentGroup(r.Context(), *g); err != nil {
			return "", in("codedeploy", err)
		}
	}
	return pathTo("clusters", s.ClusterName, "services", s.Name), nil
}

func (c *Console) readServiceForm(r *http.Request) (serviceForm, error) {
	f := form{r: r}
	cluster := r.PathValue("cluster")
	s := ecs.Service{
		Name: f.text("serviceName", "Service name", true), ClusterName: cluster,
		DesiredCount: f.number("desiredCount", "Desired tasks", 0, 10000, 1, true),
		LaunchType:   string(ecs.CompatibilityFargate), SchedulingStrategy: ecs.SchedulingReplica,
		DeploymentController: ecs.ControllerECS,
	}
	sf := serviceForm{taskDef: f.text("taskDefinition", "Task definition", true)}
	blueGreen := r.PostFormValue("deploymentType") == "bluegreen"
	tg := f.text("targetGroup", "Target group", blueGreen)
	container := f.text("containerName", "Container name", tg != "")
	port := f.number("containerPort", "Container port", 1, 65535, 0, tg != "")
	if f.err != nil {
		return serviceForm{}, in("ecs", f.err)
	}
	if tg != "" {
		group, err := c.deps.Store.TargetGroups.Get(r.Context(), tg)
		if errors.Is(err, errdefs.ErrNotFound) {
			return serviceForm{}, in("ecs", errdefs.InvalidArgument("Target group %s does not exist.", tg))
		} else if err != nil {
			return serviceForm{}, err
		}
		s.LoadBalancers = []ecs.LoadBalancer{{TargetGroupARN: group.Value.ARN, ContainerName: container, ContainerPort: port}}
	}
	if blueGreen {
		s.DeploymentController = ecs.ControllerCodeDeploy
		g, err := c.groupFromForm(&f, s, tg)
		if err != nil {
			return serviceForm{}, err
		}
		sf.blueGreen = &g
	}
	s.DeploymentConfiguration = ecs.DefaultDeploymentConfiguration(s.SchedulingStrategy, s.DeploymentController)
	sf.service = s
	return sf, nil
}

// groupFromForm is the deployment group of a blue/green service, named as the AWS console
// names it, checked by the domain.
func (c *Console) groupFromForm(f *form, s ecs.Service, blue string) (codedeploy.DeploymentGroup, error) {
	green := f.text("secondTargetGroup", "Second target group", true)
	listener := f.text("prodListener", "Production listener", true)
	g := codedeploy.DeploymentGroup{
		ApplicationName: "AppECS-" + s.ClusterName + "-" + s.Name, Name: "DgpECS-" + s.ClusterName + "-" + s.Name,
		ComputePlatform:      codedeploy.PlatformECS,
		ServiceRoleARN:       "arn:aws:iam::" + c.cfg.Scope.AccountID + ":role/ecsCodeDeployRole",
		DeploymentConfigName: f.text("deploymentConfig", "Deployment configuration", true),
		DeploymentType:       codedeploy.StyleBlueGreen, DeploymentOption: codedeploy.OptionWithTraffic,
		BlueGreen: codedeploy.BlueGreenConfiguration{
			TerminationAction: codedeploy.TerminationTerminate, ReadyActionOnTimeout: codedeploy.ReadyContinueDeployment,
			TerminationWaitMinutes: f.number("terminationWait", "Termination wait", 0, 2880, 60, false),
		},
		TargetGroupPairs: []codedeploy.TargetGroupPair{{TargetGroups: []string{blue, green}, ProdListenerARNs: []string{listener}}},
		ECSServices:      []codedeploy.ECSService{{ClusterName: s.ClusterName, ServiceName: s.Name}},
		AutoRollback:     codedeploy.AutoRollback{Enabled: true, Events: []string{codedeploy.RollbackOnFailure, codedeploy.RollbackOnStopRequested}},
	}
	if f.err != nil {
		return g, in("codedeploy", f.err)
	}
	g, err := codedeploy.ValidateDeploymentGroup(g)
	return g, in("codedeploy", err)
}

// checkNewGroup refuses a blue/green service whose target groups, listener or deployment
// group name would make CreateDeploymentGroup fail after the service exists.
func (c *Console) checkNewGroup(ctx context.Context, g codedeploy.DeploymentGroup) error {
	st := c.deps.Store
	for _, name := range g.TargetGroupPairs[0].TargetGroups {
		if _, err := st.TargetGroups.Get(ctx, name); err != nil {
			return in("codedeploy", notFound(err, codedeploy.ErrInvalidTargetGroupPair, "Target group "+name+" does not exist."))
		}
	}
	if _, err := st.DeploymentGroups.Get(ctx, store.DeploymentGroupID(g.ApplicationName, g.Name)); err == nil {
		return in("codedeploy", codedeploy.ErrDeploymentGroupExists)
	} else if !errors.Is(err, errdefs.ErrNotFound) {
		return err
	}
	if _, ok := codedeploy.PredefinedConfig(g.DeploymentConfigName); ok {
		return nil
	}
	_, err := st.DeploymentConfigs.Get(ctx, g.DeploymentConfigName)
	return in("codedeploy", notFound(err, codedeploy.ErrDeploymentConfigNotFound, "No deployment configuration named "+g.DeploymentConfigName+"."))
}
