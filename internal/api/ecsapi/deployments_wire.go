package ecsapi

// Wire shapes of the service deployment operations (ListServiceDeployments,
// DescribeServiceDeployments, DescribeServiceRevisions, StopServiceDeployment,
// ContinueServiceDeployment), named after the model's shapes.

type wireCurrentRevisionSummary struct {
	Arn                *string `json:"arn,omitempty"`
	RequestedTaskCount int32   `json:"requestedTaskCount"`
	RunningTaskCount   int32   `json:"runningTaskCount"`
	PendingTaskCount   int32   `json:"pendingTaskCount"`
}

type wireRevisionSummary struct {
	Arn                              *string `json:"arn,omitempty"`
	RequestedTaskCount               int32   `json:"requestedTaskCount"`
	RunningTaskCount                 int32   `json:"runningTaskCount"`
	PendingTaskCount                 int32   `json:"pendingTaskCount"`
	RequestedTestTrafficWeight       float64 `json:"requestedTestTrafficWeight"`
	RequestedProductionTrafficWeight float64 `json:"requestedProductionTrafficWeight"`
}

type wireDeploymentRollback struct {
	Reason             *string       `json:"reason,omitempty"`
	StartedAt          *epochSeconds `json:"startedAt,omitempty"`
	ServiceRevisionArn *string       `json:"serviceRevisionArn,omitempty"`
}

type wireRollbackMonitor struct {
	Status              *string  `json:"status,omitempty"`
	FailureCount        *int32   `json:"failureCount,omitempty"`
	Threshold           *int32   `json:"threshold,omitempty"`
	AlarmNames          []string `json:"alarmNames,omitempty"`
	TriggeredAlarmNames []string `json:"triggeredAlarmNames,omitempty"`
}

type wireHookDetail struct {
	HookID        *string       `json:"hookId,omitempty"`
	TargetType    *string       `json:"targetType,omitempty"`
	TargetArn     *string       `json:"targetArn,omitempty"`
	Status        *string       `json:"status,omitempty"`
	ExpiresAt     *epochSeconds `json:"expiresAt,omitempty"`
	TimeoutAction *string       `json:"timeoutAction,omitempty"`
}

type wireServiceDeployment struct {
	ServiceDeploymentArn     *string                      `json:"serviceDeploymentArn,omitempty"`
	ServiceArn               *string                      `json:"serviceArn,omitempty"`
	ClusterArn               *string                      `json:"clusterArn,omitempty"`
	CreatedAt                *epochSeconds                `json:"createdAt,omitempty"`
	StartedAt                *epochSeconds                `json:"startedAt,omitempty"`
	FinishedAt               *epochSeconds                `json:"finishedAt,omitempty"`
	StoppedAt                *epochSeconds                `json:"stoppedAt,omitempty"`
	UpdatedAt                *epochSeconds                `json:"updatedAt,omitempty"`
	SourceServiceRevisions   []wireRevisionSummary        `json:"sourceServiceRevisions"`
	TargetServiceRevision    *wireRevisionSummary         `json:"targetServiceRevision,omitempty"`
	Status                   *string                      `json:"status,omitempty"`
	StatusReason             *string                      `json:"statusReason,omitempty"`
	LifecycleStage           *string                      `json:"lifecycleStage,omitempty"`
	LifecycleHookDetails     []wireHookDetail             `json:"lifecycleHookDetails,omitempty"`
	DeploymentConfiguration  *wireDeploymentConfiguration `json:"deploymentConfiguration,omitempty"`
	Rollback                 *wireDeploymentRollback      `json:"rollback,omitempty"`
	DeploymentCircuitBreaker *wireRollbackMonitor         `json:"deploymentCircuitBreaker,omitempty"`
	Alarms                   *wireRollbackMonitor         `json:"alarms,omitempty"`
}

type wireServiceDeploymentBrief struct {
	ServiceDeploymentArn     *string       `json:"serviceDeploymentArn,omitempty"`
	ServiceArn               *string       `json:"serviceArn,omitempty"`
	ClusterArn               *string       `json:"clusterArn,omitempty"`
	StartedAt                *epochSeconds `json:"startedAt,omitempty"`
	CreatedAt                *epochSeconds `json:"createdAt,omitempty"`
	FinishedAt               *epochSeconds `json:"finishedAt,omitempty"`
	TargetServiceRevisionArn *string       `json:"targetServiceRevisionArn,omitempty"`
	Status                   *string       `json:"status,omitempty"`
	StatusReason             *string       `json:"statusReason,omitempty"`
}

type wireServiceRevision struct {
	ServiceRevisionArn       *string                            `json:"serviceRevisionArn,omitempty"`
	ServiceArn               *string                            `json:"serviceArn,omitempty"`
	ClusterArn               *string                            `json:"clusterArn,omitempty"`
	TaskDefinition           *string                            `json:"taskDefinition,omitempty"`
	CapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"capacityProviderStrategy,omitempty"`
	LaunchType               *string                            `json:"launchType,omitempty"`
	PlatformVersion          *string                            `json:"platformVersion,omitempty"`
	PlatformFamily           *string                            `json:"platformFamily,omitempty"`
	LoadBalancers            []wireLoadBalancer                 `json:"loadBalancers"`
	ServiceRegistries        []wireServiceRegistry              `json:"serviceRegistries"`
	NetworkConfiguration     *wireNetworkConfiguration          `json:"networkConfiguration,omitempty"`
	CreatedAt                *epochSeconds                      `json:"createdAt,omitempty"`
}

type wireCreatedAtFilter struct {
	Before *epochSeconds `json:"before"`
	After  *epochSeconds `json:"after"`
}

type listServiceDeploymentsInput struct {
	Service    *string              `json:"service"`
	Cluster    *string              `json:"cluster"`
	Status     []string             `json:"status"`
	CreatedAt  *wireCreatedAtFilter `json:"createdAt"`
	NextToken  *string              `json:"nextToken"`
	MaxResults *int32               `json:"maxResults"`
}

type listServiceDeploymentsOutput struct {
	ServiceDeployments []wireServiceDeploymentBrief `json:"serviceDeployments"`
	NextToken          *string                      `json:"nextToken,omitempty"`
}

type describeServiceDeploymentsInput struct {
	ServiceDeploymentArns []string `json:"serviceDeploymentArns"`
}

type describeServiceDeploymentsOutput struct {
	ServiceDeployments []wireServiceDeployment `json:"serviceDeployments"`
	Failures           []wireFailure           `json:"failures"`
}

type describeServiceRevisionsInput struct {
	ServiceRevisionArns []string `json:"serviceRevisionArns"`
}

type describeServiceRevisionsOutput struct {
	ServiceRevisions []wireServiceRevision `json:"serviceRevisions"`
	Failures         []wireFailure         `json:"failures"`
}

type stopServiceDeploymentInput struct {
	ServiceDeploymentArn *string `json:"serviceDeploymentArn"`
	StopType             *string `json:"stopType"`
}

type continueServiceDeploymentInput struct {
	ServiceDeploymentArn *string `json:"serviceDeploymentArn"`
	HookID               *string `json:"hookId"`
	Action               *string `json:"action"`
}

type serviceDeploymentArnOutput struct {
	ServiceDeploymentArn *string `json:"serviceDeploymentArn,omitempty"`
}
