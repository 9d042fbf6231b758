package ecsapi

// The ECS wire shapes of task definitions and their operations (RegisterTaskDefinition,
// DescribeTaskDefinition, ListTaskDefinitions, ListTaskDefinitionFamilies,
// DeregisterTaskDefinition, DeleteTaskDefinitions).
//
// Naming, as in the rest of the package: a shape is "wire" followed by the botocore shape name
// (wireTaskDefinition is the model's TaskDefinition); an operation's input and output are
// <operation>Input and <operation>Output. JSON names are exactly the model's member names, which
// taskdef_wire_test.go checks against testdata/ecs-members.json. The shapes other operations
// share (wireTag, wireKeyValuePair, wireFailure) and epochSeconds live in wire.go.
//
// Types follow the AWS SDKs: a Boxed member (optional) is a pointer with omitempty, a plain
// Integer member (default 0) is an int32 that is always sent, lists and maps use omitempty. The
// members ECS always returns, even empty, have no omitempty and are filled with non-nil values by
// the conversions: per container cpu, portMappings, essential, environment, mountPoints,
// volumesFrom and systemControls; per task definition containerDefinitions, revision, volumes,
// requiresAttributes, placementConstraints and compatibilities.

import "reflect"

// registerTaskDefinitionInput is the input of RegisterTaskDefinition.
type registerTaskDefinitionInput struct {
	Family                  *string                                 `json:"family,omitempty"`
	TaskRoleArn             *string                                 `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        *string                                 `json:"executionRoleArn,omitempty"`
	NetworkMode             *string                                 `json:"networkMode,omitempty"`
	ContainerDefinitions    []wireContainerDefinition               `json:"containerDefinitions,omitempty"`
	Volumes                 []wireVolume                            `json:"volumes,omitempty"`
	PlacementConstraints    []wireTaskDefinitionPlacementConstraint `json:"placementConstraints,omitempty"`
	RequiresCompatibilities []string                                `json:"requiresCompatibilities,omitempty"`
	Cpu                     *string                                 `json:"cpu,omitempty"`
	Memory                  *string                                 `json:"memory,omitempty"`
	Tags                    []wireTag                               `json:"tags,omitempty"`
	PidMode                 *string                                 `json:"pidMode,omitempty"`
	IpcMode                 *string                                 `json:"ipcMode,omitempty"`
	ProxyConfiguration      *wireProxyConfiguration                 `json:"proxyConfiguration,omitempty"`
	InferenceAccelerators   []wireInferenceAccelerator              `json:"inferenceAccelerators,omitempty"`
	EphemeralStorage        *wireEphemeralStorage                   `json:"ephemeralStorage,omitempty"`
	RuntimePlatform         *wireRuntimePlatform                    `json:"runtimePlatform,omitempty"`
	EnableFaultInjection    *bool                                   `json:"enableFaultInjection,omitempty"`
}

// registerTaskDefinitionOutput is the output of RegisterTaskDefinition.
type registerTaskDefinitionOutput struct {
	TaskDefinition *wireTaskDefinition `json:"taskDefinition,omitempty"`
	// Tags is left out when nil and sent, possibly empty, when not.
	Tags []wireTag `json:"tags,omitzero"`
}

// describeTaskDefinitionInput is the input of DescribeTaskDefinition. Include may hold
// "TAGS".
type describeTaskDefinitionInput struct {
	TaskDefinition *string  `json:"taskDefinition,omitempty"`
	Include        []string `json:"include,omitempty"`
}

// describeTaskDefinitionOutput is the output of DescribeTaskDefinition. ECS sends tags
// only when the request included TAGS, and then even when there are none.
type describeTaskDefinitionOutput struct {
	TaskDefinition *wireTaskDefinition `json:"taskDefinition,omitempty"`
	Tags           []wireTag           `json:"tags,omitzero"`
}

// listTaskDefinitionsInput is the input of ListTaskDefinitions.
type listTaskDefinitionsInput struct {
	FamilyPrefix *string `json:"familyPrefix,omitempty"`
	Status       *string `json:"status,omitempty"`
	Sort         *string `json:"sort,omitempty"`
	NextToken    *string `json:"nextToken,omitempty"`
	MaxResults   *int32  `json:"maxResults,omitempty"`
}

// listTaskDefinitionsOutput is the output of ListTaskDefinitions; the list is always sent.
type listTaskDefinitionsOutput struct {
	TaskDefinitionArns []string `json:"taskDefinitionArns"`
	NextToken          *string  `json:"nextToken,omitempty"`
}

// listTaskDefinitionFamiliesInput is the input of ListTaskDefinitionFamilies.
type listTaskDefinitionFamiliesInput struct {
	FamilyPrefix *string `json:"familyPrefix,omitempty"`
	Status       *string `json:"status,omitempty"`
	NextToken    *string `json:"nextToken,omitempty"`
	MaxResults   *int32  `json:"maxResults,omitempty"`
}

// listTaskDefinitionFamiliesOutput is the output of ListTaskDefinitionFamilies; the list is
// always sent.
type listTaskDefinitionFamiliesOutput struct {
	Families  []string `json:"families"`
	NextToken *string  `json:"nextToken,omitempty"`
}

// deregisterTaskDefinitionInput is the input of DeregisterTaskDefinition.
type deregisterTaskDefinitionInput struct {
	TaskDefinition *string `json:"taskDefinition,omitempty"`
}

// deregisterTaskDefinitionOutput is the output of DeregisterTaskDefinition.
type deregisterTaskDefinitionOutput struct {
	TaskDefinition *wireTaskDefinition `json:"taskDefinition,omitempty"`
}

// deleteTaskDefinitionsInput is the input of DeleteTaskDefinitions.
type deleteTaskDefinitionsInput struct {
	TaskDefinitions []string `json:"taskDefinitions,omitempty"`
}

// deleteTaskDefinitionsOutput is the output of DeleteTaskDefinitions; both lists are always
// sent.
type deleteTaskDefinitionsOutput struct {
	TaskDefinitions []wireTaskDefinition `json:"taskDefinitions"`
	Failures        []wireFailure        `json:"failures"`
}

// wireTaskDefinition is a task definition as ECS returns it.
type wireTaskDefinition struct {
	TaskDefinitionArn       *string                                 `json:"taskDefinitionArn,omitempty"`
	ContainerDefinitions    []wireContainerDefinition               `json:"containerDefinitions"`
	Family                  *string                                 `json:"family,omitempty"`
	TaskRoleArn             *string                                 `json:"taskRoleArn,omitempty"`
	ExecutionRoleArn        *string                                 `json:"executionRoleArn,omitempty"`
	NetworkMode             *string                                 `json:"networkMode,omitempty"`
	Revision                int32                                   `json:"revision"`
	Volumes                 []wireVolume                            `json:"volumes"`
	Status                  *string                                 `json:"status,omitempty"`
	RequiresAttributes      []wireAttribute                         `json:"requiresAttributes"`
	PlacementConstraints    []wireTaskDefinitionPlacementConstraint `json:"placementConstraints"`
	Compatibilities         []string                                `json:"compatibilities"`
	RuntimePlatform         *wireRuntimePlatform                    `json:"runtimePlatform,omitempty"`
	RequiresCompatibilities []string                                `json:"requiresCompatibilities,omitempty"`
	Cpu                     *string                                 `json:"cpu,omitempty"`
	Memory                  *string                                 `json:"memory,omitempty"`
	InferenceAccelerators   []wireInferenceAccelerator              `json:"inferenceAccelerators,omitempty"`
	PidMode                 *string                                 `json:"pidMode,omitempty"`
	IpcMode                 *string                                 `json:"ipcMode,omitempty"`
	ProxyConfiguration      *wireProxyConfiguration                 `json:"proxyConfiguration,omitempty"`
	RegisteredAt            *epochSeconds                           `json:"registeredAt,omitempty"`
	DeregisteredAt          *epochSeconds                           `json:"deregisteredAt,omitempty"`
	DeleteRequestedAt       *epochSeconds                           `json:"deleteRequestedAt,omitempty"`
	RegisteredBy            *string                                 `json:"registeredBy,omitempty"`
	EphemeralStorage        *wireEphemeralStorage                   `json:"ephemeralStorage,omitempty"`
	EnableFaultInjection    *bool                                   `json:"enableFaultInjection,omitempty"`
}

// wireContainerDefinition is a container definition, both in requests and in responses.
type wireContainerDefinition struct {
	Name                   *string                     `json:"name,omitempty"`
	Image                  *string                     `json:"image,omitempty"`
	RepositoryCredentials  *wireRepositoryCredentials  `json:"repositoryCredentials,omitempty"`
	Cpu                    int32                       `json:"cpu"`
	Memory                 *int32                      `json:"memory,omitempty"`
	MemoryReservation      *int32                      `json:"memoryReservation,omitempty"`
	Links                  []string                    `json:"links,omitempty"`
	PortMappings           []wirePortMapping           `json:"portMappings"`
	Essential              *bool                       `json:"essential,omitempty"`
	RestartPolicy          *wireContainerRestartPolicy `json:"restartPolicy,omitempty"`
	EntryPoint             []string                    `json:"entryPoint,omitempty"`
	Command                []string                    `json:"command,omitempty"`
	Environment            []wireKeyValuePair          `json:"environment"`
	EnvironmentFiles       []wireEnvironmentFile       `json:"environmentFiles,omitempty"`
	MountPoints            []wireMountPoint            `json:"mountPoints"`
	VolumesFrom            []wireVolumeFrom            `json:"volumesFrom"`
	LinuxParameters        *wireLinuxParameters        `json:"linuxParameters,omitempty"`
	Secrets                []wireSecret                `json:"secrets,omitempty"`
	DependsOn              []wireContainerDependency   `json:"dependsOn,omitempty"`
	StartTimeout           *int32                      `json:"startTimeout,omitempty"`
	StopTimeout            *int32                      `json:"stopTimeout,omitempty"`
	VersionConsistency     *string                     `json:"versionConsistency,omitempty"`
	Hostname               *string                     `json:"hostname,omitempty"`
	User                   *string                     `json:"user,omitempty"`
	WorkingDirectory       *string                     `json:"workingDirectory,omitempty"`
	DisableNetworking      *bool                       `json:"disableNetworking,omitempty"`
	Privileged             *bool                       `json:"privileged,omitempty"`
	ReadonlyRootFilesystem *bool                       `json:"readonlyRootFilesystem,omitempty"`
	DnsServers             []string                    `json:"dnsServers,omitempty"`
	DnsSearchDomains       []string                    `json:"dnsSearchDomains,omitempty"`
	ExtraHosts             []wireHostEntry             `json:"extraHosts,omitempty"`
	DockerSecurityOptions  []string                    `json:"dockerSecurityOptions,omitempty"`
	Interactive            *bool                       `json:"interactive,omitempty"`
	PseudoTerminal         *bool                       `json:"pseudoTerminal,omitempty"`
	DockerLabels           map[string]string           `json:"dockerLabels,omitempty"`
	Ulimits                []wireUlimit                `json:"ulimits,omitempty"`
	LogConfiguration       *wireLogConfiguration       `json:"logConfiguration,omitempty"`
	HealthCheck            *wireHealthCheck            `json:"healthCheck,omitempty"`
	SystemControls         []wireSystemControl         `json:"systemControls"`
	ResourceRequirements   []wireResourceRequirement   `json:"resourceRequirements,omitempty"`
	FirelensConfiguration  *wireFirelensConfiguration  `json:"firelensConfiguration,omitempty"`
	CredentialSpecs        []string                    `json:"credentialSpecs,omitempty"`
}

type wireRepositoryCredentials struct {
	CredentialsParameter *string `json:"credentialsParameter,omitempty"`
}

type wirePortMapping struct {
	ContainerPort      *int32  `json:"containerPort,omitempty"`
	HostPort           *int32  `json:"hostPort,omitempty"`
	Protocol           *string `json:"protocol,omitempty"`
	Name               *string `json:"name,omitempty"`
	AppProtocol        *string `json:"appProtocol,omitempty"`
	ContainerPortRange *string `json:"containerPortRange,omitempty"`
}

type wireContainerRestartPolicy struct {
	Enabled              *bool   `json:"enabled,omitempty"`
	IgnoredExitCodes     []int32 `json:"ignoredExitCodes,omitempty"`
	RestartAttemptPeriod *int32  `json:"restartAttemptPeriod,omitempty"`
}

type wireEnvironmentFile struct {
	Value *string `json:"value,omitempty"`
	Type  *string `json:"type,omitempty"`
}

type wireMountPoint struct {
	SourceVolume  *string `json:"sourceVolume,omitempty"`
	ContainerPath *string `json:"containerPath,omitempty"`
	ReadOnly      *bool   `json:"readOnly,omitempty"`
}

type wireVolumeFrom struct {
	SourceContainer *string `json:"sourceContainer,omitempty"`
	ReadOnly        *bool   `json:"readOnly,omitempty"`
}

type wireLinuxParameters struct {
	Capabilities       *wireKernelCapabilities `json:"capabilities,omitempty"`
	Devices            []wireDevice            `json:"devices,omitempty"`
	InitProcessEnabled *bool                   `json:"initProcessEnabled,omitempty"`
	SharedMemorySize   *int32                  `json:"sharedMemorySize,omitempty"`
	Tmpfs              []wireTmpfs             `json:"tmpfs,omitempty"`
	MaxSwap            *int32                  `json:"maxSwap,omitempty"`
	Swappiness         *int32                  `json:"swappiness,omitempty"`
}

type wireKernelCapabilities struct {
	Add  []string `json:"add,omitempty"`
	Drop []string `json:"drop,omitempty"`
}

type wireDevice struct {
	HostPath      *string  `json:"hostPath,omitempty"`
	ContainerPath *string  `json:"containerPath,omitempty"`
	Permissions   []string `json:"permissions,omitempty"`
}

type wireTmpfs struct {
	ContainerPath *string  `json:"containerPath,omitempty"`
	Size          int32    `json:"size"`
	MountOptions  []string `json:"mountOptions,omitempty"`
}

type wireSecret struct {
	Name      *string `json:"name,omitempty"`
	ValueFrom *string `json:"valueFrom,omitempty"`
}

type wireContainerDependency struct {
	ContainerName *string `json:"containerName,omitempty"`
	Condition     *string `json:"condition,omitempty"`
}

type wireHostEntry struct {
	Hostname  *string `json:"hostname,omitempty"`
	IpAddress *string `json:"ipAddress,omitempty"`
}

type wireUlimit struct {
	Name      *string `json:"name,omitempty"`
	SoftLimit int32   `json:"softLimit"`
	HardLimit int32   `json:"hardLimit"`
}

type wireLogConfiguration struct {
	LogDriver     *string           `json:"logDriver,omitempty"`
	Options       map[string]string `json:"options,omitempty"`
	SecretOptions []wireSecret      `json:"secretOptions,omitempty"`
}

type wireHealthCheck struct {
	Command     []string `json:"command"`
	Interval    *int32   `json:"interval,omitempty"`
	Timeout     *int32   `json:"timeout,omitempty"`
	Retries     *int32   `json:"retries,omitempty"`
	StartPeriod *int32   `json:"startPeriod,omitempty"`
}

type wireSystemControl struct {
	Namespace *string `json:"namespace,omitempty"`
	Value     *string `json:"value,omitempty"`
}

type wireResourceRequirement struct {
	Value *string `json:"value,omitempty"`
	Type  *string `json:"type,omitempty"`
}

type wireFirelensConfiguration struct {
	Type    *string           `json:"type,omitempty"`
	Options map[string]string `json:"options,omitempty"`
}

type wireVolume struct {
	Name                                    *string                                      `json:"name,omitempty"`
	Host                                    *wireHostVolumeProperties                    `json:"host,omitempty"`
	DockerVolumeConfiguration               *wireDockerVolumeConfiguration               `json:"dockerVolumeConfiguration,omitempty"`
	EfsVolumeConfiguration                  *wireEFSVolumeConfiguration                  `json:"efsVolumeConfiguration,omitempty"`
	S3filesVolumeConfiguration              *wireS3FilesVolumeConfiguration              `json:"s3filesVolumeConfiguration,omitempty"`
	FsxWindowsFileServerVolumeConfiguration *wireFSxWindowsFileServerVolumeConfiguration `json:"fsxWindowsFileServerVolumeConfiguration,omitempty"`
	ConfiguredAtLaunch                      *bool                                        `json:"configuredAtLaunch,omitempty"`
}

type wireHostVolumeProperties struct {
	SourcePath *string `json:"sourcePath,omitempty"`
}

type wireDockerVolumeConfiguration struct {
	Scope         *string           `json:"scope,omitempty"`
	Autoprovision *bool             `json:"autoprovision,omitempty"`
	Driver        *string           `json:"driver,omitempty"`
	DriverOpts    map[string]string `json:"driverOpts,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
}

