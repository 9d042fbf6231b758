package ecs

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Limits ECS applies to a task definition.
const (
	// MaxContainersPerTaskDefinition is ECS's quota of containers in one task definition.
	MaxContainersPerTaskDefinition = 10
	// MaxPlacementConstraints is the number of placement constraints one task may have.
	MaxPlacementConstraints = 10
	// maxNameLength bounds family, container and volume names.
	maxNameLength = 255
)

// Health check limits and defaults, in seconds (retries in attempts), from the model.
const (
	DefaultHealthCheckInterval = 30
	DefaultHealthCheckTimeout  = 5
	DefaultHealthCheckRetries  = 3
)

// namePattern is what ECS allows in family, container and volume names.
var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// NormalizeTaskDefinition checks td as RegisterTaskDefinition receives it and returns it as ECS
// stores it: cpu and memory converted to numbers ("1 vCPU" becomes "1024"), port mappings with
// their protocol and, in awsvpc and host mode, their host port, health checks with ECS's
// defaults, and the derived Compatibilities and RequiresAttributes. It stops at the first
// problem and returns an errdefs.ErrInvalidArgument error with ECS's message where it is known.
//
// td.Essential must already carry ECS's default (true) for containers whose request left it
// out; see ContainerDefinition.Essential. The identity members (ARN, Revision, Status and the
// times) are left alone; Registered sets them. td is not modified.
func NormalizeTaskDefinition(td TaskDefinition) (TaskDefinition, error) {
	td = cloneForNormalize(td)
	steps := []func(*TaskDefinition) error{
		checkFamily,
		checkContainerList,
		checkTaskEnums,
		normalizeTaskSize,
		checkLaunchTypes,
		checkContainers,
		checkEssential,
		checkDependencies,
		checkMemoryAndCPU,
		checkVolumes,
		checkMounts,
		checkTaskOptions,
		func(td *TaskDefinition) error { return ValidateTags(td.Tags) },
	}
	for _, step := range steps {
		if err := step(&td); err != nil {
			return TaskDefinition{}, err
		}
	}
	td.Compatibilities = compatibilities(td)
	td.RequiresAttributes = requiredAttributes(td)
	return td, nil
}

// cloneForNormalize copies the parts of td that normalization writes to, so the caller's slices
// stay as they were.
func cloneForNormalize(td TaskDefinition) TaskDefinition {
	td.ContainerDefinitions = slices.Clone(td.ContainerDefinitions)
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		c.PortMappings = slices.Clone(c.PortMappings)
	}
	return td
}

func checkFamily(td *TaskDefinition) error {
	switch {
	case td.Family == "":
		return errdefs.InvalidArgument("Family can not be blank.")
	case !namePattern.MatchString(td.Family):
		return errdefs.InvalidArgument("Family contains invalid characters.")
	case len(td.Family) > maxNameLength:
		return errdefs.InvalidArgument("Family must be at most %d characters long.", maxNameLength)
	}
	return nil
}

// checkContainerList checks the containers' identity: there are some, not too many, each with a
// valid, unique name and an image.
func checkContainerList(td *TaskDefinition) error {
	if len(td.ContainerDefinitions) == 0 {
		return errdefs.InvalidArgument("Container list cannot be empty.")
	}
	if len(td.ContainerDefinitions) > MaxContainersPerTaskDefinition {
		return errdefs.InvalidArgument("Too many containers: a task definition can have at most %d container definitions.", MaxContainersPerTaskDefinition)
	}
	seen := make(map[string]bool, len(td.ContainerDefinitions))
	for _, c := range td.ContainerDefinitions {
		switch {
		case c.Name == "":
			return errdefs.InvalidArgument("Container.name should not be null or empty.")
		case !namePattern.MatchString(c.Name):
			return errdefs.InvalidArgument("Container.name contains invalid characters.")
		case len(c.Name) > maxNameLength:
			return errdefs.InvalidArgument("Container.name must be at most %d characters long.", maxNameLength)
		case c.Image == "":
			return errdefs.InvalidArgument("Container.image should not be null or empty.")
		case seen[c.Name]:
			return errdefs.InvalidArgument("Container names must be unique within a Task Definition.")
		}
		seen[c.Name] = true
	}
	return nil
}

func checkTaskEnums(td *TaskDefinition) error {
	errs := []error{
		checkEnum("networkMode", td.NetworkMode),
		checkEnum("pidMode", td.PidMode),
		checkEnum("ipcMode", td.IpcMode),
		checkEnum("runtimePlatform.cpuArchitecture", td.RuntimePlatform.CPUArchitecture),
		checkEnum("runtimePlatform.operatingSystemFamily", td.RuntimePlatform.OperatingSystemFamily),
		checkEnum("proxyConfiguration.type", td.ProxyConfiguration.Type),
	}
	for i, c := range td.RequiresCompatibilities {
		errs = append(errs, checkEnum(fmt.Sprintf("requiresCompatibilities.%d.member", i+1), c))
	}
	for i, p := range td.PlacementConstraints {
		errs = append(errs, checkEnum(fmt.Sprintf("placementConstraints.%d.member.type", i+1), p.Type))
	}
	return firstError(errs...)
}

