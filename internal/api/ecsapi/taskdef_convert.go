package ecsapi

// Conversions between the task definition wire shapes (taskdef_wire.go) and package ecs.
// *FromWire read a request into domain values, resolving absent members to ECS's defaults where
// the domain cannot see absence (essential); *ToWire write domain values as ECS returns them.

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
)

// taskDefinitionFromRegisterRequest returns the task definition a RegisterTaskDefinition
// request asks for, before ecs.NormalizeTaskDefinition checks it.
func taskDefinitionFromRegisterRequest(req *registerTaskDefinitionInput) ecs.TaskDefinition {
	return ecs.TaskDefinition{
		Family:                  awsproto.Deref(req.Family),
		TaskRoleARN:             awsproto.Deref(req.TaskRoleArn),
		ExecutionRoleARN:        awsproto.Deref(req.ExecutionRoleArn),
		NetworkMode:             ecs.NetworkMode(awsproto.Deref(req.NetworkMode)),
		ContainerDefinitions:    listFromWire(req.ContainerDefinitions, containerDefinitionFromWire),
		Volumes:                 listFromWire(req.Volumes, volumeFromWire),
		PlacementConstraints:    listFromWire(req.PlacementConstraints, taskDefinitionPlacementConstraintFromWire),
		RequiresCompatibilities: listFromWire(req.RequiresCompatibilities, func(s string) ecs.Compatibility { return ecs.Compatibility(s) }),
		CPU:                     awsproto.Deref(req.Cpu),
		Memory:                  awsproto.Deref(req.Memory),
		Tags:                    tagsFromWire(req.Tags),
		PidMode:                 ecs.PidMode(awsproto.Deref(req.PidMode)),
		IpcMode:                 ecs.IpcMode(awsproto.Deref(req.IpcMode)),
		ProxyConfiguration:      proxyConfigurationFromWire(req.ProxyConfiguration),
		InferenceAccelerators:   listFromWire(req.InferenceAccelerators, inferenceAcceleratorFromWire),
		EphemeralStorage:        ecs.EphemeralStorage{SizeInGiB: int(awsproto.Deref(req.EphemeralStorage).SizeInGiB)},
		RuntimePlatform: ecs.RuntimePlatform{
			CPUArchitecture:       ecs.CPUArchitecture(awsproto.Deref(awsproto.Deref(req.RuntimePlatform).CpuArchitecture)),
			OperatingSystemFamily: ecs.OSFamily(awsproto.Deref(awsproto.Deref(req.RuntimePlatform).OperatingSystemFamily)),
		},
		EnableFaultInjection: awsproto.Deref(req.EnableFaultInjection),
	}
}

// taskDefinitionToWire returns td as ECS returns a task definition.
func taskDefinitionToWire(td ecs.TaskDefinition) wireTaskDefinition {
	return wireTaskDefinition{
		TaskDefinitionArn:       optional(td.ARN),
		ContainerDefinitions:    alwaysListToWire(td.ContainerDefinitions, containerDefinitionToWire),
		Family:                  optional(td.Family),
		TaskRoleArn:             optional(td.TaskRoleARN),
		ExecutionRoleArn:        optional(td.ExecutionRoleARN),
		NetworkMode:             optional(string(td.NetworkMode)),
		Revision:                int32(td.Revision),
		Volumes:                 alwaysListToWire(td.Volumes, volumeToWire),
		Status:                  optional(string(td.Status)),
		RequiresAttributes:      alwaysListToWire(td.RequiresAttributes, attributeToWire),
		PlacementConstraints:    alwaysListToWire(td.PlacementConstraints, taskDefinitionPlacementConstraintToWire),
		Compatibilities:         alwaysListToWire(td.Compatibilities, func(c ecs.Compatibility) string { return string(c) }),
		RuntimePlatform:         structToWire(td.RuntimePlatform, runtimePlatformToWire),
		RequiresCompatibilities: listToWire(td.RequiresCompatibilities, func(c ecs.Compatibility) string { return string(c) }),
		Cpu:                     optional(td.CPU),
		Memory:                  optional(td.Memory),
		InferenceAccelerators:   listToWire(td.InferenceAccelerators, inferenceAcceleratorToWire),
		PidMode:                 optional(string(td.PidMode)),
		IpcMode:                 optional(string(td.IpcMode)),
		ProxyConfiguration:      structToWire(td.ProxyConfiguration, proxyConfigurationToWire),
		RegisteredAt:            epochPtr(td.RegisteredAt),
		DeregisteredAt:          epochPtr(td.DeregisteredAt),
		DeleteRequestedAt:       epochPtr(td.DeleteRequestedAt),
		RegisteredBy:            optional(td.RegisteredBy),
		EphemeralStorage: structToWire(td.EphemeralStorage, func(e ecs.EphemeralStorage) wireEphemeralStorage {
			return wireEphemeralStorage{SizeInGiB: int32(e.SizeInGiB)}
		}),
		// ECS reports the flag whether or not it was registered with one; false is its default.
		EnableFaultInjection: &td.EnableFaultInjection,
	}
}