type wireEFSVolumeConfiguration struct {
	FileSystemId          *string                     `json:"fileSystemId,omitempty"`
	RootDirectory         *string                     `json:"rootDirectory,omitempty"`
	TransitEncryption     *string                     `json:"transitEncryption,omitempty"`
	TransitEncryptionPort *int32                      `json:"transitEncryptionPort,omitempty"`
	AuthorizationConfig   *wireEFSAuthorizationConfig `json:"authorizationConfig,omitempty"`
}

type wireEFSAuthorizationConfig struct {
	AccessPointId *string `json:"accessPointId,omitempty"`
	Iam           *string `json:"iam,omitempty"`
}

type wireS3FilesVolumeConfiguration struct {
	FileSystemArn         *string `json:"fileSystemArn,omitempty"`
	RootDirectory         *string `json:"rootDirectory,omitempty"`
	TransitEncryptionPort *int32  `json:"transitEncryptionPort,omitempty"`
	AccessPointArn        *string `json:"accessPointArn,omitempty"`
}

type wireFSxWindowsFileServerVolumeConfiguration struct {
	FileSystemId        *string                                      `json:"fileSystemId,omitempty"`
	RootDirectory       *string                                      `json:"rootDirectory,omitempty"`
	AuthorizationConfig *wireFSxWindowsFileServerAuthorizationConfig `json:"authorizationConfig,omitempty"`
}

