package codedeploy

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Compute platforms. fargo deploys ECS services only; the others are named in errors.
const (
	PlatformECS    = "ECS"
	PlatformServer = "Server"
	PlatformLambda = "Lambda"
)

// Tag is a key and value on an application or deployment group.
type Tag struct {
	Key   string
	Value string
}

// Application is a CodeDeploy application: a name that deployment groups belong to.
type Application struct {
	Name            string
	ID              string // a UUID
	ComputePlatform string
	CreateTime      time.Time
	Tags            []Tag
}

// Traffic routing types of an ECS deployment configuration.
const (
	RoutingAllAtOnce = "AllAtOnce"
	RoutingCanary    = "TimeBasedCanary"
	RoutingLinear    = "TimeBasedLinear"
)

// TrafficRouting says how an ECS deployment moves production traffic to the replacement task
// set: all at once; Percentage first and the rest after IntervalMinutes (canary); or
// Percentage more every IntervalMinutes (linear).
type TrafficRouting struct {
	Type            string
	Percentage      int
	IntervalMinutes int
}

// DeploymentConfig is a named traffic routing, predefined or created by a user.
type DeploymentConfig struct {
	Name            string
	ID              string
	ComputePlatform string
	CreateTime      time.Time
	TrafficRouting  TrafficRouting
}

// Deployment styles; ECS deployment groups are always BLUE_GREEN WITH_TRAFFIC_CONTROL.
const (
	StyleBlueGreen          = "BLUE_GREEN"
	StyleInPlace            = "IN_PLACE"
	OptionWithTraffic       = "WITH_TRAFFIC_CONTROL"
	OptionWithoutTraffic    = "WITHOUT_TRAFFIC_CONTROL"
	TerminationTerminate    = "TERMINATE"
	TerminationKeepAlive    = "KEEP_ALIVE"
	ReadyContinueDeployment = "CONTINUE_DEPLOYMENT"
	ReadyStopDeployment     = "STOP_DEPLOYMENT"
)

// DeploymentGroup names the ECS service a deployment replaces, the target groups and
// listeners it moves traffic between, and how.
type DeploymentGroup struct {
	ApplicationName      string
	Name                 string
	ID                   string // a UUID
	ComputePlatform      string
	ServiceRoleARN       string
	DeploymentConfigName string
	DeploymentType       string
	DeploymentOption     string
	BlueGreen            BlueGreenConfiguration
	TargetGroupPairs     []TargetGroupPair
	ECSServices          []ECSService
	AutoRollback         AutoRollback
	Alarms               AlarmConfiguration
	Tags                 []Tag
	// LastAttempted and LastSuccessful are the ids of the group's newest deployment and of
	// its newest that succeeded.
	LastAttempted  string
	LastSuccessful string
}

// BlueGreenConfiguration is what happens around the traffic shift of an ECS deployment.
type BlueGreenConfiguration struct {
	// TerminationAction and TerminationWaitMinutes: whether, and how long after the shift,
	// the original task set is deleted.
	TerminationAction      string
	TerminationWaitMinutes int
	// ReadyActionOnTimeout and ReadyWaitMinutes: CONTINUE_DEPLOYMENT shifts traffic as soon
	// as the replacement is ready; STOP_DEPLOYMENT waits for ContinueDeployment, for at most
	// ReadyWaitMinutes, and then stops the deployment.
	ReadyActionOnTimeout string
	ReadyWaitMinutes     int
}

// TargetGroupPair is the two target groups (by name) that an ECS service's original and
// replacement task sets take turns on, with the production listener and an optional test
// listener (by ARN).
type TargetGroupPair struct {
	TargetGroups     []string
	ProdListenerARNs []string
	TestListenerARNs []string
}

// ECSService is the service a deployment group deploys.
type ECSService struct {
	ClusterName string
	ServiceName string
}

// Auto rollback events.
const (
	RollbackOnFailure       = "DEPLOYMENT_FAILURE"
	RollbackOnAlarm         = "DEPLOYMENT_STOP_ON_ALARM"
	RollbackOnStopRequested = "DEPLOYMENT_STOP_ON_REQUEST"
)

