package codedeployapi

import (
	"context"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxTargets is how many target ids BatchGetDeploymentTargets takes.
const maxTargets = 25

type listDeploymentTargetsInput struct {
	DeploymentID *string `json:"deploymentId"`
	NextToken    *string `json:"nextToken"`
}

type listDeploymentTargetsOutput struct {
	TargetIDs []string `json:"targetIds"`
	NextToken *string  `json:"nextToken,omitempty"`
}

type batchGetDeploymentTargetsInput struct {
	DeploymentID *string  `json:"deploymentId"`
	TargetIDs    []string `json:"targetIds"`
}

type batchGetDeploymentTargetsOutput struct {
	DeploymentTargets []wireDeploymentTarget `json:"deploymentTargets"`
}

type getDeploymentTargetInput struct {
	DeploymentID *string `json:"deploymentId"`
	TargetID     *string `json:"targetId"`
}

type getDeploymentTargetOutput struct {
	DeploymentTarget *wireDeploymentTarget `json:"deploymentTarget,omitempty"`
}

// wireDeploymentTarget is the model's DeploymentTarget; fargo's are all ECS targets.
type wireDeploymentTarget struct {
	DeploymentTargetType *string        `json:"deploymentTargetType,omitempty"`
	EcsTarget            *wireECSTarget `json:"ecsTarget,omitempty"`
}

// wireECSTarget is the model's ECSTarget.
type wireECSTarget struct {
	DeploymentID    *string              `json:"deploymentId,omitempty"`
	TargetID        *string              `json:"targetId,omitempty"`
	TargetArn       *string              `json:"targetArn,omitempty"`
	LastUpdatedAt   *epochSeconds        `json:"lastUpdatedAt,omitempty"`
	LifecycleEvents []wireLifecycleEvent `json:"lifecycleEvents"`
	Status          *string              `json:"status,omitempty"`
	TaskSetsInfo    []wireECSTaskSet     `json:"taskSetsInfo"`
}

// wireLifecycleEvent is the model's LifecycleEvent.
type wireLifecycleEvent struct {
	LifecycleEventName *string          `json:"lifecycleEventName,omitempty"`
	Diagnostics        *wireDiagnostics `json:"diagnostics,omitempty"`
	StartTime          *epochSeconds    `json:"startTime,omitempty"`
	EndTime            *epochSeconds    `json:"endTime,omitempty"`
	Status             *string          `json:"status,omitempty"`
}

// wireDiagnostics is the model's Diagnostics; fargo reports a message only.
type wireDiagnostics struct {
	Message *string `json:"message,omitempty"`
}

// wireECSTaskSet is the model's ECSTaskSet. "identifer" is the model's spelling.
type wireECSTaskSet struct {
	Identifer     *string              `json:"identifer,omitempty"`
	DesiredCount  int64                `json:"desiredCount"`
	PendingCount  int64                `json:"pendingCount"`
	RunningCount  int64                `json:"runningCount"`
	Status        *string              `json:"status,omitempty"`
	TrafficWeight float64              `json:"trafficWeight"`
	TargetGroup   *wireTargetGroupInfo `json:"targetGroup,omitempty"`
	TaskSetLabel  *string              `json:"taskSetLabel,omitempty"`
}

func (a *API) listDeploymentTargets(ctx context.Context, in *listDeploymentTargetsInput) (*listDeploymentTargetsOutput, error) {
	d, err := a.deployment(ctx, awsproto.Deref(in.DeploymentID))
	if err != nil {
		return nil, err
	}
	return &listDeploymentTargetsOutput{TargetIDs: []string{d.ECSTargetID()}}, nil
}

func (a *API) batchGetDeploymentTargets(ctx context.Context, in *batchGetDeploymentTargetsInput) (*batchGetDeploymentTargetsOutput, error) {
	d, err := a.deployment(ctx, awsproto.Deref(in.DeploymentID))
	if err != nil {
		return nil, err
	}
	if len(in.TargetIDs) == 0 {
		return nil, codedeploy.ErrDeploymentTargetIDRequired
	}
	if len(in.TargetIDs) > maxTargets {
		return nil, errTargetListTooLong
	}
	out := &batchGetDeploymentTargetsOutput{DeploymentTargets: []wireDeploymentTarget{}}
	for _, id := range in.TargetIDs {
		t, err := a.target(d, id)
		if err != nil {
			return nil, err
		}
		out.DeploymentTargets = append(out.DeploymentTargets, t)
	}
	return out, nil
}

func (a *API) getDeploymentTarget(ctx context.Context, in *getDeploymentTargetInput) (*getDeploymentTargetOutput, error) {
	d, err := a.deployment(ctx, awsproto.Deref(in.DeploymentID))
	if err != nil {
		return nil, err
	}
	t, err := a.target(d, awsproto.Deref(in.TargetID))
	if err != nil {
		return nil, err
	}
	return &getDeploymentTargetOutput{DeploymentTarget: &t}, nil
}

// target is the deployment's ECS target with id, its only one.
func (a *API) target(d codedeploy.Deployment, id string) (wireDeploymentTarget, error) {
	if id == "" {
		return wireDeploymentTarget{}, codedeploy.ErrDeploymentTargetIDRequired
	}
	if id != d.ECSTargetID() {
		return wireDeploymentTarget{}, errdefs.Detail(codedeploy.ErrDeploymentTargetNotFound, "The deployment %s has no target %s; its target is %s.", d.ID, id, d.ECSTargetID())
	}
	return wireDeploymentTarget{DeploymentTargetType: ptr("ECSTarget"), EcsTarget: &wireECSTarget{
		DeploymentID: ptr(d.ID), TargetID: ptr(id), TargetArn: ptr(a.ecsServiceARN(d.ECSService)),
		LastUpdatedAt: awsproto.Epoch(lastUpdated(d)), LifecycleEvents: eventsToWire(d.Events),
		Status: ptr(d.TargetStatus()), TaskSetsInfo: taskSetsToWire(d.TaskSets),
	}}, nil
}

// lastUpdated is when what the target reports last changed, as the deployer recorded it; for
// a deployment it has not taken up yet, when it was created.
func lastUpdated(d codedeploy.Deployment) time.Time {
	if d.TargetUpdated.IsZero() {
		return d.CreateTime
	}
	return d.TargetUpdated
}

func eventsToWire(events []codedeploy.LifecycleEvent) []wireLifecycleEvent {
	out := make([]wireLifecycleEvent, 0, len(events))
	for _, e := range events {
		w := wireLifecycleEvent{
			LifecycleEventName: ptr(e.Name), Status: ptr(string(e.Status)),
			StartTime: awsproto.Epoch(e.Start), EndTime: awsproto.Epoch(e.End),
		}
		if e.Diagnostics != "" {
			w.Diagnostics = &wireDiagnostics{Message: ptr(e.Diagnostics)}
		}
		out = append(out, w)
	}
	return out
}

// taskSetsToWire reports the original (Blue) and replacement (Green) task sets as the deployer
// last recorded them: their status as ECS reports it, task counts, share of production traffic
// and target group.
func taskSetsToWire(sets []codedeploy.TaskSetInfo) []wireECSTaskSet {
	out := make([]wireECSTaskSet, 0, len(sets))
	for _, ts := range sets {
		out = append(out, wireECSTaskSet{
			Identifer: ptr(ts.ID), Status: optional(ts.Status), TaskSetLabel: ptr(ts.Label),
			DesiredCount: int64(ts.DesiredCount), PendingCount: int64(ts.PendingCount), RunningCount: int64(ts.RunningCount),
			TrafficWeight: float64(ts.TrafficWeight), TargetGroup: &wireTargetGroupInfo{Name: ptr(ts.TargetGroup)},
		})
	}
	return out
}
