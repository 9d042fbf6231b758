package ecs

// Volume is a data volume of a task. At most one of its configurations is set; with none, it is
// a Docker-managed scratch volume (or a bind mount when Host.SourcePath is set).
type Volume struct {
	Name                                    string
	Host                                    HostVolumeProperties
	DockerVolumeConfiguration               DockerVolumeConfiguration
	EFSVolumeConfiguration                  EFSVolumeConfiguration
	S3FilesVolumeConfiguration              S3FilesVolumeConfiguration
	FSxWindowsFileServerVolumeConfiguration FSxWindowsFileServerVolumeConfiguration
	// ConfiguredAtLaunch marks an EBS volume that is configured when a service or task starts.
	ConfiguredAtLaunch bool
}

// HostVolumeProperties is a bind mount of a host path.
type HostVolumeProperties struct {
	SourcePath string
}

// DockerVolumeConfiguration is a Docker volume. The zero value means none.
type DockerVolumeConfiguration struct {
	Scope         DockerVolumeScope
	Autoprovision bool
	Driver        string
	DriverOpts    map[string]string
	Labels        map[string]string
}

// EFSVolumeConfiguration is an Amazon EFS file system. The zero value means none.
type EFSVolumeConfiguration struct {
	FileSystemID      string
	RootDirectory     string
	TransitEncryption EFSTransitEncryption
	// TransitEncryptionPort is 0 when not set.
	TransitEncryptionPort int
	AuthorizationConfig   EFSAuthorizationConfig
}

// EFSAuthorizationConfig is how an EFS file system is mounted.
type EFSAuthorizationConfig struct {
	AccessPointID string
	IAM           EFSAuthorizationConfigIAM
}

// S3FilesVolumeConfiguration is an Amazon S3 Files file system. The zero value means none.
type S3FilesVolumeConfiguration struct {
	FileSystemARN string
	RootDirectory string
	// TransitEncryptionPort is 0 when not set.
	TransitEncryptionPort int
	AccessPointARN        string
}

// FSxWindowsFileServerVolumeConfiguration is an Amazon FSx for Windows File Server file system.
// The zero value means none.
type FSxWindowsFileServerVolumeConfiguration struct {
	FileSystemID        string
	RootDirectory       string
	AuthorizationConfig FSxWindowsFileServerAuthorizationConfig
}

// FSxWindowsFileServerAuthorizationConfig is the domain and the credentials an FSx for Windows
// File Server file system is mounted with.
type FSxWindowsFileServerAuthorizationConfig struct {
	CredentialsParameter string
	Domain               string
}
