package ecsapi

// Wire shapes of the task operations, named after the model's shapes.

type wireNetworkBinding struct {
	BindIP        *string `json:"bindIP,omitempty"`
	ContainerPort *int32  `json:"containerPort,omitempty"`
	HostPort      *int32  `json:"hostPort,omitempty"`
	Protocol      *string `json:"protocol,omitempty"`
}

type wireNetworkInterface struct {
	AttachmentID       *string `json:"attachmentId,omitempty"`
	PrivateIpv4Address *string `json:"privateIpv4Address,omitempty"`
	Ipv6Address        *string `json:"ipv6Address,omitempty"`
}

// wireContainer is the model's Container. exitCode is sent only once the container exited.
type wireContainer struct {
	ContainerArn      *string                `json:"containerArn,omitempty"`
	TaskArn           *string                `json:"taskArn,omitempty"`
	Name              *string                `json:"name,omitempty"`
	Image             *string                `json:"image,omitempty"`
	ImageDigest       *string                `json:"imageDigest,omitempty"`
	RuntimeID         *string                `json:"runtimeId,omitempty"`
	LastStatus        *string                `json:"lastStatus,omitempty"`
	ExitCode          *int32                 `json:"exitCode,omitempty"`
	Reason            *string                `json:"reason,omitempty"`
	NetworkBindings   []wireNetworkBinding   `json:"networkBindings"`
	NetworkInterfaces []wireNetworkInterface `json:"networkInterfaces"`
	HealthStatus      *string                `json:"healthStatus,omitempty"`
	Cpu               *string                `json:"cpu,omitempty"`
	Memory            *string                `json:"memory,omitempty"`
	MemoryReservation *string                `json:"memoryReservation,omitempty"`
}

type wireContainerOverride struct {
	Name                 *string                   `json:"name,omitempty"`
	Command              []string                  `json:"command,omitempty"`
	Environment          []wireKeyValuePair        `json:"environment,omitempty"`
	EnvironmentFiles     []wireEnvironmentFile     `json:"environmentFiles,omitempty"`
	Cpu                  *int32                    `json:"cpu,omitempty"`
	Memory               *int32                    `json:"memory,omitempty"`
	MemoryReservation    *int32                    `json:"memoryReservation,omitempty"`
	ResourceRequirements []wireResourceRequirement `json:"resourceRequirements,omitempty"`
}

type wireInferenceAcceleratorOverride struct {
	DeviceName *string `json:"deviceName,omitempty"`
	DeviceType *string `json:"deviceType,omitempty"`
}

type wireTaskOverride struct {
	ContainerOverrides            []wireContainerOverride            `json:"containerOverrides"`
	Cpu                           *string                            `json:"cpu,omitempty"`
	InferenceAcceleratorOverrides []wireInferenceAcceleratorOverride `json:"inferenceAcceleratorOverrides"`
	ExecutionRoleArn              *string                            `json:"executionRoleArn,omitempty"`
	Memory                        *string                            `json:"memory,omitempty"`
	TaskRoleArn                   *string                            `json:"taskRoleArn,omitempty"`
	EphemeralStorage              *wireEphemeralStorage              `json:"ephemeralStorage,omitempty"`
}

// wireTask is the model's Task. The lists clients index (containers, attachments) are always
// sent, and timestamps only once they happened.
type wireTask struct {
	Attachments          []wireAttachment  `json:"attachments"`
	Attributes           []wireAttribute   `json:"attributes"`
	AvailabilityZone     *string           `json:"availabilityZone,omitempty"`
	ClusterArn           *string           `json:"clusterArn,omitempty"`
	Connectivity         *string           `json:"connectivity,omitempty"`
	ConnectivityAt       *epochSeconds     `json:"connectivityAt,omitempty"`
	ContainerInstanceArn *string           `json:"containerInstanceArn,omitempty"`
	Containers           []wireContainer   `json:"containers"`
	Cpu                  *string           `json:"cpu,omitempty"`
	CreatedAt            *epochSeconds     `json:"createdAt,omitempty"`
	DesiredStatus        *string           `json:"desiredStatus,omitempty"`
	EnableExecuteCommand bool              `json:"enableExecuteCommand"`
	ExecutionStoppedAt   *epochSeconds     `json:"executionStoppedAt,omitempty"`
	Group                *string           `json:"group,omitempty"`
	HealthStatus         *string           `json:"healthStatus,omitempty"`
	LastStatus           *string           `json:"lastStatus,omitempty"`
	LaunchType           *string           `json:"launchType,omitempty"`
	CapacityProviderName *string           `json:"capacityProviderName,omitempty"`
	Memory               *string           `json:"memory,omitempty"`
	Overrides            *wireTaskOverride `json:"overrides,omitempty"`
	PlatformVersion      *string           `json:"platformVersion,omitempty"`
	PlatformFamily       *string           `json:"platformFamily,omitempty"`
	PullStartedAt        *epochSeconds     `json:"pullStartedAt,omitempty"`
	PullStoppedAt        *epochSeconds     `json:"pullStoppedAt,omitempty"`
	StartedAt            *epochSeconds     `json:"startedAt,omitempty"`
	StartedBy            *string           `json:"startedBy,omitempty"`
	StopCode             *string           `json:"stopCode,omitempty"`
	StoppedAt            *epochSeconds     `json:"stoppedAt,omitempty"`
	StoppedReason        *string           `json:"stoppedReason,omitempty"`
	StoppingAt           *epochSeconds     `json:"stoppingAt,omitempty"`
	// Tags is sent, [] when there are none, when the caller asked for TAGS.
	Tags              *[]wireTag            `json:"tags,omitempty"`
	TaskArn           *string               `json:"taskArn,omitempty"`
	TaskDefinitionArn *string               `json:"taskDefinitionArn,omitempty"`
	Version           int64                 `json:"version"`
	EphemeralStorage  *wireEphemeralStorage `json:"ephemeralStorage,omitempty"`
}

