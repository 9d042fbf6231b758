package ecsapi

import "encoding/json"

// Wire shapes of the service operations, named after the model's shapes. Members fargo does not
// implement (service connect, VPC Lattice, volume configurations, ...) are accepted by leaving
// them out of the request structs, and never sent.

type wireLoadBalancer struct {
	TargetGroupArn   *string `json:"targetGroupArn,omitempty"`
	LoadBalancerName *string `json:"loadBalancerName,omitempty"`
	ContainerName    *string `json:"containerName,omitempty"`
	ContainerPort    *int32  `json:"containerPort,omitempty"`
	// AdvancedConfiguration is the native blue/green, linear and canary strategies' pair.
	AdvancedConfiguration *wireAdvancedConfiguration `json:"advancedConfiguration,omitempty"`
}

type wireAdvancedConfiguration struct {
	AlternateTargetGroupArn *string `json:"alternateTargetGroupArn,omitempty"`
	ProductionListenerRule  *string `json:"productionListenerRule,omitempty"`
	TestListenerRule        *string `json:"testListenerRule,omitempty"`
	RoleArn                 *string `json:"roleArn,omitempty"`
}

type wireLinearConfiguration struct {
	StepPercent           *float64 `json:"stepPercent,omitempty"`
	StepBakeTimeInMinutes *int32   `json:"stepBakeTimeInMinutes,omitempty"`
}

type wireCanaryConfiguration struct {
	CanaryPercent           *float64 `json:"canaryPercent,omitempty"`
	CanaryBakeTimeInMinutes *int32   `json:"canaryBakeTimeInMinutes,omitempty"`
}

type wireHookTimeout struct {
	TimeoutInMinutes *int32  `json:"timeoutInMinutes,omitempty"`
	Action           *string `json:"action,omitempty"`
}

type wireLifecycleHook struct {
	TargetType           *string          `json:"targetType,omitempty"`
	HookTargetArn        *string          `json:"hookTargetArn,omitempty"`
	RoleArn              *string          `json:"roleArn,omitempty"`
	LifecycleStages      []string         `json:"lifecycleStages,omitempty"`
	HookDetails          *wireDocument    `json:"hookDetails,omitempty"`
	TimeoutConfiguration *wireHookTimeout `json:"timeoutConfiguration,omitempty"`
}

// wireDocument is a member of the model's document type (any JSON value), kept as it came.
type wireDocument struct{ raw json.RawMessage }

func (d wireDocument) MarshalJSON() ([]byte, error) { return d.raw, nil }

func (d *wireDocument) UnmarshalJSON(b []byte) error {
	d.raw = append(json.RawMessage(nil), b...)
	return nil
}

type wireAwsVpcConfiguration struct {
	Subnets        []string `json:"subnets"`
	SecurityGroups []string `json:"securityGroups,omitempty"`
	AssignPublicIp *string  `json:"assignPublicIp,omitempty"`
}

type wireNetworkConfiguration struct {
	AwsvpcConfiguration *wireAwsVpcConfiguration `json:"awsvpcConfiguration,omitempty"`
}

type wireDeploymentCircuitBreaker struct {
	Enable   bool `json:"enable"`
	Rollback bool `json:"rollback"`
}

type wireDeploymentAlarms struct {
	AlarmNames []string `json:"alarmNames"`
	Rollback   bool     `json:"rollback"`
	Enable     bool     `json:"enable"`
}

type wireDeploymentConfiguration struct {
	DeploymentCircuitBreaker *wireDeploymentCircuitBreaker `json:"deploymentCircuitBreaker,omitempty"`
	MaximumPercent           *int32                        `json:"maximumPercent,omitempty"`
	MinimumHealthyPercent    *int32                        `json:"minimumHealthyPercent,omitempty"`
	Alarms                   *wireDeploymentAlarms         `json:"alarms,omitempty"`
	Strategy                 *string                       `json:"strategy,omitempty"`
	BakeTimeInMinutes        *int32                        `json:"bakeTimeInMinutes,omitempty"`
	LifecycleHooks           []wireLifecycleHook           `json:"lifecycleHooks,omitempty"`
	LinearConfiguration      *wireLinearConfiguration      `json:"linearConfiguration,omitempty"`
	CanaryConfiguration      *wireCanaryConfiguration      `json:"canaryConfiguration,omitempty"`
}

type wireDeploymentController struct {
	Type *string `json:"type,omitempty"`
}

type wirePlacementConstraint struct {
	Type       *string `json:"type,omitempty"`
	Expression *string `json:"expression,omitempty"`
}

type wirePlacementStrategy struct {
	Type  *string `json:"type,omitempty"`
	Field *string `json:"field,omitempty"`
}

type wireServiceEvent struct {
	ID        *string       `json:"id,omitempty"`
	CreatedAt *epochSeconds `json:"createdAt,omitempty"`
	Message   *string       `json:"message,omitempty"`
}

