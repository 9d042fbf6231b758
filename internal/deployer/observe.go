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

// observe records the deployment's task sets as ECS reports them now (status, desired, pending
// and running tasks), with the share of production traffic the deployment gave each, for its
// target (GetDeploymentTarget). The deployer keeps them because it is the one that reads the
// service and moves the traffic: the CodeDeploy API reads no ECS state, and a target then
// reports one moment's task sets and weights together. A task set that has left the service
// keeps its last status, with no tasks.
func (r *run) observe(ctx context.Context) error {
	p := r.d.Progress
	if p.BlueTaskSetID == "" && p.GreenTaskSetID == "" {
		return nil
	}
	s := r.d.ECSService
	svc, err := r.c.st.Services.Get(ctx, store.ServiceID(s.ClusterName, s.ServiceName))
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil // the deployment fails on it; the target keeps what was last seen
	}
	if err != nil {
		return err
	}
	tasks, _, err := r.c.st.Tasks.List(ctx, s.ClusterName+"/")
	if err != nil {
		return err
	}
	counts := ecs.CountTasks(taskValues(tasks, s.ServiceName), func(t ecs.Task) string { return t.DeploymentID })
	var sets []codedeploy.TaskSetInfo
	add := func(id, label, group string, weight int) {
		if id == "" {
			return
		}
		info := codedeploy.TaskSetInfo{ID: id, Label: label, TargetGroup: targetGroupName(group), TrafficWeight: weight}
		if i := slices.IndexFunc(r.d.TaskSets, func(t codedeploy.TaskSetInfo) bool { return t.ID == id }); i >= 0 {
			info.Status = r.d.TaskSets[i].Status
		}
		if ts, ok := svc.Value.TaskSet(id); ok {
			info.Status, info.DesiredCount = string(ts.Status), svc.Value.TaskSetDesiredCount(ts)
		}
		c := counts[id]
		info.PendingCount, info.RunningCount = c.Pending, c.Running
		sets = append(sets, info)
	}
	add(p.BlueTaskSetID, codedeploy.LabelBlue, p.BlueTargetGroup, 100-p.GreenWeight)
	add(p.GreenTaskSetID, codedeploy.LabelGreen, p.GreenTargetGroup, p.GreenWeight)
	r.d.TaskSets = sets
	return nil
}

func taskValues(items []store.Item[ecs.Task], service string) []ecs.Task {
	out := make([]ecs.Task, 0, len(items))
	for _, it := range items {
		if it.Value.ServiceName == service {
			out = append(out, it.Value)
		}
	}
	return out
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
