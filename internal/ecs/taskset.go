package ecs

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// TaskSetStatus is the role of a task set in its service.
type TaskSetStatus string

// Task set statuses: the PRIMARY one serves production traffic, ACTIVE ones do not (yet or any
// more), DRAINING ones are being deleted: their tasks stop and their targets deregister.
const (
	TaskSetPrimary  TaskSetStatus = "PRIMARY"
	TaskSetActive   TaskSetStatus = "ACTIVE"
	TaskSetDraining TaskSetStatus = "DRAINING"
)

// StabilityStatus tells whether a task set runs what it should.
type StabilityStatus string

// Stability statuses.
const (
	StabilitySteady      StabilityStatus = "STEADY_STATE"
	StabilityStabilizing StabilityStatus = "STABILIZING"
)

// ScaleUnitPercent is the only unit of a task set's scale.
const ScaleUnitPercent = "PERCENT"

// MaxTaskSets is how many task sets (deployments) a service holds at once, as in ECS.
const MaxTaskSets = 5

// Errors of task set operations, in ECS's words.
var (
	ErrTaskSetNotFound = errdefs.NotFound("The specified task set was not found. You can view your available task sets with DescribeTaskSets. Task sets are specific to each cluster, service and Region.")
	ErrNotExternal     = errdefs.InvalidArgument("Amazon ECS only supports task set management on services configured to use external deployment controllers.")
	ErrTooManyTaskSets = errdefs.InvalidArgument("%d deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.", MaxTaskSets)
)

// TaskSet is a group of tasks of one task definition within a service of the EXTERNAL
// deployment controller: a deployer (or CodeDeploy) creates one per revision, scales it as a
// percentage of the service's desired count, makes one PRIMARY and deletes the others. Counts
// are derived from the tasks when it is read, as for deployments.
type TaskSet struct {
	ID                   string // "ecs-svc/" and 19 digits, like a deployment's
	ARN                  string
	Status               TaskSetStatus
	TaskDefinitionARN    string
	ExternalID           string
	StartedBy            string
	LaunchType           string
	PlatformVersion      string
	NetworkConfiguration NetworkConfiguration
	LoadBalancers        []LoadBalancer
	// Scale is the share of the service's desired count to run, in percent (0-100).
	Scale             float64
	ClientToken       string
	Tags              []Tag
	CreatedAt         time.Time
	UpdatedAt         time.Time
	StabilityStatus   StabilityStatus
	StabilityStatusAt time.Time
}

// RunsTaskSets tells whether s runs task sets rather than deployments: the EXTERNAL and
// CODE_DEPLOY controllers.
func (s Service) RunsTaskSets() bool {
	return s.DeploymentController == ControllerExternal || s.DeploymentController == ControllerCodeDeploy
}

// initialTaskSet is the PRIMARY task set that ECS creates with a CODE_DEPLOY service: the
// service's task definition, load balancers, launch and network, at full scale.
func initialTaskSet(s Service, id string, at time.Time) TaskSet {
	ts := TaskSet{
		ID: id, ARN: strings.Replace(s.ARN, ":service/", ":task-set/", 1) + "/" + id, Status: TaskSetPrimary,
		TaskDefinitionARN: s.TaskDefinitionARN, LaunchType: s.LaunchType, PlatformVersion: s.PlatformVersion,
		NetworkConfiguration: s.NetworkConfiguration, LoadBalancers: s.LoadBalancers, Scale: 100,
		CreatedAt: at, UpdatedAt: at, StabilityStatus: StabilityStabilizing, StabilityStatusAt: at,
	}
	if ts.LaunchType == string(CompatibilityFargate) {
		ts.PlatformVersion = ResolvedPlatformVersion(ts.PlatformVersion)
	}
	return ts
}

// TaskSetARN is the ARN of a task set: task-set/<cluster>/<service>/<id>.
func TaskSetARN(scope arn.Scope, cluster, service, id string) string {
	return scope.New("ecs", "task-set/"+cluster+"/"+service+"/"+id).String()
}

// ComputedDesiredCount is how many tasks a task set of scale percent runs in a service that
// wants desired: the product, rounded up.
func ComputedDesiredCount(desired int, scale float64) int {
	// The epsilon keeps 3 × 33.33…% from rounding 1.0000000001 up to 2.
	return int(math.Ceil(float64(desired)*scale/100 - 1e-9))
}

// TaskSetDesiredCount is the computed desired count of ts in s; DRAINING task sets and the task sets
// of a service that is not ACTIVE want none.
func (s Service) TaskSetDesiredCount(ts TaskSet) int {
	if ts.Status == TaskSetDraining || !s.Active() {
		return 0
	}
	return ComputedDesiredCount(s.DesiredCount, ts.Scale)
}