type wireServiceRegistry struct {
	RegistryArn   *string `json:"registryArn,omitempty"`
	Port          *int32  `json:"port,omitempty"`
	ContainerName *string `json:"containerName,omitempty"`
	ContainerPort *int32  `json:"containerPort,omitempty"`
}

// wireDeployment is the model's Deployment. Counts are always sent.
type wireDeployment struct {
	ID                       *string                            `json:"id,omitempty"`
	Status                   *string                            `json:"status,omitempty"`
	TaskDefinition           *string                            `json:"taskDefinition,omitempty"`
	DesiredCount             int32                              `json:"desiredCount"`
	PendingCount             int32                              `json:"pendingCount"`
	RunningCount             int32                              `json:"runningCount"`
	FailedTasks              int32                              `json:"failedTasks"`
	CreatedAt                *epochSeconds                      `json:"createdAt,omitempty"`
	UpdatedAt                *epochSeconds                      `json:"updatedAt,omitempty"`
	LaunchType               *string                            `json:"launchType,omitempty"`
	CapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion          *string                            `json:"platformVersion,omitempty"`
	PlatformFamily           *string                            `json:"platformFamily,omitempty"`
	NetworkConfiguration     *wireNetworkConfiguration          `json:"networkConfiguration,omitempty"`
	RolloutState             *string                            `json:"rolloutState,omitempty"`
	RolloutStateReason       *string                            `json:"rolloutStateReason,omitempty"`
}

// wireService is the model's Service. Counts and the lists clients index are always sent;
// deployments in particular must never be null (the ServicesStable waiter reads its length).
type wireService struct {
	ServiceArn                    *string                            `json:"serviceArn,omitempty"`
	ServiceName                   *string                            `json:"serviceName,omitempty"`
	ClusterArn                    *string                            `json:"clusterArn,omitempty"`
	LoadBalancers                 []wireLoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries             []wireServiceRegistry              `json:"serviceRegistries"`
	Status                        *string                            `json:"status,omitempty"`
	DesiredCount                  int32                              `json:"desiredCount"`
	RunningCount                  int32                              `json:"runningCount"`
	PendingCount                  int32                              `json:"pendingCount"`
	LaunchType                    *string                            `json:"launchType,omitempty"`
	CapacityProviderStrategy      []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	PlatformVersion               *string                            `json:"platformVersion,omitempty"`
	PlatformFamily                *string                            `json:"platformFamily,omitempty"`
	TaskDefinition                *string                            `json:"taskDefinition,omitempty"`
	DeploymentConfiguration       *wireDeploymentConfiguration       `json:"deploymentConfiguration,omitempty"`
	Deployments                   []wireDeployment                   `json:"deployments"`
	Events                        []wireServiceEvent                 `json:"events"`
	CreatedAt                     *epochSeconds                      `json:"createdAt,omitempty"`
	PlacementConstraints          []wirePlacementConstraint          `json:"placementConstraints"`
	PlacementStrategy             []wirePlacementStrategy            `json:"placementStrategy"`
	NetworkConfiguration          *wireNetworkConfiguration          `json:"networkConfiguration,omitempty"`
	HealthCheckGracePeriodSeconds *int32                             `json:"healthCheckGracePeriodSeconds,omitempty"`
	SchedulingStrategy            *string                            `json:"schedulingStrategy,omitempty"`
	DeploymentController          *wireDeploymentController          `json:"deploymentController,omitempty"`
	// Tags is sent, [] when there are none, only when the caller asked for TAGS.
	Tags                 *[]wireTag `json:"tags,omitempty"`
	CreatedBy            *string    `json:"createdBy,omitempty"`
	EnableECSManagedTags bool       `json:"enableECSManagedTags"`
	PropagateTags        *string    `json:"propagateTags,omitempty"`
	EnableExecuteCommand bool       `json:"enableExecuteCommand"`
	// AvailabilityZoneRebalancing is left out for services stored before fargo kept it.
	AvailabilityZoneRebalancing *string `json:"availabilityZoneRebalancing,omitempty"`
	RoleArn                     *string `json:"roleArn,omitempty"`
	// ResourceManagementType is always CUSTOMER: fargo has no Express services.
	ResourceManagementType *string `json:"resourceManagementType,omitempty"`
	// TaskSets is sent, [] when there are none, for EXTERNAL services only.
	TaskSets                 *[]wireTaskSet               `json:"taskSets,omitempty"`
	CurrentServiceDeployment *string                      `json:"currentServiceDeployment,omitempty"`
	CurrentServiceRevisions  []wireCurrentRevisionSummary `json:"currentServiceRevisions,omitempty"`
	// FargoListenerErrors is fargo's own member, sent once there is something to count.
	FargoListenerErrors *wireListenerErrors `json:"fargoListenerErrors,omitempty"`
}

