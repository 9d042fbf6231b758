package ecs

import (
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The enums of task definitions, with the values of the botocore model. Each type's Values lists
// them in the model's order, as the AWS SDKs do; the empty string always means "not given".

// TaskDefinitionStatus is the lifecycle state of a task definition revision.
type TaskDefinitionStatus string

// Task definition statuses: ACTIVE after registration, INACTIVE after deregistration and
// DELETE_IN_PROGRESS once DeleteTaskDefinitions was called for an inactive revision.
const (
	TaskDefinitionStatusActive           TaskDefinitionStatus = "ACTIVE"
	TaskDefinitionStatusInactive         TaskDefinitionStatus = "INACTIVE"
	TaskDefinitionStatusDeleteInProgress TaskDefinitionStatus = "DELETE_IN_PROGRESS"
)

// Values returns the valid task definition statuses.
func (TaskDefinitionStatus) Values() []TaskDefinitionStatus {
	return []TaskDefinitionStatus{TaskDefinitionStatusActive, TaskDefinitionStatusInactive, TaskDefinitionStatusDeleteInProgress}
}

// NetworkMode is the Docker networking mode of a task's containers.
type NetworkMode string

// Network modes.
const (
	NetworkModeBridge NetworkMode = "bridge"
	NetworkModeHost   NetworkMode = "host"
	NetworkModeAwsvpc NetworkMode = "awsvpc"
	NetworkModeNone   NetworkMode = "none"
)

// Values returns the valid network modes.
func (NetworkMode) Values() []NetworkMode {
	return []NetworkMode{NetworkModeBridge, NetworkModeHost, NetworkModeAwsvpc, NetworkModeNone}
}

// Compatibility is a launch type a task definition is validated against.
type Compatibility string

// Compatibilities (launch types).
const (
	CompatibilityEC2              Compatibility = "EC2"
	CompatibilityFargate          Compatibility = "FARGATE"
	CompatibilityExternal         Compatibility = "EXTERNAL"
	CompatibilityManagedInstances Compatibility = "MANAGED_INSTANCES"
)

// Values returns the valid compatibilities.
func (Compatibility) Values() []Compatibility {
	return []Compatibility{CompatibilityEC2, CompatibilityFargate, CompatibilityExternal, CompatibilityManagedInstances}
}

// PidMode is the process namespace of a task's containers.
type PidMode string

// PID modes.
const (
	PidModeHost PidMode = "host"
	PidModeTask PidMode = "task"
)

// Values returns the valid PID modes.
func (PidMode) Values() []PidMode { return []PidMode{PidModeHost, PidModeTask} }

// IpcMode is the IPC namespace of a task's containers.
type IpcMode string

// IPC modes.
const (
	IpcModeHost IpcMode = "host"
	IpcModeTask IpcMode = "task"
	IpcModeNone IpcMode = "none"
)

// Values returns the valid IPC modes.
func (IpcMode) Values() []IpcMode { return []IpcMode{IpcModeHost, IpcModeTask, IpcModeNone} }

// TransportProtocol is the protocol of a port mapping.
type TransportProtocol string

// Transport protocols; ECS defaults to tcp.
const (
	TransportProtocolTCP TransportProtocol = "tcp"
	TransportProtocolUDP TransportProtocol = "udp"
)

// Values returns the valid transport protocols.
func (TransportProtocol) Values() []TransportProtocol {
	return []TransportProtocol{TransportProtocolTCP, TransportProtocolUDP}
}

// ApplicationProtocol is the protocol Service Connect assumes for a port mapping.
type ApplicationProtocol string

// Application protocols.
const (
	ApplicationProtocolHTTP  ApplicationProtocol = "http"
	ApplicationProtocolHTTP2 ApplicationProtocol = "http2"
	ApplicationProtocolGRPC  ApplicationProtocol = "grpc"
)

// Values returns the valid application protocols.
func (ApplicationProtocol) Values() []ApplicationProtocol {
	return []ApplicationProtocol{ApplicationProtocolHTTP, ApplicationProtocolHTTP2, ApplicationProtocolGRPC}
}

// EnvironmentFileType is where an environment file is stored.
type EnvironmentFileType string

// EnvironmentFileTypeS3 is the only environment file type.
const EnvironmentFileTypeS3 EnvironmentFileType = "s3"

// Values returns the valid environment file types.
func (EnvironmentFileType) Values() []EnvironmentFileType {
	return []EnvironmentFileType{EnvironmentFileTypeS3}
}

// DeviceCgroupPermission is a permission a container has on a host device.
type DeviceCgroupPermission string

// Device cgroup permissions.
const (
	DeviceCgroupPermissionRead  DeviceCgroupPermission = "read"
	DeviceCgroupPermissionWrite DeviceCgroupPermission = "write"
	DeviceCgroupPermissionMknod DeviceCgroupPermission = "mknod"
)

// Values returns the valid device cgroup permissions.
func (DeviceCgroupPermission) Values() []DeviceCgroupPermission {
	return []DeviceCgroupPermission{DeviceCgroupPermissionRead, DeviceCgroupPermissionWrite, DeviceCgroupPermissionMknod}
}

// ContainerCondition is the state a container dependency waits for.
type ContainerCondition string

// Container dependency conditions.
const (
	ContainerConditionStart    ContainerCondition = "START"
	ContainerConditionComplete ContainerCondition = "COMPLETE"
	ContainerConditionSuccess  ContainerCondition = "SUCCESS"
	ContainerConditionHealthy  ContainerCondition = "HEALTHY"
)

// Values returns the valid container conditions.
func (ContainerCondition) Values() []ContainerCondition {
	return []ContainerCondition{ContainerConditionStart, ContainerConditionComplete, ContainerConditionSuccess, ContainerConditionHealthy}
}

// VersionConsistency says whether ECS resolves a container's image tag to a digest.
type VersionConsistency string

// Version consistency settings; ECS behaves as enabled when none is given.
const (
	VersionConsistencyEnabled  VersionConsistency = "enabled"
	VersionConsistencyDisabled VersionConsistency = "disabled"
)

// Values returns the valid version consistency settings.
func (VersionConsistency) Values() []VersionConsistency {
	return []VersionConsistency{VersionConsistencyEnabled, VersionConsistencyDisabled}
}

// UlimitName is the resource a ulimit limits.
type UlimitName string

// Ulimit names.
const (
	UlimitCore       UlimitName = "core"
	UlimitCPU        UlimitName = "cpu"
	UlimitData       UlimitName = "data"
	UlimitFsize      UlimitName = "fsize"
	UlimitLocks      UlimitName = "locks"
	UlimitMemlock    UlimitName = "memlock"
	UlimitMsgqueue   UlimitName = "msgqueue"
	UlimitNice       UlimitName = "nice"
	UlimitNofile     UlimitName = "nofile"
	UlimitNproc      UlimitName = "nproc"
	UlimitRss        UlimitName = "rss"
	UlimitRtprio     UlimitName = "rtprio"
	UlimitRttime     UlimitName = "rttime"
	UlimitSigpending UlimitName = "sigpending"
	UlimitStack      UlimitName = "stack"
)

// Values returns the valid ulimit names.
func (UlimitName) Values() []UlimitName {
	return []UlimitName{UlimitCore, UlimitCPU, UlimitData, UlimitFsize, UlimitLocks, UlimitMemlock, UlimitMsgqueue,
		UlimitNice, UlimitNofile, UlimitNproc, UlimitRss, UlimitRtprio, UlimitRttime, UlimitSigpending, UlimitStack}
}

// LogDriver is the Docker log driver of a container.
type LogDriver string

// Log drivers.
const (
	LogDriverJSONFile    LogDriver = "json-file"
	LogDriverSyslog      LogDriver = "syslog"
	LogDriverJournald    LogDriver = "journald"
	LogDriverGelf        LogDriver = "gelf"
	LogDriverFluentd     LogDriver = "fluentd"
	LogDriverAwslogs     LogDriver = "awslogs"
	LogDriverSplunk      LogDriver = "splunk"
	LogDriverAwsfirelens LogDriver = "awsfirelens"
)

// Values returns the valid log drivers.
func (LogDriver) Values() []LogDriver {
	return []LogDriver{LogDriverJSONFile, LogDriverSyslog, LogDriverJournald, LogDriverGelf, LogDriverFluentd,
		LogDriverAwslogs, LogDriverSplunk, LogDriverAwsfirelens}
}

// ResourceType is a kind of resource a container reserves.
type ResourceType string

// Resource types.
const (
	ResourceTypeGPU                  ResourceType = "GPU"
	ResourceTypeInferenceAccelerator ResourceType = "InferenceAccelerator"
)

// Values returns the valid resource types.
func (ResourceType) Values() []ResourceType {
	return []ResourceType{ResourceTypeGPU, ResourceTypeInferenceAccelerator}
}

// FirelensConfigurationType is the log router of a FireLens container.
type FirelensConfigurationType string

// FireLens types.
const (
	FirelensFluentd   FirelensConfigurationType = "fluentd"
	FirelensFluentbit FirelensConfigurationType = "fluentbit"
)

// Values returns the valid FireLens types.
func (FirelensConfigurationType) Values() []FirelensConfigurationType {
	return []FirelensConfigurationType{FirelensFluentd, FirelensFluentbit}
}

// DockerVolumeScope is the lifetime of a Docker volume (the model's Scope shape).
type DockerVolumeScope string

// Docker volume scopes.
const (
	DockerVolumeScopeTask   DockerVolumeScope = "task"
	DockerVolumeScopeShared DockerVolumeScope = "shared"
)

// Values returns the valid Docker volume scopes.
func (DockerVolumeScope) Values() []DockerVolumeScope {
	return []DockerVolumeScope{DockerVolumeScopeTask, DockerVolumeScopeShared}
}

// EFSTransitEncryption says whether EFS traffic is encrypted in transit.
type EFSTransitEncryption string

// EFS transit encryption settings.
const (
	EFSTransitEncryptionEnabled  EFSTransitEncryption = "ENABLED"
	EFSTransitEncryptionDisabled EFSTransitEncryption = "DISABLED"
)

// Values returns the valid EFS transit encryption settings.
func (EFSTransitEncryption) Values() []EFSTransitEncryption {
	return []EFSTransitEncryption{EFSTransitEncryptionEnabled, EFSTransitEncryptionDisabled}
}

// EFSAuthorizationConfigIAM says whether the task role is used to mount an EFS file system.
type EFSAuthorizationConfigIAM string

// EFS IAM authorization settings.
const (
	EFSAuthorizationIAMEnabled  EFSAuthorizationConfigIAM = "ENABLED"
	EFSAuthorizationIAMDisabled EFSAuthorizationConfigIAM = "DISABLED"
)

// Values returns the valid EFS IAM authorization settings.
func (EFSAuthorizationConfigIAM) Values() []EFSAuthorizationConfigIAM {
	return []EFSAuthorizationConfigIAM{EFSAuthorizationIAMEnabled, EFSAuthorizationIAMDisabled}
}

// TaskDefinitionPlacementConstraintType is the kind of a task definition placement constraint.
type TaskDefinitionPlacementConstraintType string

// PlacementConstraintMemberOf is the only task definition placement constraint type.
const PlacementConstraintMemberOf TaskDefinitionPlacementConstraintType = "memberOf"

// Values returns the valid task definition placement constraint types.
func (TaskDefinitionPlacementConstraintType) Values() []TaskDefinitionPlacementConstraintType {
	return []TaskDefinitionPlacementConstraintType{PlacementConstraintMemberOf}
}

// ProxyConfigurationType is the kind of a task's proxy configuration.
type ProxyConfigurationType string

// ProxyConfigurationAppMesh is the only proxy configuration type, and the default.
const ProxyConfigurationAppMesh ProxyConfigurationType = "APPMESH"

// Values returns the valid proxy configuration types.
func (ProxyConfigurationType) Values() []ProxyConfigurationType {
	return []ProxyConfigurationType{ProxyConfigurationAppMesh}
}

// CPUArchitecture is the CPU architecture a task runs on.
type CPUArchitecture string

// CPU architectures.
const (
	CPUArchitectureX86_64 CPUArchitecture = "X86_64"
	CPUArchitectureARM64  CPUArchitecture = "ARM64"
)

// Values returns the valid CPU architectures.
func (CPUArchitecture) Values() []CPUArchitecture {
	return []CPUArchitecture{CPUArchitectureX86_64, CPUArchitectureARM64}
}

// OSFamily is the operating system a task runs on.
type OSFamily string

// Operating system families.
const (
	OSFamilyWindowsServer2019Full OSFamily = "WINDOWS_SERVER_2019_FULL"
	OSFamilyWindowsServer2019Core OSFamily = "WINDOWS_SERVER_2019_CORE"
	OSFamilyWindowsServer2016Full OSFamily = "WINDOWS_SERVER_2016_FULL"
	OSFamilyWindowsServer2004Core OSFamily = "WINDOWS_SERVER_2004_CORE"
	OSFamilyWindowsServer2022Core OSFamily = "WINDOWS_SERVER_2022_CORE"
	OSFamilyWindowsServer2022Full OSFamily = "WINDOWS_SERVER_2022_FULL"
	OSFamilyWindowsServer2025Core OSFamily = "WINDOWS_SERVER_2025_CORE"
	OSFamilyWindowsServer2025Full OSFamily = "WINDOWS_SERVER_2025_FULL"
	OSFamilyWindowsServer20H2Core OSFamily = "WINDOWS_SERVER_20H2_CORE"
	OSFamilyLinux                 OSFamily = "LINUX"
)

// Values returns the valid operating system families.
func (OSFamily) Values() []OSFamily {
	return []OSFamily{OSFamilyWindowsServer2019Full, OSFamilyWindowsServer2019Core, OSFamilyWindowsServer2016Full,
		OSFamilyWindowsServer2004Core, OSFamilyWindowsServer2022Core, OSFamilyWindowsServer2022Full,
		OSFamilyWindowsServer2025Core, OSFamilyWindowsServer2025Full, OSFamilyWindowsServer20H2Core, OSFamilyLinux}
}

// IsWindows reports whether f is one of the Windows Server families.
func (f OSFamily) IsWindows() bool { return strings.HasPrefix(string(f), "WINDOWS_") }

// TargetType is the kind of object an attribute is attached to.
type TargetType string

// TargetTypeContainerInstance is the only target type.
const TargetTypeContainerInstance TargetType = "container-instance"

// Values returns the valid target types.
func (TargetType) Values() []TargetType { return []TargetType{TargetTypeContainerInstance} }

// enum is a string type with a fixed set of values.
type enum[T any] interface {
	~string
	Values() []T
}

// checkEnum returns an error in the wording of AWS's input validation when v is set and is not
// one of its type's values. path names the member as AWS does, for example
// "containerDefinitions.1.member.portMappings.1.member.protocol".
func checkEnum[T enum[T]](path string, v T) error {
	if v == "" || slices.Contains(v.Values(), v) {
		return nil
	}
	valid := make([]string, 0, len(v.Values()))
	for _, s := range v.Values() {
		valid = append(valid, string(s))
	}
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		string(v), path, strings.Join(valid, ", "))
}
