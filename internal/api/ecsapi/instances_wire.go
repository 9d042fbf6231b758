package ecsapi

// Wire shapes of the container instance operations, named after the model's shapes.

// wireResource is the model's Resource; its numbers are plain (not boxed) and always sent.
type wireResource struct {
	Name           *string  `json:"name,omitempty"`
	Type           *string  `json:"type,omitempty"`
	DoubleValue    float64  `json:"doubleValue"`
	LongValue      int64    `json:"longValue"`
	IntegerValue   int32    `json:"integerValue"`
	StringSetValue []string `json:"stringSetValue,omitempty"`
}

type wireVersionInfo struct {
	AgentVersion  *string `json:"agentVersion,omitempty"`
	AgentHash     *string `json:"agentHash,omitempty"`
	DockerVersion *string `json:"dockerVersion,omitempty"`
}

type wireInstanceHealthCheckResult struct {
	Type             *string       `json:"type,omitempty"`
	Status           *string       `json:"status,omitempty"`
	StatusReason     *string       `json:"statusReason,omitempty"`
	LastUpdated      *epochSeconds `json:"lastUpdated,omitempty"`
	LastStatusChange *epochSeconds `json:"lastStatusChange,omitempty"`
}

type wireContainerInstanceHealthStatus struct {
	OverallStatus *string                         `json:"overallStatus,omitempty"`
	Details       []wireInstanceHealthCheckResult `json:"details"`
}

// wireContainerInstance is the model's ContainerInstance.
type wireContainerInstance struct {
	ContainerInstanceArn *string                            `json:"containerInstanceArn,omitempty"`
	Version              int64                              `json:"version"`
	VersionInfo          *wireVersionInfo                   `json:"versionInfo,omitempty"`
	RemainingResources   []wireResource                     `json:"remainingResources"`
	RegisteredResources  []wireResource                     `json:"registeredResources"`
	Status               *string                            `json:"status,omitempty"`
	AgentConnected       bool                               `json:"agentConnected"`
	RunningTasksCount    int32                              `json:"runningTasksCount"`
	PendingTasksCount    int32                              `json:"pendingTasksCount"`
	Attributes           []wireAttribute                    `json:"attributes"`
	RegisteredAt         *epochSeconds                      `json:"registeredAt,omitempty"`
	Attachments          []wireAttachment                   `json:"attachments"`
	Tags                 *[]wireTag                         `json:"tags,omitempty"`
	HealthStatus         *wireContainerInstanceHealthStatus `json:"healthStatus,omitempty"`
}

type listContainerInstancesInput struct {
	Cluster    *string `json:"cluster"`
	Filter     *string `json:"filter"`
	NextToken  *string `json:"nextToken"`
	MaxResults *int32  `json:"maxResults"`
	Status     *string `json:"status"`
}

type listContainerInstancesOutput struct {
	ContainerInstanceArns []string `json:"containerInstanceArns"`
	NextToken             *string  `json:"nextToken,omitempty"`
}

type describeContainerInstancesInput struct {
	Cluster            *string  `json:"cluster"`
	ContainerInstances []string `json:"containerInstances"`
	Include            []string `json:"include"`
}

type describeContainerInstancesOutput struct {
	ContainerInstances []wireContainerInstance `json:"containerInstances"`
	Failures           []wireFailure           `json:"failures"`
}
