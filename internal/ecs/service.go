package ecs

import "time"

// ServiceStatus is the lifecycle state of a service as ECS reports it.
type ServiceStatus string

// Service statuses.
const (
	ServiceActive   ServiceStatus = "ACTIVE"
	ServiceDraining ServiceStatus = "DRAINING"
	ServiceInactive ServiceStatus = "INACTIVE"
)

// DeploymentStatus is the status of one deployment of a service.
type DeploymentStatus string

// Deployment statuses.
const (
	DeploymentPrimary  DeploymentStatus = "PRIMARY"
	DeploymentActive   DeploymentStatus = "ACTIVE"
	DeploymentInactive DeploymentStatus = "INACTIVE"
)

// RolloutState is the progress of a deployment.
type RolloutState string

// Rollout states.
const (
	RolloutInProgress RolloutState = "IN_PROGRESS"
	RolloutCompleted  RolloutState = "COMPLETED"
	RolloutFailed     RolloutState = "FAILED"
)

// MaxServiceEvents is how many events a service keeps, newest first, as ECS does.
const MaxServiceEvents = 100

// Service is an ECS service: the desired count of tasks of a task definition, kept running by
// the scheduler. Running and pending counts are not stored: they are derived from the tasks when
// a service is read, so they can never disagree with them.
type Service struct {
	Name        string
	ARN         string
	ClusterName string
	ClusterARN  string
	Status      ServiceStatus

	TaskDefinitionARN string
	DesiredCount      int
	LaunchType        string
	// CapacityProviderStrategy is the strategy the service was created or updated with (or its
	// cluster's default); its tasks then run as LaunchType FARGATE, and ECS reports the
	// strategy instead of the launch type.
	CapacityProviderStrategy []CapacityProviderStrategyItem
	PlatformVersion          string
	// SchedulingStrategy is REPLICA or DAEMON.
	SchedulingStrategy            string
	DeploymentController          string
	DeploymentConfiguration       DeploymentConfiguration
	LoadBalancers                 []LoadBalancer
	HealthCheckGracePeriodSeconds int
	NetworkConfiguration          NetworkConfiguration
	PlacementConstraints          []PlacementConstraint
	PlacementStrategy             []PlacementStrategy
	EnableECSManagedTags          bool
	EnableExecuteCommand          bool
	PropagateTags                 string
	// AvailabilityZoneRebalancing is ENABLED or DISABLED ("" for services stored before fargo
	// kept it); see AZRebalancingEnabled.
	AvailabilityZoneRebalancing string
	// RoleARN is the IAM role ECS reports for the service (ServiceRoleARN); fargo assumes no
	// role.
	RoleARN     string
	Tags        []Tag
	CreatedAt   time.Time
	CreatedBy   string
	ClientToken string

	// Deployments, PRIMARY first. The scheduler keeps them up to date.
	Deployments []Deployment
	// TaskSets of an EXTERNAL service, in the order they were created.
	TaskSets []TaskSet
	// Events, newest first, at most MaxServiceEvents.
	Events []ServiceEvent
	// Backoff is the scheduler's memory of failed task launches; see scheduler.
	Backoff LaunchBackoff
	// Steady is set while the service is in a steady state, so that the scheduler reports
	// reaching it once per time it is reached.
	Steady bool
	// StableTaskDefinitionARN is the task definition of the last deployment that COMPLETED: the
	// circuit breaker rolls back to it.
	StableTaskDefinitionARN string
	// ListenerErrors are the load balancer's own error answers for the service's target groups
	// (written by lbsync): `fargo deploy` adds them to a deployment's traffic figures.
	ListenerErrors ListenerErrors
}

// Deployment is one rollout of a task definition within a service.
type Deployment struct {
	ID                string // "ecs-svc/" and 19 digits
	Status            DeploymentStatus
	TaskDefinitionARN string
	DesiredCount      int
	FailedTasks       int
	CreatedAt         time.Time
	UpdatedAt         time.Time
	LaunchType        string
	// CapacityProviderStrategy is the service's, when it has one.
	CapacityProviderStrategy []CapacityProviderStrategyItem
	PlatformVersion          string
	NetworkConfiguration     NetworkConfiguration
	RolloutState             RolloutState
	RolloutStateReason       string
	// FailureResetAt is when a task of the deployment last ran healthy; the circuit breaker
	// counts only failures after it.
	FailureResetAt time.Time
	// Strategy is the service's deployment strategy when the deployment began.
	Strategy string
	// RollbackOf is the deployment this one rolls back (the circuit breaker's, or
	// StopServiceDeployment's rollback of a rolling deployment): it belongs to that
	// deployment's service deployment and has none of its own.
	RollbackOf string
	// LoadBalancers are the target groups its tasks register in: for a native deployment,
	// the group of each pair that was not live when it began.
	LoadBalancers []LoadBalancer
}

// DeploymentConfiguration bounds how many tasks may run during a deployment.
type DeploymentConfiguration struct {
	MaximumPercent         int
	MinimumHealthyPercent  int
	CircuitBreakerEnable   bool
	CircuitBreakerRollback bool
	// Alarms are accepted and stored; fargo has no CloudWatch alarms to watch.
	AlarmNames    []string
	AlarmsEnable  bool
	AlarmRollback bool
	// AlarmsGiven records that a request set alarms: ECS reports them only then.
	AlarmsGiven       bool
	Strategy          string
	BakeTimeInMinutes int
	Linear            LinearConfiguration
	Canary            CanaryConfiguration
	LifecycleHooks    []LifecycleHook
}

// LoadBalancer connects a container port of a service's tasks to a target group.
type LoadBalancer struct {
	TargetGroupARN   string
	LoadBalancerName string
	ContainerName    string
	ContainerPort    int
	// Advanced is set for the native blue/green, linear and canary strategies.
	Advanced AdvancedConfiguration
}

// PlacementConstraint restricts where tasks may be placed.
type PlacementConstraint struct {
	Type       string
	Expression string
}

// PlacementStrategy orders the container instances a task may be placed on.
type PlacementStrategy struct {
	Type  string
	Field string
}

// ServiceEvent is one line of a service's history, in ECS's words.
type ServiceEvent struct {
	ID        string
	CreatedAt time.Time
	Message   string
}

// LaunchBackoff tracks consecutive failed task launches of a service, so that the scheduler
// waits longer between attempts while tasks keep failing.
type LaunchBackoff struct {
	ConsecutiveFailures int
	// NotBefore is when the scheduler may start a task again.
	NotBefore time.Time
	// ResetAt is when a task last started well; failures before it no longer count.
	ResetAt time.Time
}

// Primary returns the PRIMARY deployment, the one new tasks are started for.
func (s Service) Primary() (Deployment, bool) {
	for _, d := range s.Deployments {
		if d.Status == DeploymentPrimary {
			return d, true
		}
	}
	return Deployment{}, false
}

// AddEvent prepends an event and keeps at most MaxServiceEvents.
func (s *Service) AddEvent(e ServiceEvent) {
	s.Events = append([]ServiceEvent{e}, s.Events...)
	if len(s.Events) > MaxServiceEvents {
		s.Events = s.Events[:MaxServiceEvents]
	}
}

// Active reports whether the service still schedules tasks.
func (s Service) Active() bool { return s.Status == ServiceActive }