// AutoRollback says on which events a deployment rolls back.
type AutoRollback struct {
	Enabled bool
	Events  []string
}

// DeploymentStatus is the status of a deployment as GetDeployment reports it.
type DeploymentStatus string

// Deployment statuses.
const (
	StatusCreated    DeploymentStatus = "Created"
	StatusQueued     DeploymentStatus = "Queued"
	StatusInProgress DeploymentStatus = "InProgress"
	StatusReady      DeploymentStatus = "Ready"
	StatusSucceeded  DeploymentStatus = "Succeeded"
	StatusFailed     DeploymentStatus = "Failed"
	StatusStopped    DeploymentStatus = "Stopped"
)

// Done reports whether a deployment with this status has ended.
func (s DeploymentStatus) Done() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusStopped
}

// Error codes of a deployment's errorInformation.
const (
	ErrorHookFailure      = "HOOK_EXECUTION_FAILURE"
	ErrorTimeout          = "TIMEOUT"
	ErrorManualStop       = "MANUAL_STOP"
	ErrorECSUpdate        = "ECS_UPDATE_ERROR"
	ErrorInvalidECS       = "INVALID_ECS_SERVICE"
	ErrorInvalidELB       = "ELASTIC_LOAD_BALANCING_INVALID"
	ErrorInternal         = "INTERNAL_ERROR"
	ErrorAlarmActive      = "ALARM_ACTIVE"
	ErrorNoInstances      = "NO_INSTANCES"
	ErrorRevisionMissing  = "REVISION_MISSING"
	ErrorDeploymentGroupM = "DEPLOYMENT_GROUP_MISSING"
)

// LifecycleEventNames are the lifecycle events of an ECS deployment, in order. Only the
// Before/After ones take hooks.
var LifecycleEventNames = []string{
	"BeforeInstall", "Install", "AfterInstall", "AllowTestTraffic", "AfterAllowTestTraffic",
	"BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic",
}

// LifecycleEventStatus is the status of one lifecycle event.
type LifecycleEventStatus string

// Lifecycle event statuses.
const (
	EventPending    LifecycleEventStatus = "Pending"
	EventInProgress LifecycleEventStatus = "InProgress"
	EventSucceeded  LifecycleEventStatus = "Succeeded"
	EventFailed     LifecycleEventStatus = "Failed"
	EventSkipped    LifecycleEventStatus = "Skipped"
)

// LifecycleEvent is one step of a deployment's target.
type LifecycleEvent struct {
	Name        string
	Status      LifecycleEventStatus
	Start, End  time.Time
	Diagnostics string
}

// Revision is what a deployment deploys: an AppSpec given inline.
type Revision struct {
	Type    string // "AppSpecContent"
	Content string
	SHA256  string
}

// AppSpec is what fargo reads from an ECS AppSpec file.
type AppSpec struct {
	// TaskDefinition is the task definition (ARN) of the replacement task set.
	TaskDefinition  string
	ContainerName   string
	ContainerPort   int
	PlatformVersion string
	Network         *AwsvpcConfiguration
	// Hooks maps lifecycle events to the Lambda functions named for them.
	Hooks map[string]string
}

// AwsvpcConfiguration is the network of the replacement task set, as the AppSpec gives it.
type AwsvpcConfiguration struct {
	Subnets        []string
	SecurityGroups []string
	AssignPublicIP string
}

