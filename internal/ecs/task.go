package ecs

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

// TaskStatus is a task's lastStatus or desiredStatus as ECS reports it.
type TaskStatus string

// Task statuses in lifecycle order. desiredStatus only takes RUNNING and STOPPED.
const (
	TaskProvisioning   TaskStatus = "PROVISIONING"
	TaskPending        TaskStatus = "PENDING"
	TaskActivating     TaskStatus = "ACTIVATING"
	TaskRunning        TaskStatus = "RUNNING"
	TaskDeactivating   TaskStatus = "DEACTIVATING"
	TaskStopping       TaskStatus = "STOPPING"
	TaskDeprovisioning TaskStatus = "DEPROVISIONING"
	TaskStopped        TaskStatus = "STOPPED"
)

// HealthStatus is a container's or task's health.
type HealthStatus string

// Health statuses.
const (
	HealthUnknown   HealthStatus = "UNKNOWN"
	HealthHealthy   HealthStatus = "HEALTHY"
	HealthUnhealthy HealthStatus = "UNHEALTHY"
)

// TaskStopCode says why a task stopped.
type TaskStopCode string

// Stop codes.
const (
	StopTaskFailedToStart         TaskStopCode = "TaskFailedToStart"
	StopEssentialContainerExited  TaskStopCode = "EssentialContainerExited"
	StopUserInitiated             TaskStopCode = "UserInitiated"
	StopServiceSchedulerInitiated TaskStopCode = "ServiceSchedulerInitiated"
	// StopTerminationNotice is the code of a task whose host went away (LostWithHost).
	StopTerminationNotice TaskStopCode = "TerminationNotice"
)

// ContainerStatus is a container's lastStatus.
type ContainerStatus string

// Container statuses.
const (
	ContainerPending ContainerStatus = "PENDING"
	ContainerRunning ContainerStatus = "RUNNING"
	ContainerStopped ContainerStatus = "STOPPED"
)

// Task is one run of a task definition, placed on a container instance.
//
// Two writers share a task and never write the same fields: the API and the scheduler decide
// (DesiredStatus, StopCode, StoppedReason, StoppingAt when they ask for a stop); the agent on
// the task's container instance observes (LastStatus, Containers, health and the timestamps of
// what happened). Every write bumps Version, as ECS does.
type Task struct {
	ID                   string // 32 lowercase hex digits, the last part of the ARN
	ARN                  string
	ClusterName          string
	ClusterARN           string
	TaskDefinitionARN    string
	ContainerInstanceID  string
	ContainerInstanceARN string
	// Group is "service:<name>" for service tasks and "family:<family>" by default for RunTask.
	Group     string
	StartedBy string
	// ServiceName and DeploymentID are set for tasks a service's scheduler started.
	ServiceName  string
	DeploymentID string
	LaunchType   string
	// CapacityProviderName is the provider of a task started by a capacity provider strategy
	// (CapacityProviderFor).
	CapacityProviderName string
	CPU                  string
	Memory               string
	Overrides            TaskOverride
	Containers           []Container
	// HostPorts are the static host ports the task reserves on its container instance: those
	// of bridge-mode port mappings with a hostPort (other modes get dynamic ports on fargo).
	HostPorts []HostPort
	// PlacementConstraints and PlacementStrategy are what a RunTask task not yet placed is placed
	// by: its task definition's constraints and the request's.
	PlacementConstraints []PlacementConstraint
	PlacementStrategy    []PlacementStrategy

	LastStatus    TaskStatus
	DesiredStatus TaskStatus
	HealthStatus  HealthStatus
	StopCode      TaskStopCode
	StoppedReason string
	Version       int64

	CreatedAt          time.Time
	PullStartedAt      time.Time
	PullStoppedAt      time.Time
	StartedAt          time.Time
	ConnectivityAt     time.Time
	StoppingAt         time.Time
	ExecutionStoppedAt time.Time
	StoppedAt          time.Time

	EnableExecuteCommand bool
	NetworkConfiguration NetworkConfiguration
	Tags                 []Tag
	ClientToken          string
	// RunCount is the count of the RunTask call that started the task: a retry with the same
	// client token asks for as many, even if fewer could be placed.
	RunCount int

	// LoadBalanced is set when the task's service puts its containers behind target groups: the
	// task then counts as healthy only when its targets are, and it stops only after they drained.
	LoadBalanced bool
	// LoadBalancers are the target groups the task registers in: its deployment's (the
	// service's) or its task set's, as they were when it started.
	LoadBalancers []LoadBalancer
	// TargetHealth sums up the task's targets as the load balancer sees them (UNKNOWN until one
	// was checked); TargetHealthGroup names the target group that failed, for the stop reason.
	// Both are written by lbsync.
	TargetHealth      HealthStatus
	TargetHealthGroup string
	// Drained is set by lbsync once every target of a stopping task has been deregistered and
	// drained; only then does the agent send SIGTERM.
	Drained bool
	// Traffic is what the load balancer counted for the task's targets (written by lbsync).
	Traffic TrafficStats
}

// Container is one container of a task as ECS reports it.
type Container struct {
	Name  string
	ARN   string
	Image string
	// ImageDigest is the digest of the image the container runs, once it started.
	ImageDigest string
	RuntimeID   string
	// LastStatus is PENDING until the container started, then RUNNING, then STOPPED.
	LastStatus ContainerStatus
	// ExitCode is meaningful only when HasExitCode is set (a container that never ran has none).
	ExitCode          int
	HasExitCode       bool
	Reason            string
	HealthStatus      HealthStatus
	NetworkBindings   []NetworkBinding
	CPU               string
	Memory            string
	MemoryReservation string
}

