package ecsapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
)

func settingsFromWire(in []wireClusterSetting) []ecs.ClusterSetting {
	out := make([]ecs.ClusterSetting, 0, len(in))
	for _, s := range in {
		out = append(out, ecs.ClusterSetting{Name: awsproto.Deref(s.Name), Value: awsproto.Deref(s.Value)})
	}
	return out
}

func settingsToWire(in []ecs.ClusterSetting) []wireClusterSetting {
	out := make([]wireClusterSetting, 0, len(in))
	for _, s := range in {
		out = append(out, wireClusterSetting{Name: ptr(s.Name), Value: ptr(s.Value)})
	}
	return out
}

func strategyFromWire(in []wireCapacityProviderStrategyItem) []ecs.CapacityProviderStrategyItem {
	out := make([]ecs.CapacityProviderStrategyItem, 0, len(in))
	for _, s := range in {
		out = append(out, ecs.CapacityProviderStrategyItem{
			CapacityProvider: awsproto.Deref(s.CapacityProvider), Weight: int(awsproto.Deref(s.Weight)), Base: int(awsproto.Deref(s.Base)),
		})
	}
	return out
}

func strategyToWire(in []ecs.CapacityProviderStrategyItem) []wireCapacityProviderStrategyItem {
	out := make([]wireCapacityProviderStrategyItem, 0, len(in))
	for _, s := range in {
		out = append(out, wireCapacityProviderStrategyItem{
			CapacityProvider: ptr(s.CapacityProvider), Weight: ptr(int32(s.Weight)), Base: ptr(int32(s.Base)),
		})
	}
	return out
}

func configurationFromWire(in *wireClusterConfiguration) ecs.ClusterConfiguration {
	var out ecs.ClusterConfiguration
	if in == nil {
		return out
	}
	if ec := in.ExecuteCommandConfiguration; ec != nil {
		out.ExecuteCommandKMSKeyID = awsproto.Deref(ec.KmsKeyID)
		out.ExecuteCommandLogging = awsproto.Deref(ec.Logging)
		if lc := ec.LogConfiguration; lc != nil {
			out.ExecuteCommandLogConfig = ecs.ExecuteCommandLogConfiguration{
				CloudWatchEncryptionEnabled: awsproto.Deref(lc.CloudWatchEncryptionEnabled),
				CloudWatchLogGroupName:      awsproto.Deref(lc.CloudWatchLogGroupName),
				S3BucketName:                awsproto.Deref(lc.S3BucketName),
				S3EncryptionEnabled:         awsproto.Deref(lc.S3EncryptionEnabled),
				S3KeyPrefix:                 awsproto.Deref(lc.S3KeyPrefix),
			}
		}
	}
	if ms := in.ManagedStorageConfiguration; ms != nil {
		out.ManagedStorageKMSKeyID = awsproto.Deref(ms.KmsKeyID)
		out.ManagedStorageFargateKMSKeyID = awsproto.Deref(ms.FargateEphemeralStorageKmsKeyID)
	}
	return out
}

func configurationToWire(c ecs.ClusterConfiguration) *wireClusterConfiguration {
	if c == (ecs.ClusterConfiguration{}) {
		return nil
	}
	out := &wireClusterConfiguration{}
	if c.ExecuteCommandKMSKeyID != "" || c.ExecuteCommandLogging != "" || c.ExecuteCommandLogConfig != (ecs.ExecuteCommandLogConfiguration{}) {
		lc := c.ExecuteCommandLogConfig
		out.ExecuteCommandConfiguration = &wireExecuteCommandConfiguration{
			KmsKeyID: optional(c.ExecuteCommandKMSKeyID),
			Logging:  optional(c.ExecuteCommandLogging),
		}
		if lc != (ecs.ExecuteCommandLogConfiguration{}) {
			out.ExecuteCommandConfiguration.LogConfiguration = &wireExecuteCommandLogConfiguration{
				CloudWatchEncryptionEnabled: ptr(lc.CloudWatchEncryptionEnabled),
				CloudWatchLogGroupName:      optional(lc.CloudWatchLogGroupName),
				S3BucketName:                optional(lc.S3BucketName),
				S3EncryptionEnabled:         ptr(lc.S3EncryptionEnabled),
				S3KeyPrefix:                 optional(lc.S3KeyPrefix),
			}
		}
	}
	if c.ManagedStorageKMSKeyID != "" || c.ManagedStorageFargateKMSKeyID != "" {
		out.ManagedStorageConfiguration = &wireManagedStorageConfiguration{
			KmsKeyID:                        optional(c.ManagedStorageKMSKeyID),
			FargateEphemeralStorageKmsKeyID: optional(c.ManagedStorageFargateKMSKeyID),
		}
	}
	return out
}