type runTaskInput struct {
	CapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy"`
	Cluster                  *string                            `json:"cluster"`
	Count                    *int32                             `json:"count"`
	EnableECSManagedTags     bool                               `json:"enableECSManagedTags"`
	EnableExecuteCommand     bool                               `json:"enableExecuteCommand"`
	Group                    *string                            `json:"group"`
	LaunchType               *string                            `json:"launchType"`
	NetworkConfiguration     *wireNetworkConfiguration          `json:"networkConfiguration"`
	Overrides                *wireTaskOverride                  `json:"overrides"`
	PlacementConstraints     []wirePlacementConstraint          `json:"placementConstraints"`
	PlacementStrategy        []wirePlacementStrategy            `json:"placementStrategy"`
	PlatformVersion          *string                            `json:"platformVersion"`
	PropagateTags            *string                            `json:"propagateTags"`
	ReferenceID              *string                            `json:"referenceId"`
	StartedBy                *string                            `json:"startedBy"`
	Tags                     []wireTag                          `json:"tags"`
	TaskDefinition           *string                            `json:"taskDefinition"`
	ClientToken              *string                            `json:"clientToken"`
}

type startTaskInput struct {
	Cluster              *string                   `json:"cluster"`
	ContainerInstances   []string                  `json:"containerInstances"`
	EnableECSManagedTags bool                      `json:"enableECSManagedTags"`
	EnableExecuteCommand bool                      `json:"enableExecuteCommand"`
	Group                *string                   `json:"group"`
	NetworkConfiguration *wireNetworkConfiguration `json:"networkConfiguration"`
	Overrides            *wireTaskOverride         `json:"overrides"`
	PropagateTags        *string                   `json:"propagateTags"`
	ReferenceID          *string                   `json:"referenceId"`
	StartedBy            *string                   `json:"startedBy"`
	Tags                 []wireTag                 `json:"tags"`
	TaskDefinition       *string                   `json:"taskDefinition"`
}

// tasksOutput is the output of RunTask, StartTask and DescribeTasks.
type tasksOutput struct {
	Tasks    []wireTask    `json:"tasks"`
	Failures []wireFailure `json:"failures"`
}

type stopTaskInput struct {
	Cluster *string `json:"cluster"`
	Task    *string `json:"task"`
	Reason  *string `json:"reason"`
}

type stopTaskOutput struct {
	Task *wireTask `json:"task,omitempty"`
}

type describeTasksInput struct {
	Cluster *string  `json:"cluster"`
	Tasks   []string `json:"tasks"`
	Include []string `json:"include"`
}

type listTasksInput struct {
	Cluster           *string `json:"cluster"`
	ContainerInstance *string `json:"containerInstance"`
	Family            *string `json:"family"`
	NextToken         *string `json:"nextToken"`
	MaxResults        *int32  `json:"maxResults"`
	StartedBy         *string `json:"startedBy"`
	ServiceName       *string `json:"serviceName"`
	DesiredStatus     *string `json:"desiredStatus"`
	LaunchType        *string `json:"launchType"`
	DaemonName        *string `json:"daemonName"`
}

type listTasksOutput struct {
	TaskArns  []string `json:"taskArns"`
	NextToken *string  `json:"nextToken,omitempty"`
}
