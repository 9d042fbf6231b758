package ecs

import (
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// TaskDefinition is one revision of an ECS task definition, with every member of the model's
// TaskDefinition shape plus the tags registered with it.
//
// A client supplies the members of RegisterTaskDefinition; NormalizeTaskDefinition checks them and
// fills in what ECS derives (compatibilities, requiresAttributes, defaults). Registered then sets
// the identity ECS assigns: ARN, Revision, Status, RegisteredAt and RegisteredBy.
type TaskDefinition struct {
	ARN                  string
	Family               string
	Revision             int
	Status               TaskDefinitionStatus
	TaskRoleARN          string
	ExecutionRoleARN     string
	ContainerDefinitions []ContainerDefinition
	// NetworkMode is empty when the client gave none. ECS then runs the task in bridge mode but
	// reports no networkMode, so the empty value is kept; EffectiveNetworkMode resolves it.
	NetworkMode          NetworkMode
	Volumes              []Volume
	PlacementConstraints []TaskDefinitionPlacementConstraint
	// RequiresCompatibilities are the launch types the client asked ECS to validate against.
	RequiresCompatibilities []Compatibility
	// Compatibilities are the launch types the definition turned out to be valid for.
	Compatibilities []Compatibility
	// RequiresAttributes are the container-instance capabilities the definition needs.
	RequiresAttributes []Attribute
	RuntimePlatform    RuntimePlatform
	// CPU is the task size in CPU units as a decimal string ("256"), empty when not given. The
	// client may write "0.25 vCPU"; NormalizeTaskDefinition converts it as ECS does.
	CPU string
	// Memory is the task memory in MiB as a decimal string ("512"), empty when not given. The
	// client may write "0.5 GB"; NormalizeTaskDefinition converts it as ECS does.
	Memory                string
	InferenceAccelerators []InferenceAccelerator
	PidMode               PidMode
	IpcMode               IpcMode
	// ProxyConfiguration is the App Mesh proxy; the zero value means none.
	ProxyConfiguration ProxyConfiguration
	// EphemeralStorage is the Fargate ephemeral storage size; the zero value means the default.
	EphemeralStorage     EphemeralStorage
	EnableFaultInjection bool
	RegisteredAt         time.Time
	// RegisteredBy is the ARN of the principal that registered the revision.
	RegisteredBy string
	// DeregisteredAt is zero while the revision is ACTIVE.
	DeregisteredAt time.Time
	// DeleteRequestedAt is zero until DeleteTaskDefinitions was called for the revision.
	DeleteRequestedAt time.Time
	Tags              []Tag
}

// EffectiveNetworkMode is the network mode the task's containers run in: the one given, or
// bridge, ECS's default, when none was.
func (td TaskDefinition) EffectiveNetworkMode() NetworkMode {
	if td.NetworkMode == "" {
		return NetworkModeBridge
	}
	return td.NetworkMode
}

// Container returns the container definition called name.
func (td TaskDefinition) Container(name string) (ContainerDefinition, bool) {
	for _, c := range td.ContainerDefinitions {
		if c.Name == name {
			return c, true
		}
	}
	return ContainerDefinition{}, false
}

// RequiresCompatibility reports whether the client asked for the definition to be validated
// against launch type c.
func (td TaskDefinition) RequiresCompatibility(c Compatibility) bool {
	return slices.Contains(td.RequiresCompatibilities, c)
}

// IsCompatibleWith reports whether tasks of the definition may run with launch type c.
func (td TaskDefinition) IsCompatibleWith(c Compatibility) bool {
	return slices.Contains(td.Compatibilities, c)
}

// Registered returns td as ECS stores a new revision: ACTIVE, with its ARN in scope, revision
// number, registration time and the ARN of the principal that registered it.
func (td TaskDefinition) Registered(scope arn.Scope, revision int, at time.Time, by string) TaskDefinition {
	td.ARN = TaskDefinitionARN(scope, td.Family, revision)
	td.Revision = revision
	td.Status = TaskDefinitionStatusActive
	td.RegisteredAt = at
	td.RegisteredBy = by
	return td
}

// Deregistered returns td as DeregisterTaskDefinition leaves it: INACTIVE since at. Deregistering
// an inactive revision again changes nothing, so the first time is kept.
func (td TaskDefinition) Deregistered(at time.Time) TaskDefinition {
	if td.Status != TaskDefinitionStatusActive {
		return td
	}
	td.Status = TaskDefinitionStatusInactive
	td.DeregisteredAt = at
	return td
}

// DeleteRequested returns td as DeleteTaskDefinitions leaves it: DELETE_IN_PROGRESS since at.
// ECS deletes only deregistered revisions, so an ACTIVE one is refused.
func (td TaskDefinition) DeleteRequested(at time.Time) (TaskDefinition, error) {
	switch td.Status {
	case TaskDefinitionStatusActive:
		return TaskDefinition{}, errdefs.FailedPrecondition("The specified task definition is still in ACTIVE status. Deregister it before you delete it.")
	case TaskDefinitionStatusDeleteInProgress:
		return td, nil
	}
	td.Status = TaskDefinitionStatusDeleteInProgress
	td.DeleteRequestedAt = at
	return td, nil
}

// Attribute is a name, and optionally a value, that a container instance has or that a task
// definition requires (the model's Attribute shape).
type Attribute struct {
	Name       string
	Value      string
	TargetType TargetType
	TargetID   string
}

// TaskDefinitionPlacementConstraint restricts the container instances a task may be placed on.
type TaskDefinitionPlacementConstraint struct {
	Type       TaskDefinitionPlacementConstraintType
	Expression string
}

// RuntimePlatform is the operating system and CPU architecture a task runs on; the zero value
// means none was given (Linux on x86_64).
type RuntimePlatform struct {
	CPUArchitecture       CPUArchitecture
	OperatingSystemFamily OSFamily
}

// InferenceAccelerator is an Elastic Inference accelerator of a task.
type InferenceAccelerator struct {
	DeviceName string
	DeviceType string
}

// ProxyConfiguration is the App Mesh proxy of a task. The zero value means none.
type ProxyConfiguration struct {
	// Type is APPMESH; NormalizeTaskDefinition fills it in when the client left it out.
	Type          ProxyConfigurationType
	ContainerName string
	Properties    []KeyValuePair
}

// EphemeralStorage is the size of a Fargate task's ephemeral storage. Zero means the default
// (20 GiB); a given size is 21 to 200.
type EphemeralStorage struct {
	SizeInGiB int
}
