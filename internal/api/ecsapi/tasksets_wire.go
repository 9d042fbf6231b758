package ecsapi

// Wire shapes of the task set operations, named after the model's shapes.

// wireScale is the model's Scale. The SDKs leave out a value of 0, so an absent value is 0.
type wireScale struct {
	Value float64 `json:"value"`
	Unit  *string `json:"unit,omitempty"`
}

// wireTaskSet is the model's TaskSet. Counts and the lists are always sent.
type wireTaskSet struct {
	ID                       *string                            `json:"id,omitempty"`
	TaskSetArn               *string                            `json:"taskSetArn,omitempty"`
	ServiceArn               *string                            `json:"serviceArn,omitempty"`
	ClusterArn               *string                            `json:"clusterArn,omitempty"`
	StartedBy                *string                            `json:"startedBy,omitempty"`
	ExternalId               *string                            `json:"externalId,omitempty"`
	Status                   *string                            `json:"status,omitempty"`
	TaskDefinition           *string                            `json:"taskDefinition,omitempty"`
	ComputedDesiredCount     int32                              `json:"computedDesiredCount"`
	PendingCount             int32                              `json:"pendingCount"`
	RunningCount             int32                              `json:"runningCount"`
	CreatedAt                *epochSeconds                      `json:"createdAt,omitempty"`
	UpdatedAt                *epochSeconds                      `json:"updatedAt,omitempty"`
	LaunchType               *string                            `json:"launchType,omitempty"`
	CapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy"`
	PlatformVersion          *string                            `json:"platformVersion,omitempty"`
	PlatformFamily           *string                            `json:"platformFamily,omitempty"`
	NetworkConfiguration     *wireNetworkConfiguration          `json:"networkConfiguration,omitempty"`
	LoadBalancers            []wireLoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries        []wireServiceRegistry              `json:"serviceRegistries"`
	Scale                    *wireScale                         `json:"scale,omitempty"`
	StabilityStatus          *string                            `json:"stabilityStatus,omitempty"`
	StabilityStatusAt        *epochSeconds                      `json:"stabilityStatusAt,omitempty"`
	// Tags is sent, [] when there are none, only when the caller asked for TAGS.
	Tags *[]wireTag `json:"tags,omitempty"`
}

type createTaskSetInput struct {
	Service                  *string                            `json:"service"`
	Cluster                  *string                            `json:"cluster"`
	ExternalId               *string                            `json:"externalId"`
	TaskDefinition           *string                            `json:"taskDefinition"`
	NetworkConfiguration     *wireNetworkConfiguration          `json:"networkConfiguration"`
	LoadBalancers            []wireLoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries        []wireServiceRegistry              `json:"serviceRegistries"`
	LaunchType               *string                            `json:"launchType"`
	CapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy"`
	PlatformVersion          *string                            `json:"platformVersion"`
	Scale                    *wireScale                         `json:"scale"`
	ClientToken              *string                            `json:"clientToken"`
	Tags                     []wireTag                          `json:"tags"`
}

type describeTaskSetsInput struct {
	Cluster  *string  `json:"cluster"`
	Service  *string  `json:"service"`
	TaskSets []string `json:"taskSets"`
	Include  []string `json:"include"`
}

type describeTaskSetsOutput struct {
	TaskSets []wireTaskSet `json:"taskSets"`
	Failures []wireFailure `json:"failures"`
}

type updateTaskSetInput struct {
	Cluster *string    `json:"cluster"`
	Service *string    `json:"service"`
	TaskSet *string    `json:"taskSet"`
	Scale   *wireScale `json:"scale"`
}

type updateServicePrimaryTaskSetInput struct {
	Cluster        *string `json:"cluster"`
	Service        *string `json:"service"`
	PrimaryTaskSet *string `json:"primaryTaskSet"`
}

type deleteTaskSetInput struct {
	Cluster *string `json:"cluster"`
	Service *string `json:"service"`
	TaskSet *string `json:"taskSet"`
	Force   *bool   `json:"force"`
}

// taskSetOutput answers CreateTaskSet, UpdateTaskSet, UpdateServicePrimaryTaskSet and
// DeleteTaskSet.
type taskSetOutput struct {
	TaskSet *wireTaskSet `json:"taskSet,omitempty"`
}