// wireListenerErrors are the answers fargo's load balancer wrote itself, not a task, to
// requests for the service's target groups, by status, since the service began (ecs.Service's
// ListenerErrors). ECS has no such member; the SDKs and the aws CLI skip members they do not
// know, and `fargo deploy` reads it to count them in a deployment's traffic figures.
type wireListenerErrors struct {
	NoTarget       int64 `json:"503"`
	BadGateway     int64 `json:"502"`
	GatewayTimeout int64 `json:"504"`
}

type createServiceInput struct {
	Cluster                       *string                            `json:"cluster"`
	ServiceName                   *string                            `json:"serviceName"`
	TaskDefinition                *string                            `json:"taskDefinition"`
	LoadBalancers                 []wireLoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries             []wireServiceRegistry              `json:"serviceRegistries"`
	DesiredCount                  *int32                             `json:"desiredCount"`
	ClientToken                   *string                            `json:"clientToken"`
	LaunchType                    *string                            `json:"launchType"`
	CapacityProviderStrategy      []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy"`
	PlatformVersion               *string                            `json:"platformVersion"`
	Role                          *string                            `json:"role"`
	DeploymentConfiguration       *wireDeploymentConfiguration       `json:"deploymentConfiguration"`
	PlacementConstraints          []wirePlacementConstraint          `json:"placementConstraints"`
	PlacementStrategy             []wirePlacementStrategy            `json:"placementStrategy"`
	NetworkConfiguration          *wireNetworkConfiguration          `json:"networkConfiguration"`
	HealthCheckGracePeriodSeconds *int32                             `json:"healthCheckGracePeriodSeconds"`
	SchedulingStrategy            *string                            `json:"schedulingStrategy"`
	DeploymentController          *wireDeploymentController          `json:"deploymentController"`
	Tags                          []wireTag                          `json:"tags"`
	EnableECSManagedTags          bool                               `json:"enableECSManagedTags"`
	PropagateTags                 *string                            `json:"propagateTags"`
	EnableExecuteCommand          bool                               `json:"enableExecuteCommand"`
	AvailabilityZoneRebalancing   *string                            `json:"availabilityZoneRebalancing"`
}

type updateServiceInput struct {
	Cluster                       *string                            `json:"cluster"`
	Service                       *string                            `json:"service"`
	DesiredCount                  *int32                             `json:"desiredCount"`
	TaskDefinition                *string                            `json:"taskDefinition"`
	CapacityProviderStrategy      []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy"`
	DeploymentConfiguration       *wireDeploymentConfiguration       `json:"deploymentConfiguration"`
	NetworkConfiguration          *wireNetworkConfiguration          `json:"networkConfiguration"`
	PlacementConstraints          []wirePlacementConstraint          `json:"placementConstraints"`
	PlacementStrategy             []wirePlacementStrategy            `json:"placementStrategy"`
	PlatformVersion               *string                            `json:"platformVersion"`
	ForceNewDeployment            bool                               `json:"forceNewDeployment"`
	HealthCheckGracePeriodSeconds *int32                             `json:"healthCheckGracePeriodSeconds"`
	DeploymentController          *wireDeploymentController          `json:"deploymentController"`
	EnableExecuteCommand          *bool                              `json:"enableExecuteCommand"`
	EnableECSManagedTags          *bool                              `json:"enableECSManagedTags"`
	LoadBalancers                 []wireLoadBalancer                 `json:"loadBalancers"`
	PropagateTags                 *string                            `json:"propagateTags"`
	ServiceRegistries             []wireServiceRegistry              `json:"serviceRegistries"`
	AvailabilityZoneRebalancing   *string                            `json:"availabilityZoneRebalancing"`
}

type serviceOutput struct {
	Service *wireService `json:"service,omitempty"`
}

type describeServicesInput struct {
	Cluster  *string  `json:"cluster"`
	Services []string `json:"services"`
	Include  []string `json:"include"`
}

type describeServicesOutput struct {
	Services []wireService `json:"services"`
	Failures []wireFailure `json:"failures"`
}

type listServicesInput struct {
	Cluster                *string `json:"cluster"`
	NextToken              *string `json:"nextToken"`
	MaxResults             *int32  `json:"maxResults"`
	LaunchType             *string `json:"launchType"`
	SchedulingStrategy     *string `json:"schedulingStrategy"`
	ResourceManagementType *string `json:"resourceManagementType"`
}

type listServicesOutput struct {
	ServiceArns []string `json:"serviceArns"`
	NextToken   *string  `json:"nextToken,omitempty"`
}

type deleteServiceInput struct {
	Cluster *string `json:"cluster"`
	Service *string `json:"service"`
	Force   *bool   `json:"force"`
}