// NetworkBinding is a container port reachable on the host.
type NetworkBinding struct {
	BindIP        string
	ContainerPort int
	HostPort      int
	Protocol      TransportProtocol
}

// TaskOverride is what RunTask and StartTask may change in the task definition for one task.
type TaskOverride struct {
	ContainerOverrides  []ContainerOverride
	CPU                 string
	Memory              string
	ExecutionRoleARN    string
	TaskRoleARN         string
	EphemeralStorageGiB int
}

// ContainerOverride changes one container of a task.
type ContainerOverride struct {
	Name                 string
	Command              []string
	Environment          []KeyValuePair
	EnvironmentFiles     []EnvironmentFile
	CPU                  int
	Memory               int
	MemoryReservation    int
	ResourceRequirements []ResourceRequirement
}

// NetworkConfiguration is a task's or service's awsvpc configuration. fargo records it and
// reports it back; tasks get host ports on the container instance instead of an ENI.
type NetworkConfiguration struct {
	Subnets        []string
	SecurityGroups []string
	AssignPublicIP string
}

// IsStopped reports whether the task reached its final state.
func (t Task) IsStopped() bool { return t.LastStatus == TaskStopped }

// Terminating reports whether somebody asked the task to stop.
func (t Task) Terminating() bool { return t.DesiredStatus == TaskStopped }

// RequestStop marks the task to be stopped with a code and reason. The first request wins, as
// in ECS: a later StopTask does not overwrite why the task is stopping.
func (t Task) RequestStop(code TaskStopCode, reason string, at time.Time) Task {
	if t.DesiredStatus == TaskStopped {
		return t
	}
	t.DesiredStatus = TaskStopped
	t.StopCode = code
	t.StoppedReason = reason
	t.StoppingAt = at
	t.Version++
	return t
}

// TaskParams are the choices of whoever starts a task (RunTask, StartTask or a service).
type TaskParams struct {
	ID                   string // 32 hex digits, random
	ClusterName          string
	ClusterARN           string
	ARN                  string
	Group                string
	StartedBy            string
	ServiceName          string
	DeploymentID         string
	Overrides            TaskOverride
	NetworkConfiguration NetworkConfiguration
	EnableExecuteCommand bool
	Tags                 []Tag
	ClientToken          string
	CreatedAt            time.Time
}

// NewTask returns a task of td as ECS creates it: PROVISIONING, desired RUNNING, one PENDING
// container per container definition, not yet placed on a container instance.
func NewTask(td TaskDefinition, p TaskParams) Task {
	t := Task{
		ID:                   p.ID,
		ARN:                  p.ARN,
		ClusterName:          p.ClusterName,
		ClusterARN:           p.ClusterARN,
		TaskDefinitionARN:    td.ARN,
		Group:                p.Group,
		StartedBy:            p.StartedBy,
		ServiceName:          p.ServiceName,
		DeploymentID:         p.DeploymentID,
		LaunchType:           "FARGATE",
		CPU:                  cmp.Or(p.Overrides.CPU, td.CPU),
		Memory:               cmp.Or(p.Overrides.Memory, td.Memory),
		Overrides:            p.Overrides,
		LastStatus:           TaskProvisioning,
		DesiredStatus:        TaskRunning,
		HealthStatus:         HealthUnknown,
		Version:              1,
		CreatedAt:            p.CreatedAt,
		EnableExecuteCommand: p.EnableExecuteCommand,
		NetworkConfiguration: p.NetworkConfiguration,
		Tags:                 p.Tags,
		ClientToken:          p.ClientToken,
	}
	if t.Group == "" {
		t.Group = "family:" + td.Family
	}
	t.HostPorts = StaticHostPorts(td)
	for _, c := range td.ContainerDefinitions {
		t.Containers = append(t.Containers, Container{
			Name:              c.Name,
			ARN:               containerARN(p.ARN, c.Name),
			Image:             c.Image,
			LastStatus:        ContainerPending,
			HealthStatus:      HealthUnknown,
			CPU:               itoaNonNeg(c.CPU),
			Memory:            itoaPositive(c.Memory),
			MemoryReservation: itoaPositive(c.MemoryReservation),
		})
	}
	return t
}

// HostPort is a host port and its protocol.
type HostPort struct {
	Port     int
	Protocol TransportProtocol
}

// StaticHostPorts are the host ports a task of td binds whatever instance it runs on: bridge
// mode's port mappings that name a hostPort. awsvpc and host mode tasks get dynamic host ports
// from fargo's drivers, so they reserve none.
func StaticHostPorts(td TaskDefinition) []HostPort {
	if td.EffectiveNetworkMode() != NetworkModeBridge {
		return nil
	}
	var out []HostPort
	for _, c := range td.ContainerDefinitions {
		for _, pm := range c.PortMappings {
			if pm.HostPort > 0 {
				out = append(out, HostPort{Port: pm.HostPort, Protocol: cmp.Or(pm.Protocol, TransportProtocolTCP)})
			}
		}
	}
	return out
}

// containerARN derives a container's ARN from its task's ARN:
// arn:aws:ecs:r:a:container/<cluster>/<task id>/<uuid-like name>. ECS uses a random id as the
// last part; fargo uses the container name, which is stable and unique within the task.
func containerARN(taskARN, name string) string {
	i := strings.Index(taskARN, ":task/")
	if i < 0 {
		return ""
	}
	return taskARN[:i] + ":container/" + taskARN[i+len(":task/"):] + "/" + name
}

func itoaNonNeg(v int) string {
	if v < 0 {
		return "0"
	}
	return strconv.Itoa(v)
}

func itoaPositive(v int) string {
	if v <= 0 {
		return ""
	}
	return strconv.Itoa(v)
}