type wireFSxWindowsFileServerAuthorizationConfig struct {
	CredentialsParameter *string `json:"credentialsParameter,omitempty"`
	Domain               *string `json:"domain,omitempty"`
}

type wireTaskDefinitionPlacementConstraint struct {
	Type       *string `json:"type,omitempty"`
	Expression *string `json:"expression,omitempty"`
}

type wireAttribute struct {
	Name       *string `json:"name,omitempty"`
	Value      *string `json:"value,omitempty"`
	TargetType *string `json:"targetType,omitempty"`
	TargetId   *string `json:"targetId,omitempty"`
}

type wireRuntimePlatform struct {
	CpuArchitecture       *string `json:"cpuArchitecture,omitempty"`
	OperatingSystemFamily *string `json:"operatingSystemFamily,omitempty"`
}

type wireInferenceAccelerator struct {
	DeviceName *string `json:"deviceName,omitempty"`
	DeviceType *string `json:"deviceType,omitempty"`
}

type wireProxyConfiguration struct {
	Type          *string            `json:"type,omitempty"`
	ContainerName *string            `json:"containerName,omitempty"`
	Properties    []wireKeyValuePair `json:"properties,omitempty"`
}

type wireEphemeralStorage struct {
	SizeInGiB int32 `json:"sizeInGiB"`
}

// The helpers below carry members between the domain's plain values and optional wire members
// (optional and deref do the same for scalars).

// structToWire converts a nested domain structure to its optional wire member: nil when v is the
// zero value, which in the domain means "not given".
func structToWire[T, W any](v T, conv func(T) W) *W {
	if reflect.ValueOf(&v).Elem().IsZero() {
		return nil
	}
	w := conv(v)
	return &w
}

// listToWire converts a list for a member that is left out when empty.
func listToWire[T, W any](in []T, conv func(T) W) []W {
	if len(in) == 0 {
		return nil
	}
	return alwaysListToWire(in, conv)
}

// alwaysListToWire converts a list for a member that ECS always sends, as [] when empty.
func alwaysListToWire[T, W any](in []T, conv func(T) W) []W {
	out := make([]W, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}

// listFromWire converts a request list to domain values; an absent or empty list becomes nil.
func listFromWire[W, T any](in []W, conv func(W) T) []T {
	if len(in) == 0 {
		return nil
	}
	out := make([]T, len(in))
	for i, v := range in {
		out[i] = conv(v)
	}
	return out
}

// sameValue is the identity conversion, for lists of strings.
func sameValue[T any](v T) T { return v }
