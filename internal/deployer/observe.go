package deployer

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// recordTarget records the deployment's task sets as ECS reports them once the step was
// applied: the service is read again when the step changed it.
func (c *Controller) recordTarget(ctx context.Context, o Observation, step *Step) error {
	svc, found := o.Service, o.ServiceFound
	if len(step.Actions) > 0 {
		s := o.Deployment.ECSService
		it, err := c.st.Services.Get(ctx, store.ServiceID(s.ClusterName, s.ServiceName))
		switch {
		case err == nil:
			svc, found = it.Value, true
		case errors.Is(err, errdefs.ErrNotFound):
			found = false
		default:
			return err
		}
	}
	if found {
		recordTaskSets(&step.Deployment, svc, o.Tasks)
	}
	return nil
}

// recordTaskSets records d's task sets as ECS reports them in svc (status, desired, pending
// and running tasks), with the share of production traffic the deployment gave each, for its
// target (GetDeploymentTarget). The deployer keeps them because it is the one that reads the
// service and moves the traffic: the CodeDeploy API reads no ECS state, and a target then
// reports one moment's task sets and weights together. A task set that has left the service
// keeps its last status, with no tasks.
func recordTaskSets(d *codedeploy.Deployment, svc ecs.Service, tasks []ecs.Task) {
	p := d.Progress
	if p.BlueTaskSetID == "" && p.GreenTaskSetID == "" {
		return
	}
	counts := ecs.CountTasks(tasks, func(t ecs.Task) string { return t.DeploymentID })
	var sets []codedeploy.TaskSetInfo
	add := func(id, label, group string, weight int) {
		if id == "" {
			return
		}
		info := codedeploy.TaskSetInfo{ID: id, Label: label, TargetGroup: targetGroupName(group), TrafficWeight: weight}
		if i := slices.IndexFunc(d.TaskSets, func(t codedeploy.TaskSetInfo) bool { return t.ID == id }); i >= 0 {
			info.Status = d.TaskSets[i].Status
		}
		if ts, ok := svc.TaskSet(id); ok {
			info.Status, info.DesiredCount = string(ts.Status), svc.TaskSetDesiredCount(ts)
		}
		c := counts[id]
		info.PendingCount, info.RunningCount = c.Pending, c.Running
		sets = append(sets, info)
	}
	add(p.BlueTaskSetID, codedeploy.LabelBlue, p.BlueTargetGroup, 100-p.GreenWeight)
	add(p.GreenTaskSetID, codedeploy.LabelGreen, p.GreenTargetGroup, p.GreenWeight)
	d.TaskSets = sets
}

// targetChanged tells whether what a deployment's target reports differs between a and b.
func targetChanged(a, b codedeploy.Deployment) bool {
	return a.TargetStatus() != b.TargetStatus() || !slices.Equal(a.Events, b.Events) || !slices.Equal(a.TaskSets, b.TaskSets)
}

// targetGroupName is the name of the target group groupARN.
func targetGroupName(groupARN string) string {
	ref, err := elb.ParseTargetGroupARN(groupARN)
	if err != nil {
		return groupARN
	}
	return ref.Name
}
