package ecs

import (
	"regexp"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// DefaultClusterName is the cluster ECS operations use when the request names none.
const DefaultClusterName = "default"

// ClusterStatus is the lifecycle state of a cluster as ECS reports it.
type ClusterStatus string

// Cluster statuses.
const (
	ClusterActive   ClusterStatus = "ACTIVE"
	ClusterInactive ClusterStatus = "INACTIVE"
)

// Cluster is an ECS cluster. Statistics (task and service counts) are derived when it is read,
// never stored, so they cannot disagree with the tasks and services themselves.
type Cluster struct {
	Name      string
	ARN       string
	Status    ClusterStatus
	CreatedAt time.Time
	// Settings holds cluster settings by name (ECS knows only "containerInsights").
	Settings                        []ClusterSetting
	Configuration                   ClusterConfiguration
	CapacityProviders               []string
	DefaultCapacityProviderStrategy []CapacityProviderStrategyItem
	ServiceConnectNamespace         string
	Tags                            []Tag
}

// ClusterSetting is one name/value setting of a cluster.
type ClusterSetting struct {
	Name  string
	Value string
}

// ClusterConfiguration is the cluster's execute-command and managed-storage configuration. fargo
// stores it so clients read back what they wrote; it does not act on it.
type ClusterConfiguration struct {
	ExecuteCommandKMSKeyID        string
	ExecuteCommandLogging         string
	ExecuteCommandLogConfig       ExecuteCommandLogConfiguration
	ManagedStorageKMSKeyID        string
	ManagedStorageFargateKMSKeyID string
}

// ExecuteCommandLogConfiguration says where execute-command sessions would be logged.
type ExecuteCommandLogConfiguration struct {
	CloudWatchEncryptionEnabled bool
	CloudWatchLogGroupName      string
	S3BucketName                string
	S3EncryptionEnabled         bool
	S3KeyPrefix                 string
}

// CapacityProviderStrategyItem is one entry of a capacity provider strategy.
type CapacityProviderStrategyItem struct {
	CapacityProvider string
	Weight           int
	Base             int
}

var clusterNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// Setting names and values ECS accepts.
const (
	SettingContainerInsights = "containerInsights"
)

var containerInsightsValues = map[string]bool{"enabled": true, "disabled": true, "enhanced": true}

// Capacity providers every cluster can use, as on Fargate.
var knownCapacityProviders = map[string]bool{"FARGATE": true, "FARGATE_SPOT": true}

// ValidateCluster checks a cluster as CreateCluster and UpdateCluster receive it and fills in the
// defaults ECS reports (containerInsights disabled).
func ValidateCluster(c Cluster) (Cluster, error) {
	if !clusterNamePattern.MatchString(c.Name) {
		return Cluster{}, errdefs.InvalidArgument("Cluster name must be 1-255 characters long and can contain letters, numbers, hyphens and underscores.")
	}
	hasInsights := false
	for _, s := range c.Settings {
		if s.Name != SettingContainerInsights {
			return Cluster{}, errdefs.InvalidArgument("Unknown cluster setting %q.", s.Name)
		}
		if !containerInsightsValues[s.Value] {
			return Cluster{}, errdefs.InvalidArgument("The value %q is not valid for setting containerInsights. Valid values are enabled, disabled and enhanced.", s.Value)
		}
		hasInsights = true
	}
	if !hasInsights {
		c.Settings = append(c.Settings, ClusterSetting{Name: SettingContainerInsights, Value: "disabled"})
	}
	if err := validateCapacityProviders(c.CapacityProviders, c.DefaultCapacityProviderStrategy); err != nil {
		return Cluster{}, err
	}
	if err := ValidateTags(c.Tags); err != nil {
		return Cluster{}, err
	}
	return c, nil
}

func validateCapacityProviders(providers []string, strategy []CapacityProviderStrategyItem) error {
	for _, p := range providers {
		if !knownCapacityProviders[p] {
			return errdefs.InvalidArgument("The specified capacity provider %s does not exist.", p)
		}
	}
	for _, item := range strategy {
		if !knownCapacityProviders[item.CapacityProvider] {
			return errdefs.InvalidArgument("The specified capacity provider strategy contains a capacity provider %s that is not associated with the cluster.", item.CapacityProvider)
		}
		if item.Weight < 0 || item.Weight > 1000 || item.Base < 0 || item.Base > 100000 {
			return errdefs.InvalidArgument("The capacity provider strategy weight must be 0-1000 and base 0-100000.")
		}
	}
	return nil
}