func containerDefinitionFromWire(c wireContainerDefinition) ecs.ContainerDefinition {
	return ecs.ContainerDefinition{
		Name:                   awsproto.Deref(c.Name),
		Image:                  awsproto.Deref(c.Image),
		RepositoryCredentials:  ecs.RepositoryCredentials{CredentialsParameter: awsproto.Deref(awsproto.Deref(c.RepositoryCredentials).CredentialsParameter)},
		CPU:                    int(c.Cpu),
		Memory:                 int(awsproto.Deref(c.Memory)),
		MemoryReservation:      int(awsproto.Deref(c.MemoryReservation)),
		Links:                  listFromWire(c.Links, sameValue),
		PortMappings:           listFromWire(c.PortMappings, portMappingFromWire),
		Essential:              c.Essential == nil || *c.Essential, // ECS's default is essential
		RestartPolicy:          containerRestartPolicyFromWire(c.RestartPolicy),
		EntryPoint:             listFromWire(c.EntryPoint, sameValue),
		Command:                listFromWire(c.Command, sameValue),
		Environment:            listFromWire(c.Environment, keyValuePairFromWire),
		EnvironmentFiles:       listFromWire(c.EnvironmentFiles, environmentFileFromWire),
		MountPoints:            listFromWire(c.MountPoints, mountPointFromWire),
		VolumesFrom:            listFromWire(c.VolumesFrom, volumeFromFromWire),
		LinuxParameters:        linuxParametersFromWire(c.LinuxParameters),
		Secrets:                listFromWire(c.Secrets, secretFromWire),
		DependsOn:              listFromWire(c.DependsOn, containerDependencyFromWire),
		StartTimeout:           int(awsproto.Deref(c.StartTimeout)),
		StopTimeout:            int(awsproto.Deref(c.StopTimeout)),
		VersionConsistency:     ecs.VersionConsistency(awsproto.Deref(c.VersionConsistency)),
		Hostname:               awsproto.Deref(c.Hostname),
		User:                   awsproto.Deref(c.User),
		WorkingDirectory:       awsproto.Deref(c.WorkingDirectory),
		DisableNetworking:      awsproto.Deref(c.DisableNetworking),
		Privileged:             awsproto.Deref(c.Privileged),
		ReadonlyRootFilesystem: awsproto.Deref(c.ReadonlyRootFilesystem),
		DNSServers:             listFromWire(c.DnsServers, sameValue),
		DNSSearchDomains:       listFromWire(c.DnsSearchDomains, sameValue),
		ExtraHosts:             listFromWire(c.ExtraHosts, hostEntryFromWire),
		DockerSecurityOptions:  listFromWire(c.DockerSecurityOptions, sameValue),
		Interactive:            awsproto.Deref(c.Interactive),
		PseudoTerminal:         awsproto.Deref(c.PseudoTerminal),
		DockerLabels:           c.DockerLabels,
		Ulimits:                listFromWire(c.Ulimits, ulimitFromWire),
		LogConfiguration:       logConfigurationFromWire(c.LogConfiguration),
		HealthCheck:            healthCheckFromWire(c.HealthCheck),
		SystemControls:         listFromWire(c.SystemControls, systemControlFromWire),
		ResourceRequirements:   listFromWire(c.ResourceRequirements, resourceRequirementFromWire),
		FirelensConfiguration:  firelensConfigurationFromWire(c.FirelensConfiguration),
		CredentialSpecs:        listFromWire(c.CredentialSpecs, sameValue),
	}
}

