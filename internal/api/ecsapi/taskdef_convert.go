package ecsapi

// Conversions between the task definition wire shapes (taskdef_wire.go) and package ecs.
// *FromWire read a request into domain values, resolving absent members to ECS's defaults where
// the domain cannot see absence (essential); *ToWire write domain values as ECS returns them.

import "github.com/fargohq/fargo/internal/ecs"

// taskDefinitionFromRegisterRequest returns the task definition a RegisterTaskDefinition
// request asks for, before ecs.NormalizeTaskDefinition checks it.
func taskDefinitionFromRegisterRequest(req *registerTaskDefinitionInput) ecs.TaskDefinition {
	return ecs.TaskDefinition{
		Family:                  deref(req.Family),
		TaskRoleARN:             deref(req.TaskRoleArn),
		ExecutionRoleARN:        deref(req.ExecutionRoleArn),
		NetworkMode:             ecs.NetworkMode(deref(req.NetworkMode)),
		ContainerDefinitions:    listFromWire(req.ContainerDefinitions, containerDefinitionFromWire),
		Volumes:                 listFromWire(req.Volumes, volumeFromWire),
		PlacementConstraints:    listFromWire(req.PlacementConstraints, taskDefinitionPlacementConstraintFromWire),
		RequiresCompatibilities: listFromWire(req.RequiresCompatibilities, func(s string) ecs.Compatibility { return ecs.Compatibility(s) }),
		CPU:                     deref(req.Cpu),
		Memory:                  deref(req.Memory),
		Tags:                    tagsFromWire(req.Tags),
		PidMode:                 ecs.PidMode(deref(req.PidMode)),
		IpcMode:                 ecs.IpcMode(deref(req.IpcMode)),
		ProxyConfiguration:      proxyConfigurationFromWire(req.ProxyConfiguration),
		InferenceAccelerators:   listFromWire(req.InferenceAccelerators, inferenceAcceleratorFromWire),
		EphemeralStorage:        ecs.EphemeralStorage{SizeInGiB: int(deref(req.EphemeralStorage).SizeInGiB)},
		RuntimePlatform: ecs.RuntimePlatform{
			CPUArchitecture:       ecs.CPUArchitecture(deref(deref(req.RuntimePlatform).CpuArchitecture)),
			OperatingSystemFamily: ecs.OSFamily(deref(deref(req.RuntimePlatform).OperatingSystemFamily)),
		},
		EnableFaultInjection: deref(req.EnableFaultInjection),
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
		Name:                   deref(c.Name),
		Image:                  deref(c.Image),
		RepositoryCredentials:  ecs.RepositoryCredentials{CredentialsParameter: deref(deref(c.RepositoryCredentials).CredentialsParameter)},
		CPU:                    int(c.Cpu),
		Memory:                 int(deref(c.Memory)),
		MemoryReservation:      int(deref(c.MemoryReservation)),
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
		StartTimeout:           int(deref(c.StartTimeout)),
		StopTimeout:            int(deref(c.StopTimeout)),
		VersionConsistency:     ecs.VersionConsistency(deref(c.VersionConsistency)),
		Hostname:               deref(c.Hostname),
		User:                   deref(c.User),
		WorkingDirectory:       deref(c.WorkingDirectory),
		DisableNetworking:      deref(c.DisableNetworking),
		Privileged:             deref(c.Privileged),
		ReadonlyRootFilesystem: deref(c.ReadonlyRootFilesystem),
		DNSServers:             listFromWire(c.DnsServers, sameValue),
		DNSSearchDomains:       listFromWire(c.DnsSearchDomains, sameValue),
		ExtraHosts:             listFromWire(c.ExtraHosts, hostEntryFromWire),
		DockerSecurityOptions:  listFromWire(c.DockerSecurityOptions, sameValue),
		Interactive:            deref(c.Interactive),
		PseudoTerminal:         deref(c.PseudoTerminal),
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
		ContainerPort: int(deref(p.ContainerPort)), HostPort: int(deref(p.HostPort)),
		Protocol: ecs.TransportProtocol(deref(p.Protocol)), Name: deref(p.Name),
		AppProtocol: ecs.ApplicationProtocol(deref(p.AppProtocol)), ContainerPortRange: deref(p.ContainerPortRange),
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
		Enabled:              deref(p.Enabled),
		IgnoredExitCodes:     listFromWire(p.IgnoredExitCodes, func(c int32) int { return int(c) }),
		RestartAttemptPeriod: int(deref(p.RestartAttemptPeriod)),
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
	return ecs.KeyValuePair{Name: deref(kv.Name), Value: deref(kv.Value)}
}

// keyValuePairToWire sends the value even when empty: an empty environment variable is set.
func keyValuePairToWire(kv ecs.KeyValuePair) wireKeyValuePair {
	return wireKeyValuePair{Name: optional(kv.Name), Value: &kv.Value}
}

func environmentFileFromWire(f wireEnvironmentFile) ecs.EnvironmentFile {
	return ecs.EnvironmentFile{Value: deref(f.Value), Type: ecs.EnvironmentFileType(deref(f.Type))}
}

func environmentFileToWire(f ecs.EnvironmentFile) wireEnvironmentFile {
	return wireEnvironmentFile{Value: optional(f.Value), Type: optional(string(f.Type))}
}

func mountPointFromWire(m wireMountPoint) ecs.MountPoint {
	return ecs.MountPoint{SourceVolume: deref(m.SourceVolume), ContainerPath: deref(m.ContainerPath), ReadOnly: deref(m.ReadOnly)}
}

func mountPointToWire(m ecs.MountPoint) wireMountPoint {
	return wireMountPoint{SourceVolume: optional(m.SourceVolume), ContainerPath: optional(m.ContainerPath), ReadOnly: optional(m.ReadOnly)}
}

func volumeFromFromWire(v wireVolumeFrom) ecs.VolumeFrom {
	return ecs.VolumeFrom{SourceContainer: deref(v.SourceContainer), ReadOnly: deref(v.ReadOnly)}
}

func volumeFromToWire(v ecs.VolumeFrom) wireVolumeFrom {
	return wireVolumeFrom{SourceContainer: optional(v.SourceContainer), ReadOnly: optional(v.ReadOnly)}
}

func linuxParametersFromWire(p *wireLinuxParameters) ecs.LinuxParameters {
	if p == nil {
		return ecs.LinuxParameters{}
	}
	caps := deref(p.Capabilities)
	return ecs.LinuxParameters{
		Capabilities: ecs.KernelCapabilities{Add: listFromWire(caps.Add, sameValue), Drop: listFromWire(caps.Drop, sameValue)},
		Devices: listFromWire(p.Devices, func(d wireDevice) ecs.Device {
			return ecs.Device{
				HostPath: deref(d.HostPath), ContainerPath: deref(d.ContainerPath),
				Permissions: listFromWire(d.Permissions, func(s string) ecs.DeviceCgroupPermission { return ecs.DeviceCgroupPermission(s) }),
			}
		}),
		InitProcessEnabled: deref(p.InitProcessEnabled),
		SharedMemorySize:   int(deref(p.SharedMemorySize)),
		Tmpfs: listFromWire(p.Tmpfs, func(t wireTmpfs) ecs.Tmpfs {
			return ecs.Tmpfs{ContainerPath: deref(t.ContainerPath), Size: int(t.Size), MountOptions: listFromWire(t.MountOptions, sameValue)}
		}),
		MaxSwap:    int(deref(p.MaxSwap)),
		Swappiness: int(deref(p.Swappiness)),
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
	return ecs.Secret{Name: deref(s.Name), ValueFrom: deref(s.ValueFrom)}
}

func secretToWire(s ecs.Secret) wireSecret {
	return wireSecret{Name: optional(s.Name), ValueFrom: optional(s.ValueFrom)}
}

func containerDependencyFromWire(d wireContainerDependency) ecs.ContainerDependency {
	return ecs.ContainerDependency{ContainerName: deref(d.ContainerName), Condition: ecs.ContainerCondition(deref(d.Condition))}
}

func containerDependencyToWire(d ecs.ContainerDependency) wireContainerDependency {
	return wireContainerDependency{ContainerName: optional(d.ContainerName), Condition: optional(string(d.Condition))}
}

func hostEntryFromWire(h wireHostEntry) ecs.HostEntry {
	return ecs.HostEntry{Hostname: deref(h.Hostname), IPAddress: deref(h.IpAddress)}
}

func hostEntryToWire(h ecs.HostEntry) wireHostEntry {
	return wireHostEntry{Hostname: optional(h.Hostname), IpAddress: optional(h.IPAddress)}
}

func ulimitFromWire(u wireUlimit) ecs.Ulimit {
	return ecs.Ulimit{Name: ecs.UlimitName(deref(u.Name)), SoftLimit: int(u.SoftLimit), HardLimit: int(u.HardLimit)}
}

func ulimitToWire(u ecs.Ulimit) wireUlimit {
	return wireUlimit{Name: optional(string(u.Name)), SoftLimit: int32(u.SoftLimit), HardLimit: int32(u.HardLimit)}
}

func logConfigurationFromWire(l *wireLogConfiguration) ecs.LogConfiguration {
	if l == nil {
		return ecs.LogConfiguration{}
	}
	return ecs.LogConfiguration{LogDriver: ecs.LogDriver(deref(l.LogDriver)), Options: l.Options, SecretOptions: listFromWire(l.SecretOptions, secretFromWire)}
}

func logConfigurationToWire(l ecs.LogConfiguration) wireLogConfiguration {
	return wireLogConfiguration{LogDriver: optional(string(l.LogDriver)), Options: l.Options, SecretOptions: listToWire(l.SecretOptions, secretToWire)}
}

func healthCheckFromWire(h *wireHealthCheck) ecs.HealthCheck {
	if h == nil {
		return ecs.HealthCheck{}
	}
	return ecs.HealthCheck{
		Command: listFromWire(h.Command, sameValue), Interval: int(deref(h.Interval)), Timeout: int(deref(h.Timeout)),
		Retries: int(deref(h.Retries)), StartPeriod: int(deref(h.StartPeriod)),
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
	return ecs.SystemControl{Namespace: deref(s.Namespace), Value: deref(s.Value)}
}

func systemControlToWire(s ecs.SystemControl) wireSystemControl {
	return wireSystemControl{Namespace: optional(s.Namespace), Value: optional(s.Value)}
}

func resourceRequirementFromWire(r wireResourceRequirement) ecs.ResourceRequirement {
	return ecs.ResourceRequirement{Value: deref(r.Value), Type: ecs.ResourceType(deref(r.Type))}
}

func resourceRequirementToWire(r ecs.ResourceRequirement) wireResourceRequirement {
	return wireResourceRequirement{Value: optional(r.Value), Type: optional(string(r.Type))}
}

func firelensConfigurationFromWire(f *wireFirelensConfiguration) ecs.FirelensConfiguration {
	if f == nil {
		return ecs.FirelensConfiguration{}
	}
	return ecs.FirelensConfiguration{Type: ecs.FirelensConfigurationType(deref(f.Type)), Options: f.Options}
}

func firelensConfigurationToWire(f ecs.FirelensConfiguration) wireFirelensConfiguration {
	return wireFirelensConfiguration{Type: optional(string(f.Type)), Options: f.Options}
}

func repositoryCredentialsToWire(r ecs.RepositoryCredentials) wireRepositoryCredentials {
	return wireRepositoryCredentials{CredentialsParameter: optional(r.CredentialsParameter)}
}

func volumeFromWire(v wireVolume) ecs.Volume {
	docker := deref(v.DockerVolumeConfiguration)
	efs := deref(v.EfsVolumeConfiguration)
	s3 := deref(v.S3filesVolumeConfiguration)
	fsx := deref(v.FsxWindowsFileServerVolumeConfiguration)
	return ecs.Volume{
		Name: deref(v.Name),
		Host: ecs.HostVolumeProperties{SourcePath: deref(deref(v.Host).SourcePath)},
		DockerVolumeConfiguration: ecs.DockerVolumeConfiguration{
			Scope: ecs.DockerVolumeScope(deref(docker.Scope)), Autoprovision: deref(docker.Autoprovision),
			Driver: deref(docker.Driver), DriverOpts: docker.DriverOpts, Labels: docker.Labels,
		},
		EFSVolumeConfiguration: ecs.EFSVolumeConfiguration{
			FileSystemID: deref(efs.FileSystemId), RootDirectory: deref(efs.RootDirectory),
			TransitEncryption: ecs.EFSTransitEncryption(deref(efs.TransitEncryption)), TransitEncryptionPort: int(deref(efs.TransitEncryptionPort)),
			AuthorizationConfig: ecs.EFSAuthorizationConfig{
				AccessPointID: deref(deref(efs.AuthorizationConfig).AccessPointId),
				IAM:           ecs.EFSAuthorizationConfigIAM(deref(deref(efs.AuthorizationConfig).Iam)),
			},
		},
		S3FilesVolumeConfiguration: ecs.S3FilesVolumeConfiguration{
			FileSystemARN: deref(s3.FileSystemArn), RootDirectory: deref(s3.RootDirectory),
			TransitEncryptionPort: int(deref(s3.TransitEncryptionPort)), AccessPointARN: deref(s3.AccessPointArn),
		},
		FSxWindowsFileServerVolumeConfiguration: ecs.FSxWindowsFileServerVolumeConfiguration{
			FileSystemID: deref(fsx.FileSystemId), RootDirectory: deref(fsx.RootDirectory),
			AuthorizationConfig: ecs.FSxWindowsFileServerAuthorizationConfig{
				CredentialsParameter: deref(deref(fsx.AuthorizationConfig).CredentialsParameter),
				Domain:               deref(deref(fsx.AuthorizationConfig).Domain),
			},
		},
		ConfiguredAtLaunch: deref(v.ConfiguredAtLaunch),
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
	return ecs.TaskDefinitionPlacementConstraint{Type: ecs.TaskDefinitionPlacementConstraintType(deref(p.Type)), Expression: deref(p.Expression)}
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
	return ecs.InferenceAccelerator{DeviceName: deref(a.DeviceName), DeviceType: deref(a.DeviceType)}
}

func inferenceAcceleratorToWire(a ecs.InferenceAccelerator) wireInferenceAccelerator {
	return wireInferenceAccelerator{DeviceName: optional(a.DeviceName), DeviceType: optional(a.DeviceType)}
}

func proxyConfigurationFromWire(p *wireProxyConfiguration) ecs.ProxyConfiguration {
	if p == nil {
		return ecs.ProxyConfiguration{}
	}
	return ecs.ProxyConfiguration{
		Type: ecs.ProxyConfigurationType(deref(p.Type)), ContainerName: deref(p.ContainerName),
		Properties: listFromWire(p.Properties, keyValuePairFromWire),
	}
}

func proxyConfigurationToWire(p ecs.ProxyConfiguration) wireProxyConfiguration {
	return wireProxyConfiguration{
		Type: optional(string(p.Type)), ContainerName: optional(p.ContainerName),
		Properties: listToWire(p.Properties, keyValuePairToWire),
	}
}
