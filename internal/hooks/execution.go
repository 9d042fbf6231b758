package hooks

import (
	"encoding/json"
	"strconv"
	"time"
)

// Kind says who asked for a hook, which payload its target gets and how its verdict comes back.
type Kind string

// Kinds of hook execution.
const (
	// KindCodeDeploy is an AppSpec hook: the target gets {DeploymentId,
	// LifecycleEventHookExecutionId} and reports through PutLifecycleEventHookExecutionStatus.
	KindCodeDeploy Kind = "CodeDeploy"
	// KindECS is an ECS lifecycle hook: the target gets the executionDetails ECS sends and
	// answers with hookStatus SUCCEEDED, FAILED or IN_PROGRESS (with callBackDelay).
	KindECS Kind = "ECS"
)

// Status is where an execution stands.
type Status string

// Statuses of an execution. Succeeded, Failed and TimedOut are final.
const (
	StatusPending    Status = "Pending"
	StatusInProgress Status = "InProgress"
	StatusSucceeded  Status = "Succeeded"
	StatusFailed     Status = "Failed"
	StatusTimedOut   Status = "TimedOut"
)

// Done reports whether s is final.
func (s Status) Done() bool {
	return s == StatusSucceeded || s == StatusFailed || s == StatusTimedOut
}

// Execution is one run of a hook target for one lifecycle event or stage. Its ID is derived
// from what it runs for (see ExecutionID), so that a deployer that creates it again after a
// restart finds the one it created before.
type Execution struct {
	ID   string
	Kind Kind
	// Owner is the deployment it runs for: a CodeDeploy deployment id or an ECS service
	// deployment ARN.
	Owner string
	// Event is the lifecycle event (CodeDeploy: BeforeInstall, AfterAllowTestTraffic, …) or
	// stage (ECS: PRE_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, …) it runs for.
	Event string
	// Target is what runs: an AppSpec hook value or an ECS hookTargetArn, naming a registered
	// function (by name or Lambda-style ARN) or a task definition.
	Target string
	// Payload is the JSON document the target gets, as Lambda would get it.
	Payload json.RawMessage
	Status  Status
	// Message says why the execution ended as it did, or what it waits for.
	Message   string
	CreatedAt time.Time
	UpdatedAt time.Time
	// Deadline is when a pending or running execution times out.
	Deadline time.Time
	// TimeoutAction is what a timeout means to an ECS hook: ROLLBACK (the default) or CONTINUE.
	TimeoutAction string
	// Attempts counts invocations; NextAttemptAt is when an IN_PROGRESS ECS hook is invoked
	// again (after its callBackDelay, 30 s by default).
	Attempts      int
	NextAttemptAt time.Time
	// TaskARN is the one-off task a task definition target runs as.
	TaskARN string
	// Cluster is the cluster a task definition target runs in: the deployment's. Empty for
	// an ECS hook, whose Owner (a service deployment ARN) names it.
	Cluster string
	// HookDetails is what an ECS hook answered in hookDetails, if anything.
	HookDetails json.RawMessage
}

// ExecutionID is the id of the execution of hook number index for event of owner. Owners and
// events hold no '|', so ids never collide.
func ExecutionID(owner, event string, index int) string {
	return owner + "|" + event + "|" + strconv.Itoa(index)
}