func containerDefinitionToWire(c ecs.ContainerDefinition) wireContainerDefinition {
	return wireContainerDefinition{
		Name:                  optional(c.Name),
		Image:                 optional(c.Image),
		RepositoryCredentials: structToWire(c.RepositoryCredentials, repositoryCredentialsToWire),
		Cpu:                   int32(c.CPU),
		Memory:                optional(int32(c.Memory)),
		MemoryReservation:     optional(int32(c.MemoryReservation)),
		Links:                 listToWire(c.Links, sameValue),
		PortMappings:          alwaysListToWire(c.PortMappings, portMappingToWire),
		Essential:             &c.Essential,
		RestartPolicy:         structToWire(c.RestartPolicy, containerRestartPolicyToWire),
		EntryPoint:            listToWire(c.EntryPoint, sameValue),
		Command:               listToWire(c.Command, sameValue),
		Environment:           alwaysListToWire(c.Environment, keyValuePairToWire),
		EnvironmentFiles:      listToWire(c.EnvironmentFiles, environmentFileToWire),
		MountPoints:           alwaysListToWire(c.MountPoints, mountPointToWire),
		VolumesFrom:           alwaysListToWire(c.VolumesFrom, volumeFromToWire),
		LinuxParameters:       structToWire(c.LinuxParameters, linuxParametersToWire),
		Secrets:               listToWire(c.Secrets, secretToWire),
		DependsOn:             listToWire(c.DependsOn, containerDependencyToWire),
		StartTimeout:          optional(int32(c.StartTimeout)),
		StopTimeout:           optional(int32(c.StopTimeout)),
		VersionConsistency:    optional(string(c.VersionConsistency)),
		Hostname:              optional(c.Hostname),
		User:                  optional(c.User),
		WorkingDirectory:      optional(c.WorkingDirectory),
		// Booleans without an ECS default are sent only when true; see ecs.ContainerDefinition.
		DisableNetworking:      optional(c.DisableNetworking),
		Privileged:             optional(c.Privileged),
		ReadonlyRootFilesystem: optional(c.ReadonlyRootFilesystem),
		DnsServers:             listToWire(c.DNSServers, sameValue),
		DnsSearchDomains:       listToWire(c.DNSSearchDomains, sameValue),
		ExtraHosts:             listToWire(c.ExtraHosts, hostEntryToWire),
		DockerSecurityOptions:  listToWire(c.DockerSecurityOptions, sameValue),
		Interactive:            optional(c.Interactive),
		PseudoTerminal:         optional(c.PseudoTerminal),
		DockerLabels:           c.DockerLabels,
		Ulimits:                listToWire(c.Ulimits, ulimitToWire),
		LogConfiguration:       structToWire(c.LogConfiguration, logConfigurationToWire),
		HealthCheck:            structToWire(c.HealthCheck, healthCheckToWire),
		SystemControls:         alwaysListToWire(c.SystemControls, systemControlToWire),
		ResourceRequirements:   listToWire(c.ResourceRequirements, resourceRequirementToWire),
		FirelensConfiguration:  structToWire(c.FirelensConfiguration, firelensConfigurationToWire),
		CredentialSpecs:        listToWire(c.CredentialSpecs, sameValue),
	}
}