// optional returns nil for the zero value, so absent members stay absent on the wire.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// clusterInclude is the set of optional parts DescribeClusters was asked for.
type clusterInclude struct {
	attachments, configurations, settings, statistics, tags bool
}

func parseClusterInclude(in []string) (clusterInclude, error) {
	var inc clusterInclude
	for _, f := range in {
		switch f {
		case "ATTACHMENTS":
			inc.attachments = true
		case "CONFIGURATIONS":
			inc.configurations = true
		case "SETTINGS":
			inc.settings = true
		case "STATISTICS":
			inc.statistics = true
		case "TAGS":
			inc.tags = true
		default:
			return inc, invalidEnum("include", f, "ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS")
		}
	}
	return inc, nil
}

// clusterCounts are the derived task and service counts of a cluster.
type clusterCounts struct {
	activeServices, runningTasks, pendingTasks, instances int
}

func clusterToWire(c ecs.Cluster, counts clusterCounts, inc clusterInclude) wireCluster {
	out := wireCluster{
		ClusterArn:                        ptr(c.ARN),
		ClusterName:                       ptr(c.Name),
		Status:                            ptr(string(c.Status)),
		RegisteredContainerInstancesCount: int32(counts.instances),
		RunningTasksCount:                 int32(counts.runningTasks),
		PendingTasksCount:                 int32(counts.pendingTasks),
		ActiveServicesCount:               int32(counts.activeServices),
		Statistics:                        []wireKeyValuePair{},
		CapacityProviders:                 append([]string{}, c.CapacityProviders...),
		DefaultCapacityProviderStrategy:   strategyToWire(c.DefaultCapacityProviderStrategy),
	}
	if c.ServiceConnectNamespace != "" {
		out.ServiceConnectDefaults = &wireServiceConnectDefaults{Namespace: ptr(c.ServiceConnectNamespace)}
	}
	if inc.settings {
		out.Settings = settingsToWire(c.Settings)
	}
	if inc.tags {
		out.Tags = tagsToWire(c.Tags)
	}
	if inc.configurations {
		out.Configuration = configurationToWire(c.Configuration)
	}
	if inc.statistics {
		out.Statistics = clusterStatistics(counts)
	}
	if inc.attachments {
		out.Attachments = []wireAttachment{}
	}
	return out
}

// clusterStatistics lists the statistics ECS reports; fargo runs every task as Fargate does.
func clusterStatistics(c clusterCounts) []wireKeyValuePair {
	stat := func(name string, v int) wireKeyValuePair {
		return wireKeyValuePair{Name: ptr(name), Value: ptr(itoa(v))}
	}
	return []wireKeyValuePair{
		stat("runningEC2TasksCount", 0),
		stat("runningFargateTasksCount", c.runningTasks),
		stat("pendingEC2TasksCount", 0),
		stat("pendingFargateTasksCount", c.pendingTasks),
		stat("activeEC2ServiceCount", 0),
		stat("activeFargateServiceCount", c.activeServices),
		stat("drainingEC2ServiceCount", 0),
		stat("drainingFargateServiceCount", 0),
	}
}