// TaskSet returns the task set of s with the given id or ARN.
func (s Service) TaskSet(ref string) (TaskSet, bool) {
	i := s.taskSetIndex(ref)
	if i < 0 {
		return TaskSet{}, false
	}
	return s.TaskSets[i], true
}

func (s Service) taskSetIndex(ref string) int {
	return slices.IndexFunc(s.TaskSets, func(ts TaskSet) bool { return ts.ID == ref || ts.ARN == ref })
}

// ValidateScale checks a task set's scale.
func ValidateScale(value float64, unit string) error {
	if unit != "" && unit != ScaleUnitPercent {
		return invalidValue("scale.unit", unit, ScaleUnitPercent)
	}
	if math.IsNaN(value) || value < 0 || value > 100 {
		return errdefs.InvalidArgument("The scale value must be between 0 and 100.")
	}
	return nil
}

// CreateTaskSet adds ts, validated against td (the task definition it runs), to s: ACTIVE, with
// the service's launch type and network unless it has its own. A retry with the client token
// of an existing task set returns that one and changes nothing. It returns the service to
// store (unchanged on a retry) and the task set.
func CreateTaskSet(s Service, ts TaskSet, td TaskDefinition, at time.Time) (Service, TaskSet, error) {
	return createTaskSet(s, ts, td, at, ControllerExternal)
}

// CodeDeployCreateTaskSet is CreateTaskSet for CodeDeploy on a CODE_DEPLOY service: the
// replacement task set of a deployment.
func CodeDeployCreateTaskSet(s Service, ts TaskSet, td TaskDefinition, at time.Time) (Service, TaskSet, error) {
	return createTaskSet(s, ts, td, at, ControllerCodeDeploy)
}

// CodeDeploySetPrimaryTaskSet is SetPrimaryTaskSet for CodeDeploy on a CODE_DEPLOY service.
func CodeDeploySetPrimaryTaskSet(s Service, ref string, at time.Time) (Service, TaskSet, error) {
	return setPrimaryTaskSet(s, ref, at, ControllerCodeDeploy)
}

// CodeDeployDeleteTaskSet is a forced DeleteTaskSet for CodeDeploy on a CODE_DEPLOY service.
func CodeDeployDeleteTaskSet(s Service, ref string, at time.Time) (Service, TaskSet, error) {
	return s.changeTaskSet(ref, at, ControllerCodeDeploy, deleteChange(true))
}

func createTaskSet(s Service, ts TaskSet, td TaskDefinition, at time.Time, owner string) (Service, TaskSet, error) {
	if err := taskSetsAllowed(s, owner); err != nil {
		return Service{}, TaskSet{}, err
	}
	if ts.ClientToken != "" {
		for _, cur := range s.TaskSets {
			if cur.ClientToken == ts.ClientToken {
				return s, cur, nil
			}
		}
	}
	if len(s.TaskSets) >= MaxTaskSets {
		return Service{}, TaskSet{}, ErrTooManyTaskSets
	}
	if err := ValidateScale(ts.Scale, ScaleUnitPercent); err != nil {
		return Service{}, TaskSet{}, err
	}
	if ts.LaunchType == "" { // the service's launch, platform version included
		ts.LaunchType, ts.PlatformVersion = s.LaunchType, cmp.Or(ts.PlatformVersion, s.PlatformVersion)
	}
	launch, err := ResolveLaunch(td, ts.LaunchType, ts.PlatformVersion)
	if err != nil {
		return Service{}, TaskSet{}, err
	}
	ts.LaunchType, ts.PlatformVersion = launch.LaunchType, launch.PlatformVersion
	if launch.LaunchType == string(CompatibilityFargate) {
		ts.PlatformVersion = ResolvedPlatformVersion(ts.PlatformVersion)
	}
	if len(ts.LoadBalancers) > 1 {
		return Service{}, TaskSet{}, errdefs.InvalidArgument("A task set can have at most one load balancer.")
	}
	if err := validateLoadBalancers(ts.LoadBalancers, td); err != nil {
		return Service{}, TaskSet{}, err
	}
	if isZeroNetwork(ts.NetworkConfiguration) {
		ts.NetworkConfiguration = s.NetworkConfiguration
	}
	if ts.NetworkConfiguration, err = ValidateNetworkConfiguration(ts.NetworkConfiguration, td); err != nil {
		return Service{}, TaskSet{}, err
	}
	if err := ValidateTags(ts.Tags); err != nil {
		return Service{}, TaskSet{}, err
	}
	ts.TaskDefinitionARN = td.ARN
	ts.Status = TaskSetActive
	ts.CreatedAt, ts.UpdatedAt = at, at
	ts.StabilityStatus, ts.StabilityStatusAt = StabilityStabilizing, at
	s.TaskSets = append(slices.Clone(s.TaskSets), ts)
	return s, ts, nil
}