func portMappingFromWire(p wirePortMapping) ecs.PortMapping {
	return ecs.PortMapping{
		ContainerPort: int(awsproto.Deref(p.ContainerPort)), HostPort: int(awsproto.Deref(p.HostPort)),
		Protocol: ecs.TransportProtocol(awsproto.Deref(p.Protocol)), Name: awsproto.Deref(p.Name),
		AppProtocol: ecs.ApplicationProtocol(awsproto.Deref(p.AppProtocol)), ContainerPortRange: awsproto.Deref(p.ContainerPortRange),
	}
}

// portMappingToWire sends hostPort for every single-port mapping, 0 for a dynamic one, as ECS
// does; range mappings have neither containerPort nor hostPort.
func portMappingToWire(p ecs.PortMapping) wirePortMapping {
	w := wirePortMapping{
		ContainerPort: optional(int32(p.ContainerPort)), Protocol: optional(string(p.Protocol)),
		Name: optional(p.Name), AppProtocol: optional(string(p.AppProtocol)), ContainerPortRange: optional(p.ContainerPortRange),
	}
	if p.ContainerPortRange == "" {
		hostPort := int32(p.HostPort)
		w.HostPort = &hostPort
	}
	return w
}

func containerRestartPolicyFromWire(p *wireContainerRestartPolicy) ecs.ContainerRestartPolicy {
	if p == nil {
		return ecs.ContainerRestartPolicy{}
	}
	return ecs.ContainerRestartPolicy{
		Enabled:              awsproto.Deref(p.Enabled),
		IgnoredExitCodes:     listFromWire(p.IgnoredExitCodes, func(c int32) int { return int(c) }),
		RestartAttemptPeriod: int(awsproto.Deref(p.RestartAttemptPeriod)),
	}
}

func containerRestartPolicyToWire(p ecs.ContainerRestartPolicy) wireContainerRestartPolicy {
	return wireContainerRestartPolicy{
		Enabled:              &p.Enabled,
		IgnoredExitCodes:     listToWire(p.IgnoredExitCodes, func(c int) int32 { return int32(c) }),
		RestartAttemptPeriod: optional(int32(p.RestartAttemptPeriod)),
	}
}

func keyValuePairFromWire(kv wireKeyValuePair) ecs.KeyValuePair {
	return ecs.KeyValuePair{Name: awsproto.Deref(kv.Name), Value: awsproto.Deref(kv.Value)}
}

// keyValuePairToWire sends the value even when empty: an empty environment variable is set.
func keyValuePairToWire(kv ecs.KeyValuePair) wireKeyValuePair {
	return wireKeyValuePair{Name: optional(kv.Name), Value: &kv.Value}
}

func environmentFileFromWire(f wireEnvironmentFile) ecs.EnvironmentFile {
	return ecs.EnvironmentFile{Value: awsproto.Deref(f.Value), Type: ecs.EnvironmentFileType(awsproto.Deref(f.Type))}
}

func environmentFileToWire(f ecs.EnvironmentFile) wireEnvironmentFile {
	return wireEnvironmentFile{Value: optional(f.Value), Type: optional(string(f.Type))}
}

func mountPointFromWire(m wireMountPoint) ecs.MountPoint {
	return ecs.MountPoint{SourceVolume: awsproto.Deref(m.SourceVolume), ContainerPath: awsproto.Deref(m.ContainerPath), ReadOnly: awsproto.Deref(m.ReadOnly)}
}

func mountPointToWire(m ecs.MountPoint) wireMountPoint {
	return wireMountPoint{SourceVolume: optional(m.SourceVolume), ContainerPath: optional(m.ContainerPath), ReadOnly: optional(m.ReadOnly)}
}

func volumeFromFromWire(v wireVolumeFrom) ecs.VolumeFrom {
	return ecs.VolumeFrom{SourceContainer: awsproto.Deref(v.SourceContainer), ReadOnly: awsproto.Deref(v.ReadOnly)}
}

func volumeFromToWire(v ecs.VolumeFrom) wireVolumeFrom {
	return wireVolumeFrom{SourceContainer: optional(v.SourceContainer), ReadOnly: optional(v.ReadOnly)}
}

