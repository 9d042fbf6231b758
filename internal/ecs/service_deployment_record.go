package ecs

import (
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// ServiceDeploymentStatus is the status of a service deployment.
type ServiceDeploymentStatus string

// Service deployment statuses, as ECS reports them.
const (
	SDPending            ServiceDeploymentStatus = "PENDING"
	SDInProgress         ServiceDeploymentStatus = "IN_PROGRESS"
	SDSuccessful         ServiceDeploymentStatus = "SUCCESSFUL"
	SDStopped            ServiceDeploymentStatus = "STOPPED"
	SDStopRequested      ServiceDeploymentStatus = "STOP_REQUESTED"
	SDRollbackRequested  ServiceDeploymentStatus = "ROLLBACK_REQUESTED"
	SDRollbackInProgress ServiceDeploymentStatus = "ROLLBACK_IN_PROGRESS"
	SDRollbackSuccessful ServiceDeploymentStatus = "ROLLBACK_SUCCESSFUL"
	SDRollbackFailed     ServiceDeploymentStatus = "ROLLBACK_FAILED"
)

// Done reports whether a service deployment ended.
func (s ServiceDeploymentStatus) Done() bool {
	return s == SDSuccessful || s == SDStopped || s == SDRollbackSuccessful || s == SDRollbackFailed
}

// RollingBack reports whether a service deployment is being rolled back, or was asked to be.
func (s ServiceDeploymentStatus) RollingBack() bool {
	return s == SDRollbackRequested || s == SDRollbackInProgress
}

// Lifecycle stages of a service deployment, in the order a native deployment passes them.
const (
	StageReconcileService           = "RECONCILE_SERVICE"
	StagePreScaleUp                 = "PRE_SCALE_UP"
	StageScaleUp                    = "SCALE_UP"
	StagePostScaleUp                = "POST_SCALE_UP"
	StageTestTrafficShift           = "TEST_TRAFFIC_SHIFT"
	StagePostTestTrafficShift       = "POST_TEST_TRAFFIC_SHIFT"
	StageProductionTrafficShift     = "PRODUCTION_TRAFFIC_SHIFT"
	StagePostProductionTrafficShift = "POST_PRODUCTION_TRAFFIC_SHIFT"
	StageBakeTime                   = "BAKE_TIME"
	StageCleanUp                    = "CLEAN_UP"
)

// Stop types of StopServiceDeployment.
const (
	StopTypeRollback = "ROLLBACK"
	StopTypeAbort    = "ABORT"
)

// Statuses of a lifecycle hook of a service deployment.
const (
	HookAwaitingAction = "AWAITING_ACTION"
	HookInProgress     = "IN_PROGRESS"
	HookSucceeded      = "SUCCEEDED"
	HookFailed         = "FAILED"
	HookTimedOut       = "TIMED_OUT"
)

// Statuses of a rollback monitor (the circuit breaker, alarms).
const (
	MonitorTriggered  = "TRIGGERED"
	MonitorMonitoring = "MONITORING"
	MonitorComplete   = "MONITORING_COMPLETE"
	MonitorDisabled   = "DISABLED"
)

// RevisionSummary is a service revision's part in a service deployment: its tasks and the
// share of traffic it is meant to get.
type RevisionSummary struct {
	ARN                     string
	RequestedTaskCount      int
	RunningTaskCount        int
	PendingTaskCount        int
	TestTrafficWeight       float64
	ProductionTrafficWeight float64
}

// DeploymentRollback says why and when a service deployment began to roll back, and to which
// revision.
type DeploymentRollback struct {
	Reason             string
	StartedAt          time.Time
	ServiceRevisionARN string
}

// RollbackMonitor is the state of one of a deployment's rollback triggers.
type RollbackMonitor struct {
	Status       string
	FailureCount int
	Threshold    int
	AlarmNames   []string
	Triggered    []string
}

// HookDetail is one lifecycle hook's run at one stage of a service deployment.
type HookDetail struct {
	HookID        string
	TargetType    string
	TargetARN     string
	Status        string
	ExpiresAt     time.Time
	TimeoutAction string
	Stage         string
	// Action is what ContinueServiceDeployment asked of a PAUSE hook: CONTINUE or ROLLBACK.
	Action string
}

// ServiceDeployment is one deployment of a service as ListServiceDeployments and
// DescribeServiceDeployments report it: every deployment of an ECS-controller service has one.
// For a native (blue/green, linear, canary) deployment it also holds the deployer's progress.
type ServiceDeployment struct {
	ARN         string
	ServiceARN  string
	ClusterARN  string
	ClusterName string
	ServiceName string
	// DeploymentID is the deployment (of the service's deployments[]) it rolls out;
	// SourceDeploymentIDs are those it replaces.
	DeploymentID        string
	SourceDeploymentIDs []string
	Strategy            string

	Status         ServiceDeploymentStatus
	StatusReason   string
	LifecycleStage string
	// StageStartedAt is when the current stage began; ShiftedAt when production traffic last
	// moved (the current step of a linear or canary shift began).
	StageStartedAt time.Time
	ShiftedAt      time.Time

	CreatedAt  time.Time
	StartedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt time.Time
	StoppedAt  time.Time

	Target                  RevisionSummary
	Sources                 []RevisionSummary
	DeploymentConfiguration DeploymentConfiguration
	Rollback                DeploymentRollback
	CircuitBreaker          RollbackMonitor
	Alarms                  RollbackMonitor
	Hooks                   []HookDetail
	// Traffic is the pair a native deployment moves traffic between, fixed when it begins.
	Traffic NativeTraffic
}

// NativeTraffic is what a native deployment moves traffic with: the listener rules and the
// target group of the new revision (green) and of the one it replaces (blue).
type NativeTraffic struct {
	ProductionRule string
	TestRule       string
	Green          string
	Blue           string
}

// NewServiceDeployment returns the service deployment that rolls out deployment d of s,
// replacing the other deployments s runs now.
func NewServiceDeployment(scope arn.Scope, s Service, d Deployment, at time.Time) ServiceDeployment {
	sd := ServiceDeployment{
		ARN: ServiceDeploymentARN(scope, s.ClusterName, s.Name, d.ID), ServiceARN: s.ARN, ClusterARN: s.ClusterARN,
		ClusterName: s.ClusterName, ServiceName: s.Name, DeploymentID: d.ID, Strategy: d.Strategy,
		Status: SDPending, CreatedAt: d.CreatedAt, UpdatedAt: at, StageStartedAt: at,
		Target:                  RevisionSummary{ARN: ServiceRevisionARN(scope, s.ClusterName, s.Name, d.ID), RequestedTaskCount: d.DesiredCount},
		DeploymentConfiguration: s.DeploymentConfiguration,
		CircuitBreaker:          RollbackMonitor{Status: MonitorDisabled},
		Alarms:                  RollbackMonitor{Status: MonitorDisabled},
	}
	if sd.Strategy == "" {
		sd.Strategy = StrategyRolling
	}
	if s.DeploymentConfiguration.CircuitBreakerEnable {
		sd.CircuitBreaker = RollbackMonitor{Status: MonitorMonitoring, Threshold: BreakerThreshold(d.DesiredCount)}
	}
	if c := s.DeploymentConfiguration; c.AlarmsEnable {
		sd.Alarms = RollbackMonitor{Status: MonitorMonitoring, AlarmNames: c.AlarmNames}
	}
	for _, o := range s.Deployments {
		if o.ID != d.ID {
			sd.SourceDeploymentIDs = append(sd.SourceDeploymentIDs, o.ID)
			sd.Sources = append(sd.Sources, RevisionSummary{ARN: ServiceRevisionARN(scope, s.ClusterName, s.Name, o.ID), RequestedTaskCount: o.DesiredCount})
		}
	}
	return sd
}

// RequestStop is StopServiceDeployment: a deployment in progress is asked to roll back. ABORT
// is refused: fargo never leaves a deployment half done (DESIGN.md, invariant 6).
func RequestStop(sd ServiceDeployment, stopType string, at time.Time) (ServiceDeployment, error) {
	switch stopType {
	case "", StopTypeRollback:
	case StopTypeAbort:
		return sd, errdefs.InvalidArgument("stopType ABORT is not supported: a service deployment is stopped by rolling it back (stopType ROLLBACK).")
	default:
		return sd, invalidValue("stopType", stopType, "ABORT, ROLLBACK")
	}
	if sd.Status.Done() || sd.Status.RollingBack() {
		return sd, errdefs.Detail(ErrServiceDeploymentConflict, "The service deployment %s has ended or is being rolled back: it cannot be stopped.", sd.ARN)
	}
	if sd.LifecycleStage == StageCleanUp {
		return sd, errdefs.Detail(ErrServiceDeploymentConflict, "The service deployment %s is in CLEAN_UP: the previous revision is gone and cannot take traffic back.", sd.ARN)
	}
	sd.Status = SDRollbackRequested
	sd.StatusReason = "Service deployment rolled back because of StopServiceDeployment."
	sd.Rollback = DeploymentRollback{Reason: "StopServiceDeployment requested a rollback.", StartedAt: at}
	sd.UpdatedAt = at
	return sd, nil
}

// ContinueHook is ContinueServiceDeployment: the PAUSE hook hookID, awaiting action, goes on
// (CONTINUE, the default) or rolls the deployment back (ROLLBACK).
func ContinueHook(sd ServiceDeployment, hookID, action string, at time.Time) (ServiceDeployment, error) {
	switch action {
	case "":
		action = HookContinue
	case HookContinue, HookRollback:
	default:
		return sd, invalidValue("action", action, "CONTINUE, ROLLBACK")
	}
	if sd.Status.Done() || sd.Status.RollingBack() {
		return sd, errdefs.Detail(ErrServiceDeploymentConflict, "The service deployment %s is %s.", sd.ARN, sd.Status)
	}
	for i, h := range sd.Hooks {
		if h.HookID != hookID {
			continue
		}
		if h.Status != HookAwaitingAction || h.Action != "" {
			return sd, errdefs.InvalidArgument("The lifecycle hook %s is not awaiting action.", hookID)
		}
		sd.Hooks = append([]HookDetail(nil), sd.Hooks...)
		sd.Hooks[i].Action = action
		sd.UpdatedAt = at
		return sd, nil
	}
	return sd, errdefs.InvalidArgument("The service deployment %s has no lifecycle hook %s.", sd.ARN, hookID)
}
