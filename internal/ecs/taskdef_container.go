package ecs

// ContainerDefinition is one container of a task definition, with every member of the model's
// ContainerDefinition shape.
//
// Integers for which zero is not a valid value (Memory, MemoryReservation, StartTimeout,
// StopTimeout) use zero for "not set". Booleans that have no default in ECS (DisableNetworking,
// Privileged, ReadonlyRootFilesystem, Interactive, PseudoTerminal) use false for "not set" as
// well: false is what Docker does when they are absent, so the two cannot be told apart by the
// container, and fargo leaves them out of responses when false rather than echoing an explicit
// false. Nested structures are values whose zero value means "not given".
type ContainerDefinition struct {
	Name  string
	Image string
	// RepositoryCredentials is the private registry secret; the zero value means none.
	RepositoryCredentials RepositoryCredentials
	// CPU is the container's CPU units; ECS reports 0 when none were given.
	CPU int
	// Memory is the hard memory limit in MiB, 0 when not set.
	Memory int
	// MemoryReservation is the soft memory limit in MiB, 0 when not set.
	MemoryReservation int
	Links             []string
	PortMappings      []PortMapping
	// Essential is true when the task stops as soon as this container stops. ECS's default is
	// true; the domain cannot see an absent member, so whoever decodes a request must set it to
	// true unless the client sent "essential": false.
	Essential bool
	// RestartPolicy is the container restart policy; the zero value means none (disabled).
	RestartPolicy    ContainerRestartPolicy
	EntryPoint       []string
	Command          []string
	Environment      []KeyValuePair
	EnvironmentFiles []EnvironmentFile
	MountPoints      []MountPoint
	VolumesFrom      []VolumeFrom
	// LinuxParameters are the Linux-specific settings; the zero value means none.
	LinuxParameters LinuxParameters
	Secrets         []Secret
	DependsOn       []ContainerDependency
	// StartTimeout is how long, in seconds, dependencies may take to resolve; 0 when not set.
	StartTimeout int
	// StopTimeout is how long, in seconds, the container may take to exit after SIGTERM before
	// it is killed; 0 when not set (the runtime then waits 30 seconds).
	StopTimeout            int
	VersionConsistency     VersionConsistency
	Hostname               string
	User                   string
	WorkingDirectory       string
	DisableNetworking      bool
	Privileged             bool
	ReadonlyRootFilesystem bool
	DNSServers             []string
	DNSSearchDomains       []string
	ExtraHosts             []HostEntry
	DockerSecurityOptions  []string
	Interactive            bool
	PseudoTerminal         bool
	DockerLabels           map[string]string
	Ulimits                []Ulimit
	// LogConfiguration is the log driver; the zero value means the runtime's default.
	LogConfiguration LogConfiguration
	// HealthCheck is the container health check; the zero value means none.
	HealthCheck          HealthCheck
	SystemControls       []SystemControl
	ResourceRequirements []ResourceRequirement
	// FirelensConfiguration makes the container a FireLens log router; the zero value means not.
	FirelensConfiguration FirelensConfiguration
	CredentialSpecs       []string
}

// PortMapping exposes a container port (or a range of them).
type PortMapping struct {
	// ContainerPort is 0 when the mapping is a ContainerPortRange.
	ContainerPort int
	// HostPort is 0 for a dynamic host port (bridge mode). In awsvpc and host mode
	// NormalizeTaskDefinition sets it to ContainerPort, as ECS reports it.
	HostPort int
	// Protocol is tcp or udp; NormalizeTaskDefinition fills in tcp, ECS's default.
	Protocol    TransportProtocol
	Name        string
	AppProtocol ApplicationProtocol
	// ContainerPortRange is "first-last", for example "8000-8010", empty when not a range.
	ContainerPortRange string
}

// KeyValuePair is a name and a value, for example an environment variable.
type KeyValuePair struct {
	Name  string
	Value string
}