func linuxParametersFromWire(p *wireLinuxParameters) ecs.LinuxParameters {
	if p == nil {
		return ecs.LinuxParameters{}
	}
	caps := awsproto.Deref(p.Capabilities)
	return ecs.LinuxParameters{
		Capabilities: ecs.KernelCapabilities{Add: listFromWire(caps.Add, sameValue), Drop: listFromWire(caps.Drop, sameValue)},
		Devices: listFromWire(p.Devices, func(d wireDevice) ecs.Device {
			return ecs.Device{
				HostPath: awsproto.Deref(d.HostPath), ContainerPath: awsproto.Deref(d.ContainerPath),
				Permissions: listFromWire(d.Permissions, func(s string) ecs.DeviceCgroupPermission { return ecs.DeviceCgroupPermission(s) }),
			}
		}),
		InitProcessEnabled: awsproto.Deref(p.InitProcessEnabled),
		SharedMemorySize:   int(awsproto.Deref(p.SharedMemorySize)),
		Tmpfs: listFromWire(p.Tmpfs, func(t wireTmpfs) ecs.Tmpfs {
			return ecs.Tmpfs{ContainerPath: awsproto.Deref(t.ContainerPath), Size: int(t.Size), MountOptions: listFromWire(t.MountOptions, sameValue)}
		}),
		MaxSwap:    int(awsproto.Deref(p.MaxSwap)),
		Swappiness: int(awsproto.Deref(p.Swappiness)),
	}
}

func linuxParametersToWire(p ecs.LinuxParameters) wireLinuxParameters {
	return wireLinuxParameters{
		Capabilities: structToWire(p.Capabilities, func(c ecs.KernelCapabilities) wireKernelCapabilities {
			return wireKernelCapabilities{Add: listToWire(c.Add, sameValue), Drop: listToWire(c.Drop, sameValue)}
		}),
		Devices: listToWire(p.Devices, func(d ecs.Device) wireDevice {
			return wireDevice{
				HostPath: optional(d.HostPath), ContainerPath: optional(d.ContainerPath),
				Permissions: listToWire(d.Permissions, func(p ecs.DeviceCgroupPermission) string { return string(p) }),
			}
		}),
		InitProcessEnabled: optional(p.InitProcessEnabled),
		SharedMemorySize:   optional(int32(p.SharedMemorySize)),
		Tmpfs: listToWire(p.Tmpfs, func(t ecs.Tmpfs) wireTmpfs {
			return wireTmpfs{ContainerPath: optional(t.ContainerPath), Size: int32(t.Size), MountOptions: listToWire(t.MountOptions, sameValue)}
		}),
		MaxSwap:    optional(int32(p.MaxSwap)),
		Swappiness: optional(int32(p.Swappiness)),
	}
}

func secretFromWire(s wireSecret) ecs.Secret {
	return ecs.Secret{Name: awsproto.Deref(s.Name), ValueFrom: awsproto.Deref(s.ValueFrom)}
}

func secretToWire(s ecs.Secret) wireSecret {
	return wireSecret{Name: optional(s.Name), ValueFrom: optional(s.ValueFrom)}
}

func containerDependencyFromWire(d wireContainerDependency) ecs.ContainerDependency {
	return ecs.ContainerDependency{ContainerName: awsproto.Deref(d.ContainerName), Condition: ecs.ContainerCondition(awsproto.Deref(d.Condition))}
}

func containerDependencyToWire(d ecs.ContainerDependency) wireContainerDependency {
	return wireContainerDependency{ContainerName: optional(d.ContainerName), Condition: optional(string(d.Condition))}
}

func hostEntryFromWire(h wireHostEntry) ecs.HostEntry {
	return ecs.HostEntry{Hostname: awsproto.Deref(h.Hostname), IPAddress: awsproto.Deref(h.IpAddress)}
}

func hostEntryToWire(h ecs.HostEntry) wireHostEntry {
	return wireHostEntry{Hostname: optional(h.Hostname), IpAddress: optional(h.IPAddress)}
}

