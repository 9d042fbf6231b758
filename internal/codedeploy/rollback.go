package codedeploy

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CreatorRollback is the creator of the deployments CodeDeploy makes to roll others back.
const CreatorRollback = "codeDeployRollback"

// RollbackConfigName is the configuration of rollback deployments: CodeDeploy returns all
// production traffic to the original task set at once, whatever the group's configuration.
const RollbackConfigName = "CodeDeployDefault.ECSAllAtOnce"

// On tells whether a deployment rolls back automatically on event.
func (a AutoRollback) On(event string) bool {
	return a.Enabled && slices.Contains(a.Events, event)
}

// IsRollback tells whether d is a rollback deployment, which is never rolled back itself.
func (d Deployment) IsRollback() bool { return d.Creator == CreatorRollback }

// NewRollback returns the deployment, with id, that rolls d back at now, and records it on d:
// a new deployment of rev (the revision of the original task set) to d's group that returns all
// production traffic to d's original task set, makes it PRIMARY and deletes d's replacement.
// In the rollback, d's replacement is the original (Blue) and d's original the replacement
// (Green): the task set it deploys. d must have chosen its task sets.
func NewRollback(d *Deployment, id string, rev Revision, now time.Time) (Deployment, error) {
	spec, err := CheckRevision(rev)
	if err != nil {
		return Deployment{}, err
	}
	rev.SHA256 = ContentSHA256(rev.Content)
	p := d.Progress
	r := Deployment{
		ID: id, ApplicationName: d.ApplicationName, DeploymentGroupName: d.DeploymentGroupName,
		DeploymentConfigName: RollbackConfigName, Status: StatusCreated, Creator: CreatorRollback, CreateTime: now,
		Revision: rev, PreviousRevision: d.PreviousRevision, AppSpec: spec,
		TrafficRouting: TrafficRouting{Type: RoutingAllAtOnce}, BlueGreen: d.BlueGreen, AutoRollback: d.AutoRollback,
		ECSService: d.ECSService, Pair: d.Pair,
		RollbackTriggeringDeploymentID: d.ID,
		RollbackMessage:                fmt.Sprintf("Deployment %s is triggered to roll back deployment %s.", id, d.ID),
		Progress: Progress{
			Phase:         PhaseRollback,
			BlueTaskSetID: p.GreenTaskSetID, BlueTargetGroup: p.GreenTargetGroup,
			GreenTaskSetID: p.BlueTaskSetID, GreenTargetGroup: p.BlueTargetGroup,
			GreenWeight: 100 - p.GreenWeight, PhaseSince: now,
		},
	}
	for _, name := range LifecycleEventNames {
		r.Events = append(r.Events, LifecycleEvent{Name: name, Status: EventPending})
	}
	d.RollbackDeploymentID = id
	d.RollbackMessage = fmt.Sprintf("Deployment %s terminated. Automatic rollback is triggered with a DeploymentId %s.", d.ID, id)
	return r, nil
}

// PhaseRollback is the one phase of a rollback deployment (Progress.Phase).
const PhaseRollback = "Rollback"

// AppSpecOf returns the AppSpec, as YAML, of a task set of taskDefinition that serves
// container's port behind the load balancer: the revision of a rollback to a task set that no
// deployment made (the one ECS created with the service).
func AppSpecOf(taskDefinition, container string, port int) string {
	return "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n" +
		"        TaskDefinition: " + strconv.Quote(taskDefinition) + "\n" +
		"        LoadBalancerInfo:\n          ContainerName: " + strconv.Quote(container) + "\n" +
		"          ContainerPort: " + strconv.Itoa(port) + "\n"
}