// EnvironmentFile is a file of environment variables stored in S3.
type EnvironmentFile struct {
	Value string
	Type  EnvironmentFileType
}

// MountPoint mounts a task volume into a container.
type MountPoint struct {
	SourceVolume  string
	ContainerPath string
	ReadOnly      bool
}

// VolumeFrom mounts all volumes of another container of the task.
type VolumeFrom struct {
	SourceContainer string
	ReadOnly        bool
}

// LinuxParameters are Linux-specific container settings. Integers use zero for "not set": a
// maxSwap or swappiness of exactly 0 cannot be expressed and means the runtime's default.
type LinuxParameters struct {
	Capabilities       KernelCapabilities
	Devices            []Device
	InitProcessEnabled bool
	// SharedMemorySize is the size of /dev/shm in MiB.
	SharedMemorySize int
	Tmpfs            []Tmpfs
	// MaxSwap is the swap, in MiB, the container may use.
	MaxSwap int
	// Swappiness is 1 to 100; the runtime's default is 60.
	Swappiness int
}

// KernelCapabilities are the Linux capabilities added to or dropped from Docker's default set.
type KernelCapabilities struct {
	Add  []string
	Drop []string
}

// Device is a host device exposed to a container.
type Device struct {
	HostPath      string
	ContainerPath string
	Permissions   []DeviceCgroupPermission
}

// Tmpfs is a tmpfs mount of a container.
type Tmpfs struct {
	ContainerPath string
	// Size is the maximum size in MiB.
	Size         int
	MountOptions []string
}

// Secret is a value from Secrets Manager or SSM Parameter Store exposed to a container.
type Secret struct {
	Name      string
	ValueFrom string
}

// ContainerDependency makes a container wait for another container of the task.
type ContainerDependency struct {
	ContainerName string
	Condition     ContainerCondition
}

// HostEntry is a line appended to a container's /etc/hosts.
type HostEntry struct {
	Hostname  string
	IPAddress string
}

// Ulimit is a resource limit of a container.
type Ulimit struct {
	Name      UlimitName
	SoftLimit int
	HardLimit int
}

// LogConfiguration is a container's log driver and its options. The zero value means none.
type LogConfiguration struct {
	LogDriver     LogDriver
	Options       map[string]string
	SecretOptions []Secret
}

// HealthCheck is a container health check. The zero value means none; a given health check has
// a Command, and NormalizeTaskDefinition fills in ECS's defaults for the rest. Times are seconds.
type HealthCheck struct {
	// Command starts with CMD (exec form), CMD-SHELL (run by the shell) or NONE.
	Command []string
	// Interval is 5 to 300; the default is 30.
	Interval int
	// Timeout is 2 to 60; the default is 5.
	Timeout int
	// Retries is 1 to 10; the default is 3.
	Retries int
	// StartPeriod is 0 (off, the default) to 300.
	StartPeriod int
}

// SystemControl is a namespaced kernel parameter (sysctl) of a container.
type SystemControl struct {
	Namespace string
	Value     string
}

// ResourceRequirement reserves GPUs or an inference accelerator for a container.
type ResourceRequirement struct {
	Value string
	Type  ResourceType
}

// FirelensConfiguration makes a container the FireLens log router of its task.
type FirelensConfiguration struct {
	Type    FirelensConfigurationType
	Options map[string]string
}

// RepositoryCredentials name the secret that holds private registry credentials.
type RepositoryCredentials struct {
	CredentialsParameter string
}

// ContainerRestartPolicy restarts a container in place when it exits. The zero value means no
// restart policy.
type ContainerRestartPolicy struct {
	Enabled          bool
	IgnoredExitCodes []int
	// RestartAttemptPeriod is how long, in seconds, the container must have run before it may be
	// restarted: 60 to 1800, 0 when not set (ECS then uses 300).
	RestartAttemptPeriod int
}