func ulimitFromWire(u wireUlimit) ecs.Ulimit {
	return ecs.Ulimit{Name: ecs.UlimitName(awsproto.Deref(u.Name)), SoftLimit: int(u.SoftLimit), HardLimit: int(u.HardLimit)}
}

func ulimitToWire(u ecs.Ulimit) wireUlimit {
	return wireUlimit{Name: optional(string(u.Name)), SoftLimit: int32(u.SoftLimit), HardLimit: int32(u.HardLimit)}
}

func logConfigurationFromWire(l *wireLogConfiguration) ecs.LogConfiguration {
	if l == nil {
		return ecs.LogConfiguration{}
	}
	return ecs.LogConfiguration{LogDriver: ecs.LogDriver(awsproto.Deref(l.LogDriver)), Options: l.Options, SecretOptions: listFromWire(l.SecretOptions, secretFromWire)}
}

func logConfigurationToWire(l ecs.LogConfiguration) wireLogConfiguration {
	return wireLogConfiguration{LogDriver: optional(string(l.LogDriver)), Options: l.Options, SecretOptions: listToWire(l.SecretOptions, secretToWire)}
}

func healthCheckFromWire(h *wireHealthCheck) ecs.HealthCheck {
	if h == nil {
		return ecs.HealthCheck{}
	}
	return ecs.HealthCheck{
		Command: listFromWire(h.Command, sameValue), Interval: int(awsproto.Deref(h.Interval)), Timeout: int(awsproto.Deref(h.Timeout)),
		Retries: int(awsproto.Deref(h.Retries)), StartPeriod: int(awsproto.Deref(h.StartPeriod)),
	}
}

// healthCheckToWire leaves out startPeriod when it is 0 (off), as ECS does when none was given.
func healthCheckToWire(h ecs.HealthCheck) wireHealthCheck {
	return wireHealthCheck{
		Command: alwaysListToWire(h.Command, sameValue), Interval: optional(int32(h.Interval)), Timeout: optional(int32(h.Timeout)),
		Retries: optional(int32(h.Retries)), StartPeriod: optional(int32(h.StartPeriod)),
	}
}

func systemControlFromWire(s wireSystemControl) ecs.SystemControl {
	return ecs.SystemControl{Namespace: awsproto.Deref(s.Namespace), Value: awsproto.Deref(s.Value)}
}

func systemControlToWire(s ecs.SystemControl) wireSystemControl {
	return wireSystemControl{Namespace: optional(s.Namespace), Value: optional(s.Value)}
}

func resourceRequirementFromWire(r wireResourceRequirement) ecs.ResourceRequirement {
	return ecs.ResourceRequirement{Value: awsproto.Deref(r.Value), Type: ecs.ResourceType(awsproto.Deref(r.Type))}
}

func resourceRequirementToWire(r ecs.ResourceRequirement) wireResourceRequirement {
	return wireResourceRequirement{Value: optional(r.Value), Type: optional(string(r.Type))}
}

func firelensConfigurationFromWire(f *wireFirelensConfiguration) ecs.FirelensConfiguration {
	if f == nil {
		return ecs.FirelensConfiguration{}
	}
	return ecs.FirelensConfiguration{Type: ecs.FirelensConfigurationType(awsproto.Deref(f.Type)), Options: f.Options}
}

func firelensConfigurationToWire(f ecs.FirelensConfiguration) wireFirelensConfiguration {
	return wireFirelensConfiguration{Type: optional(string(f.Type)), Options: f.Options}
}

func repositoryCredentialsToWire(r ecs.RepositoryCredentials) wireRepositoryCredentials {
	return wireRepositoryCredentials{CredentialsParameter: optional(r.CredentialsParameter)}
}