// normalizeTaskSize converts the task-level cpu and memory to the numbers ECS stores, and checks
// them against the range ECS supports for EC2 (Fargate sizes are checked with the launch type).
func normalizeTaskSize(td *TaskDefinition) error {
	if td.CPU != "" {
		units, ok := parseCPU(td.CPU)
		if !ok {
			return errdefs.InvalidArgument("Invalid 'cpu' setting for task: %q is neither a number of CPU units (1024) nor of vCPUs (1 vCPU).", td.CPU)
		}
		// Fargate sizes are a fixed table, checked with the launch type and its own message.
		if !td.RequiresCompatibility(CompatibilityFargate) && (units < minTaskCPU || units > maxTaskCPU) {
			return errdefs.InvalidArgument("Invalid 'cpu' setting for task: %d CPU units is outside the supported range of %d to %d.", units, minTaskCPU, maxTaskCPU)
		}
		td.CPU = strconv.Itoa(units)
	}
	if td.Memory != "" {
		mib, ok := parseMemory(td.Memory)
		if !ok {
			return errdefs.InvalidArgument("Invalid 'memory' setting for task: %q is neither a number of MiB (1024) nor of GB (1 GB).", td.Memory)
		}
		td.Memory = strconv.Itoa(mib)
	}
	return nil
}

// checkEssential checks that a task has an essential container, since a task whose containers
// are all non-essential would never stop on its own.
func checkEssential(td *TaskDefinition) error {
	for _, c := range td.ContainerDefinitions {
		if c.Essential {
			return nil
		}
	}
	return errdefs.InvalidArgument("Task definition doesn't have any essential container.")
}

// checkMemoryAndCPU checks the containers' reservations against each other and against the task.
func checkMemoryAndCPU(td *TaskDefinition) error {
	taskMemory, _ := strconv.Atoi(td.Memory) // normalized already; 0 when not set
	taskCPU, _ := strconv.Atoi(td.CPU)
	sumCPU, sumReservation := 0, 0
	for _, c := range td.ContainerDefinitions {
		if c.CPU < 0 || c.Memory < 0 || c.MemoryReservation < 0 {
			return errdefs.InvalidArgument("Invalid setting for container '%s'. 'cpu', 'memory' and 'memoryReservation' must not be negative.", c.Name)
		}
		if taskMemory == 0 && c.Memory == 0 && c.MemoryReservation == 0 {
			return errdefs.InvalidArgument("Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", c.Name)
		}
		if c.Memory > 0 && c.MemoryReservation > c.Memory {
			return errdefs.InvalidArgument("Invalid setting for container '%s'. 'memory' must be greater than or equal to 'memoryReservation'.", c.Name)
		}
		if taskMemory > 0 && c.Memory > taskMemory {
			return errdefs.InvalidArgument("The 'memory' setting for container '%s' is greater than for the task.", c.Name)
		}
		sumCPU += c.CPU
		sumReservation += c.MemoryReservation
	}
	if taskCPU > 0 && sumCPU > taskCPU {
		return errdefs.InvalidArgument("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
	}
	if taskMemory > 0 && sumReservation > taskMemory {
		return errdefs.InvalidArgument("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.")
	}
	return nil
}

// checkTaskOptions checks the task-level members that stand alone: placement constraints, the
// proxy, inference accelerators and ephemeral storage.
func checkTaskOptions(td *TaskDefinition) error {
	if len(td.PlacementConstraints) > MaxPlacementConstraints {
		return errdefs.InvalidArgument("A task definition can have at most %d placement constraints.", MaxPlacementConstraints)
	}
	for _, p := range td.PlacementConstraints {
		if p.Type == "" || p.Expression == "" {
			return errdefs.InvalidArgument("A placement constraint of a task definition needs a type (memberOf) and an expression.")
		}
		if _, err := ParseExpression(p.Expression); err != nil {
			return err
		}
	}
	if err := checkProxy(td); err != nil {
		return err
	}
	names := make(map[string]bool, len(td.InferenceAccelerators))
	for _, a := range td.InferenceAccelerators {
		if a.DeviceName == "" || a.DeviceType == "" {
			return errdefs.InvalidArgument("An inference accelerator needs a deviceName and a deviceType.")
		}
		if names[a.DeviceName] {
			return errdefs.InvalidArgument("Inference accelerator device names must be unique within a task definition: %q is used twice.", a.DeviceName)
		}
		names[a.DeviceName] = true
	}
	if s := td.EphemeralStorage.SizeInGiB; s != 0 && (s < 21 || s > 200) {
		return errdefs.InvalidArgument("The ephemeral storage size must be between 21 and 200 GiB, not %d.", s)
	}
	return nil
}

func checkProxy(td *TaskDefinition) error {
	p := &td.ProxyConfiguration
	if p.ContainerName == "" {
		if p.Type != "" || len(p.Properties) > 0 {
			return errdefs.InvalidArgument("A proxy configuration needs a containerName.")
		}
		return nil
	}
	if p.Type == "" {
		p.Type = ProxyConfigurationAppMesh
	}
	if _, ok := td.Container(p.ContainerName); !ok {
		return errdefs.InvalidArgument("The proxy configuration names container '%s', which is not in the task definition.", p.ContainerName)
	}
	if td.NetworkMode != NetworkModeAwsvpc {
		return errdefs.InvalidArgument("A proxy configuration requires networkMode=awsvpc.")
	}
	for _, kv := range p.Properties {
		if kv.Name == "" {
			return errdefs.InvalidArgument("Proxy configuration properties need a name.")
		}
	}
	return nil
}

// isZero reports whether v is its type's zero value, which for the nested structures of a task
// definition means "not given".
func isZero[T any](v T) bool { return reflect.ValueOf(&v).Elem().IsZero() }

// firstError returns the first non-nil error of errs.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