// UpdateTaskSetScale sets the scale of the task set ref.
func UpdateTaskSetScale(s Service, ref string, scale float64, unit string, at time.Time) (Service, TaskSet, error) {
	if err := ValidateScale(scale, unit); err != nil {
		return Service{}, TaskSet{}, err
	}
	return s.changeTaskSet(ref, at, ControllerExternal, func(ts *TaskSet) error {
		if ts.Status == TaskSetDraining {
			return errdefs.InvalidArgument("The specified task set is being deleted and cannot be updated.")
		}
		ts.Scale = scale
		return nil
	})
}

// SetPrimaryTaskSet makes the task set ref the service's PRIMARY one, whose task definition,
// load balancers, network and launch the service then reports; the PRIMARY one before it turns
// ACTIVE.
func SetPrimaryTaskSet(s Service, ref string, at time.Time) (Service, TaskSet, error) {
	return setPrimaryTaskSet(s, ref, at, ControllerExternal)
}

func setPrimaryTaskSet(s Service, ref string, at time.Time, owner string) (Service, TaskSet, error) {
	i := s.taskSetIndex(ref)
	if err := taskSetsAllowed(s, owner); err != nil {
		return Service{}, TaskSet{}, err
	}
	if i < 0 {
		return Service{}, TaskSet{}, ErrTaskSetNotFound
	}
	if s.TaskSets[i].Status == TaskSetDraining {
		return Service{}, TaskSet{}, errdefs.InvalidArgument("The specified task set is being deleted and cannot be made primary.")
	}
	s.TaskSets = slices.Clone(s.TaskSets)
	// The primary task set's parameters become the service's, as ECS reports them.
	p := s.TaskSets[i]
	s.TaskDefinitionARN, s.LoadBalancers, s.NetworkConfiguration = p.TaskDefinitionARN, p.LoadBalancers, p.NetworkConfiguration
	s.LaunchType, s.PlatformVersion = p.LaunchType, p.PlatformVersion
	for j := range s.TaskSets {
		ts := &s.TaskSets[j]
		switch {
		case j == i && ts.Status != TaskSetPrimary:
			ts.Status, ts.UpdatedAt = TaskSetPrimary, at
		case j != i && ts.Status == TaskSetPrimary:
			ts.Status, ts.UpdatedAt = TaskSetActive, at
		}
	}
	return s, s.TaskSets[i], nil
}

// DeleteTaskSet starts deleting the task set ref: it turns DRAINING, its tasks stop, and the
// scheduler removes it once they are gone. Unless forced, it must be scaled down to zero
// first. Deleting a DRAINING task set changes nothing.
func DeleteTaskSet(s Service, ref string, force bool, at time.Time) (Service, TaskSet, error) {
	return s.changeTaskSet(ref, at, ControllerExternal, deleteChange(force))
}

func deleteChange(force bool) func(*TaskSet) error {
	return func(ts *TaskSet) error {
		if ts.Status == TaskSetDraining {
			return nil
		}
		if ts.Scale > 0 && !force {
			return errdefs.InvalidArgument("The task set must be scaled down to 0 before it can be deleted. Set force to delete it anyway.")
		}
		ts.Status = TaskSetDraining
		return nil
	}
}

// changeTaskSet applies change to a copy of the task set ref of s.
func (s Service) changeTaskSet(ref string, at time.Time, owner string, change func(*TaskSet) error) (Service, TaskSet, error) {
	if err := taskSetsAllowed(s, owner); err != nil {
		return Service{}, TaskSet{}, err
	}
	i := s.taskSetIndex(ref)
	if i < 0 {
		return Service{}, TaskSet{}, ErrTaskSetNotFound
	}
	s.TaskSets = slices.Clone(s.TaskSets)
	before := s.TaskSets[i]
	if err := change(&s.TaskSets[i]); err != nil {
		return Service{}, TaskSet{}, err
	}
	if !sameTaskSet(before, s.TaskSets[i]) {
		s.TaskSets[i].UpdatedAt = at
	}
	return s, s.TaskSets[i], nil
}

func sameTaskSet(a, b TaskSet) bool {
	return a.Status == b.Status && a.Scale == b.Scale
}

// taskSetsAllowed checks that s is an ACTIVE service whose task sets owner (the EXTERNAL
// controller's deployer through the API, or CodeDeploy) may change.
func taskSetsAllowed(s Service, owner string) error {
	if s.DeploymentController != owner {
		return ErrNotExternal
	}
	if !s.Active() {
		return ErrServiceNotActive
	}
	return nil
}

func isZeroNetwork(nc NetworkConfiguration) bool {
	return len(nc.Subnets) == 0 && len(nc.SecurityGroups) == 0 && nc.AssignPublicIP == ""
}