func volumeFromWire(v wireVolume) ecs.Volume {
	docker := awsproto.Deref(v.DockerVolumeConfiguration)
	efs := awsproto.Deref(v.EfsVolumeConfiguration)
	s3 := awsproto.Deref(v.S3filesVolumeConfiguration)
	fsx := awsproto.Deref(v.FsxWindowsFileServerVolumeConfiguration)
	return ecs.Volume{
		Name: awsproto.Deref(v.Name),
		Host: ecs.HostVolumeProperties{SourcePath: awsproto.Deref(awsproto.Deref(v.Host).SourcePath)},
		DockerVolumeConfiguration: ecs.DockerVolumeConfiguration{
			Scope: ecs.DockerVolumeScope(awsproto.Deref(docker.Scope)), Autoprovision: awsproto.Deref(docker.Autoprovision),
			Driver: awsproto.Deref(docker.Driver), DriverOpts: docker.DriverOpts, Labels: docker.Labels,
		},
		EFSVolumeConfiguration: ecs.EFSVolumeConfiguration{
			FileSystemID: awsproto.Deref(efs.FileSystemId), RootDirectory: awsproto.Deref(efs.RootDirectory),
			TransitEncryption: ecs.EFSTransitEncryption(awsproto.Deref(efs.TransitEncryption)), TransitEncryptionPort: int(awsproto.Deref(efs.TransitEncryptionPort)),
			AuthorizationConfig: ecs.EFSAuthorizationConfig{
				AccessPointID: awsproto.Deref(awsproto.Deref(efs.AuthorizationConfig).AccessPointId),
				IAM:           ecs.EFSAuthorizationConfigIAM(awsproto.Deref(awsproto.Deref(efs.AuthorizationConfig).Iam)),
			},
		},
		S3FilesVolumeConfiguration: ecs.S3FilesVolumeConfiguration{
			FileSystemARN: awsproto.Deref(s3.FileSystemArn), RootDirectory: awsproto.Deref(s3.RootDirectory),
			TransitEncryptionPort: int(awsproto.Deref(s3.TransitEncryptionPort)), AccessPointARN: awsproto.Deref(s3.AccessPointArn),
		},
		FSxWindowsFileServerVolumeConfiguration: ecs.FSxWindowsFileServerVolumeConfiguration{
			FileSystemID: awsproto.Deref(fsx.FileSystemId), RootDirectory: awsproto.Deref(fsx.RootDirectory),
			AuthorizationConfig: ecs.FSxWindowsFileServerAuthorizationConfig{
				CredentialsParameter: awsproto.Deref(awsproto.Deref(fsx.AuthorizationConfig).CredentialsParameter),
				Domain:               awsproto.Deref(awsproto.Deref(fsx.AuthorizationConfig).Domain),
			},
		},
		ConfiguredAtLaunch: awsproto.Deref(v.ConfiguredAtLaunch),
	}
}

