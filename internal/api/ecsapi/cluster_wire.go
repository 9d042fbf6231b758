package ecsapi

type wireClusterSetting struct {
	Name  *string `json:"name,omitempty"`
	Value *string `json:"value,omitempty"`
}

type wireCapacityProviderStrategyItem struct {
	CapacityProvider *string `json:"capacityProvider,omitempty"`
	Weight           *int32  `json:"weight,omitempty"`
	Base             *int32  `json:"base,omitempty"`
}

type wireExecuteCommandLogConfiguration struct {
	CloudWatchEncryptionEnabled *bool   `json:"cloudWatchEncryptionEnabled,omitempty"`
	CloudWatchLogGroupName      *string `json:"cloudWatchLogGroupName,omitempty"`
	S3BucketName                *string `json:"s3BucketName,omitempty"`
	S3EncryptionEnabled         *bool   `json:"s3EncryptionEnabled,omitempty"`
	S3KeyPrefix                 *string `json:"s3KeyPrefix,omitempty"`
}

type wireExecuteCommandConfiguration struct {
	KmsKeyID         *string                             `json:"kmsKeyId,omitempty"`
	Logging          *string                             `json:"logging,omitempty"`
	LogConfiguration *wireExecuteCommandLogConfiguration `json:"logConfiguration,omitempty"`
}

type wireManagedStorageConfiguration struct {
	KmsKeyID                        *string `json:"kmsKeyId,omitempty"`
	FargateEphemeralStorageKmsKeyID *string `json:"fargateEphemeralStorageKmsKeyId,omitempty"`
}

type wireClusterConfiguration struct {
	ExecuteCommandConfiguration *wireExecuteCommandConfiguration `json:"executeCommandConfiguration,omitempty"`
	ManagedStorageConfiguration *wireManagedStorageConfiguration `json:"managedStorageConfiguration,omitempty"`
}

type wireServiceConnectDefaults struct {
	Namespace *string `json:"namespace,omitempty"`
}

type wireAttachment struct {
	ID      *string            `json:"id,omitempty"`
	Type    *string            `json:"type,omitempty"`
	Status  *string            `json:"status,omitempty"`
	Details []wireKeyValuePair `json:"details,omitempty"`
}

// wireCluster is the model's Cluster. The counts and the lists ECS always sends have no
// omitempty.
type wireCluster struct {
	ClusterArn                        *string                            `json:"clusterArn,omitempty"`
	ClusterName                       *string                            `json:"clusterName,omitempty"`
	Configuration                     *wireClusterConfiguration          `json:"configuration,omitempty"`
	Status                            *string                            `json:"status,omitempty"`
	RegisteredContainerInstancesCount int32                              `json:"registeredContainerInstancesCount"`
	RunningTasksCount                 int32                              `json:"runningTasksCount"`
	PendingTasksCount                 int32                              `json:"pendingTasksCount"`
	ActiveServicesCount               int32                              `json:"activeServicesCount"`
	Statistics                        []wireKeyValuePair                 `json:"statistics"`
	Tags                              []wireTag                          `json:"tags,omitempty"`
	Settings                          []wireClusterSetting               `json:"settings,omitempty"`
	CapacityProviders                 []string                           `json:"capacityProviders"`
	DefaultCapacityProviderStrategy   []wireCapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy"`
	Attachments                       []wireAttachment                   `json:"attachments,omitempty"`
	AttachmentsStatus                 *string                            `json:"attachmentsStatus,omitempty"`
	ServiceConnectDefaults            *wireServiceConnectDefaults        `json:"serviceConnectDefaults,omitempty"`
}

type createClusterInput struct {
	ClusterName                     *string                            `json:"clusterName"`
	Tags                            []wireTag                          `json:"tags"`
	Settings                        []wireClusterSetting               `json:"settings"`
	Configuration                   *wireClusterConfiguration          `json:"configuration"`
	CapacityProviders               []string                           `json:"capacityProviders"`
	DefaultCapacityProviderStrategy []wireCapacityProviderStrategyItem `json:"defaultCapacityProviderStrategy"`
	ServiceConnectDefaults          *wireServiceConnectDefaults        `json:"serviceConnectDefaults"`
}

type clusterOutput struct {
	Cluster *wireCluster `json:"cluster,omitempty"`
}

type describeClustersInput struct {
	Clusters []string `json:"clusters"`
	Include  []string `json:"include"`
}

type describeClustersOutput struct {
	Clusters []wireCluster `json:"clusters"`
	Failures []wireFailure `json:"failures"`
}

type listClustersInput struct {
	NextToken  *string `json:"nextToken"`
	MaxResults *int32  `json:"maxResults"`
}

type listClustersOutput struct {
	ClusterArns []string `json:"clusterArns"`
	NextToken   *string  `json:"nextToken,omitempty"`
}

type deleteClusterInput struct {
	Cluster *string `json:"cluster"`
}

type updateClusterInput struct {
	Cluster                *string                     `json:"cluster"`
	Settings               []wireClusterSetting        `json:"settings"`
	Configuration          *wireClusterConfiguration   `json:"configuration"`
	ServiceConnectDefaults *wireServiceConnectDefaults `json:"serviceConnectDefaults"`
}

type updateClusterSettingsInput struct {
	Cluster  *string              `json:"cluster"`
	Settings []wireClusterSetting `json:"settings"`
}