// Deployment is one CodeDeploy deployment of an ECS service: it installs a replacement (green)
// task set behind the pair's other target group, moves the production listener to it, and
// deletes the original (blue) task set, or rolls back. The deployer records in Progress what it
// did, so that it can resume or roll back after a restart.
type Deployment struct {
	ID                   string // "d-" and 9 upper-case letters and digits
	ApplicationName      string
	DeploymentGroupName  string
	DeploymentConfigName string
	Status               DeploymentStatus
	Creator              string
	Description          string
	CreateTime           time.Time
	StartTime            time.Time
	CompleteTime         time.Time
	Revision             Revision
	PreviousRevision     *Revision
	AppSpec              AppSpec
	// The group's settings as the deployment took them.
	TrafficRouting TrafficRouting
	BlueGreen      BlueGreenConfiguration
	AutoRollback   AutoRollback
	// Alarms are the group's alarm configuration when the deployment was created.
	Alarms     AlarmConfiguration
	ECSService ECSService
	Pair       TargetGroupPair

	ErrorCode    string
	ErrorMessage string
	// RollbackDeploymentID names the deployment that rolls this one back, when one does;
	// RollbackTriggeringDeploymentID, on a rollback deployment, the one it rolls back.
	RollbackDeploymentID           string
	RollbackTriggeringDeploymentID string
	// RollbackMessage says how the deployment was rolled back, or why it was not.
	RollbackMessage string
	StatusMessages  []string
	Events          []LifecycleEvent

	// TaskSets are the original and replacement task sets as the deployer last saw them, and
	// TargetUpdated when what the deployment's target reports last changed.
	TaskSets      []TaskSetInfo
	TargetUpdated time.Time

	// Requests from ContinueDeployment and StopDeployment, for the deployer.
	ContinueReady       bool
	SkipTerminationWait bool
	StopRequested       bool
	StopWithRollback    bool

	Progress Progress
}

// Progress is the deployer's record of an ECS deployment.
type Progress struct {
	Phase            string
	BlueTaskSetID    string
	GreenTaskSetID   string
	BlueTargetGroup  string // ARN
	GreenTargetGroup string // ARN
	GreenWeight      int
	// PhaseSince is when the current phase (or traffic step) began.
	PhaseSince time.Time
	// TerminationWaitStarted is set once traffic moved and the wait before deleting the
	// original task set began.
	TerminationWaitStarted bool
	// FailedTasks counts the replacement task set's failed launches since one of its tasks
	// last ran healthy (FailureResetAt), as the ECS deployment circuit breaker counts them.
	FailedTasks    int
	FailureResetAt time.Time
}

// Labels of a deployment's task sets: the original (Blue) and the replacement (Green).
const (
	LabelBlue  = "Blue"
	LabelGreen = "Green"
)

// TaskSetInfo is one task set of a deployment's ECS target: its status (PRIMARY, ACTIVE or
// DRAINING, as ECS reports it), its task counts, its share of production traffic in percent
// and the name of its target group.
type TaskSetInfo struct {
	ID            string
	Label         string
	Status        string
	DesiredCount  int
	PendingCount  int
	RunningCount  int
	TrafficWeight int
	TargetGroup   string
}

// ECSTargetID is the id of an ECS deployment's one target: "<cluster>:<service>".
func (d Deployment) ECSTargetID() string {
	return d.ECSService.ClusterName + ":" + d.ECSService.ServiceName
}

// maxAlarms is how many alarms a deployment group watches at most.
const maxAlarms = 10

// AlarmConfiguration is the CloudWatch alarms that stop a group's deployments: when Enabled,
// a deployment stops while one of Alarms is in ALARM. IgnorePollAlarmFailure goes on when an
// alarm's state cannot be read (the alarm does not exist); otherwise that stops it too.
type AlarmConfiguration struct {
	Enabled                bool
	IgnorePollAlarmFailure bool
	Alarms                 []string
}

// Check checks the alarm configuration as CreateDeploymentGroup does.
func (c AlarmConfiguration) Check() error {
	if len(c.Alarms) > maxAlarms {
		return errdefs.Detail(ErrAlarmsLimitExceeded, "A deployment group watches at most %d alarms, not %d.", maxAlarms, len(c.Alarms))
	}
	for _, a := range c.Alarms {
		if a == "" {
			return errdefs.Detail(ErrInvalidAlarmConfig, "Every alarm needs a name.")
		}
	}
	if c.Enabled && len(c.Alarms) == 0 {
		return errdefs.Detail(ErrInvalidAlarmConfig, "The alarm configuration is enabled but names no alarms.")
	}
	return nil
}