func volumeToWire(v ecs.Volume) wireVolume {
	return wireVolume{
		Name: optional(v.Name),
		Host: structToWire(v.Host, func(h ecs.HostVolumeProperties) wireHostVolumeProperties {
			return wireHostVolumeProperties{SourcePath: optional(h.SourcePath)}
		}),
		DockerVolumeConfiguration: structToWire(v.DockerVolumeConfiguration, func(d ecs.DockerVolumeConfiguration) wireDockerVolumeConfiguration {
			return wireDockerVolumeConfiguration{
				Scope: optional(string(d.Scope)), Autoprovision: optional(d.Autoprovision),
				Driver: optional(d.Driver), DriverOpts: d.DriverOpts, Labels: d.Labels,
			}
		}),
		EfsVolumeConfiguration: structToWire(v.EFSVolumeConfiguration, func(e ecs.EFSVolumeConfiguration) wireEFSVolumeConfiguration {
			return wireEFSVolumeConfiguration{
				FileSystemId: optional(e.FileSystemID), RootDirectory: optional(e.RootDirectory),
				TransitEncryption: optional(string(e.TransitEncryption)), TransitEncryptionPort: optional(int32(e.TransitEncryptionPort)),
				AuthorizationConfig: structToWire(e.AuthorizationConfig, func(a ecs.EFSAuthorizationConfig) wireEFSAuthorizationConfig {
					return wireEFSAuthorizationConfig{AccessPointId: optional(a.AccessPointID), Iam: optional(string(a.IAM))}
				}),
			}
		}),
		S3filesVolumeConfiguration: structToWire(v.S3FilesVolumeConfiguration, func(s ecs.S3FilesVolumeConfiguration) wireS3FilesVolumeConfiguration {
			return wireS3FilesVolumeConfiguration{
				FileSystemArn: optional(s.FileSystemARN), RootDirectory: optional(s.RootDirectory),
				TransitEncryptionPort: optional(int32(s.TransitEncryptionPort)), AccessPointArn: optional(s.AccessPointARN),
			}
		}),
		FsxWindowsFileServerVolumeConfiguration: structToWire(v.FSxWindowsFileServerVolumeConfiguration, func(f ecs.FSxWindowsFileServerVolumeConfiguration) wireFSxWindowsFileServerVolumeConfiguration {
			return wireFSxWindowsFileServerVolumeConfiguration{
				FileSystemId: optional(f.FileSystemID), RootDirectory: optional(f.RootDirectory),
				AuthorizationConfig: structToWire(f.AuthorizationConfig, func(a ecs.FSxWindowsFileServerAuthorizationConfig) wireFSxWindowsFileServerAuthorizationConfig {
					return wireFSxWindowsFileServerAuthorizationConfig{CredentialsParameter: optional(a.CredentialsParameter), Domain: optional(a.Domain)}
				}),
			}
		}),
		ConfiguredAtLaunch: optional(v.ConfiguredAtLaunch),
	}
}

func taskDefinitionPlacementConstraintFromWire(p wireTaskDefinitionPlacementConstraint) ecs.TaskDefinitionPlacementConstraint {
	return ecs.TaskDefinitionPlacementConstraint{Type: ecs.TaskDefinitionPlacementConstraintType(awsproto.Deref(p.Type)), Expression: awsproto.Deref(p.Expression)}
}

func taskDefinitionPlacementConstraintToWire(p ecs.TaskDefinitionPlacementConstraint) wireTaskDefinitionPlacementConstraint {
	return wireTaskDefinitionPlacementConstraint{Type: optional(string(p.Type)), Expression: optional(p.Expression)}
}

func attributeToWire(a ecs.Attribute) wireAttribute {
	return wireAttribute{Name: optional(a.Name), Value: optional(a.Value), TargetType: optional(string(a.TargetType)), TargetId: optional(a.TargetID)}
}

func runtimePlatformToWire(p ecs.RuntimePlatform) wireRuntimePlatform {
	return wireRuntimePlatform{CpuArchitecture: optional(string(p.CPUArchitecture)), OperatingSystemFamily: optional(string(p.OperatingSystemFamily))}
}

func inferenceAcceleratorFromWire(a wireInferenceAccelerator) ecs.InferenceAccelerator {
	return ecs.InferenceAccelerator{DeviceName: awsproto.Deref(a.DeviceName), DeviceType: awsproto.Deref(a.DeviceType)}
}

func inferenceAcceleratorToWire(a ecs.InferenceAccelerator) wireInferenceAccelerator {
	return wireInferenceAccelerator{DeviceName: optional(a.DeviceName), DeviceType: optional(a.DeviceType)}
}

func proxyConfigurationFromWire(p *wireProxyConfiguration) ecs.ProxyConfiguration {
	if p == nil {
		return ecs.ProxyConfiguration{}
	}
	return ecs.ProxyConfiguration{
		Type: ecs.ProxyConfigurationType(awsproto.Deref(p.Type)), ContainerName: awsproto.Deref(p.ContainerName),
		Properties: listFromWire(p.Properties, keyValuePairFromWire),
	}
}

func proxyConfigurationToWire(p ecs.ProxyConfiguration) wireProxyConfiguration {
	return wireProxyConfiguration{
		Type: optional(string(p.Type)), ContainerName: optional(p.ContainerName),
		Properties: listToWire(p.Properties, keyValuePairToWire),
	}
}
