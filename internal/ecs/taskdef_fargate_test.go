package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTaskSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in          string
		cpu, memory int // 0: invalid
	}{
		{"256", 256, 256},
		{" 1024 ", 1024, 1024},
		{"1 vCPU", 1024, 0},
		{"1vcpu", 1024, 0},
		{"0.25 vCPU", 256, 0},
		{"0.5 vcpu", 512, 0},
		{"16 VCPU", 16384, 0},
		{"1 GB", 0, 1024},
		{"1GB", 0, 1024},
		{"0.5 gb", 0, 512},
		{"30 GB", 0, 30720},
		{"0.001 vCPU", 0, 0},
		{"0", 0, 0},
		{"-256", 0, 0},
		{"", 0, 0},
		{"1 TB", 0, 0},
		{"1e3", 0, 0},
		{"NaN vcpu", 0, 0},
		{"1.5.0 GB", 0, 0},
		{"99999999999 GB", 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			cpu, ok := parseCPU(tc.in)
			if (tc.cpu != 0) != ok || cpu != tc.cpu && ok {
				t.Errorf("parseCPU(%q) = %d, %t; want %d", tc.in, cpu, ok, tc.cpu)
			}
			mem, ok := parseMemory(tc.in)
			if (tc.memory != 0) != ok || mem != tc.memory && ok {
				t.Errorf("parseMemory(%q) = %d, %t; want %d", tc.in, mem, ok, tc.memory)
			}
		})
	}
}

func TestValidFargateSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cpu, memory int
		want        bool
	}{
		{256, 512, true}, {256, 1024, true}, {256, 2048, true}, {256, 3072, false}, {256, 256, false},
		{512, 1024, true}, {512, 4096, true}, {512, 512, false}, {512, 5120, false}, {512, 1536, false},
		{1024, 2048, true}, {1024, 8192, true}, {1024, 1024, false}, {1024, 9216, false},
		{2048, 4096, true}, {2048, 16384, true}, {2048, 17408, false},
		{4096, 8192, true}, {4096, 30720, true}, {4096, 31744, false},
		{8192, 16384, true}, {8192, 20480, true}, {8192, 61440, true}, {8192, 17408, false}, {8192, 65536, false},
		{16384, 32768, true}, {16384, 40960, true}, {16384, 122880, true}, {16384, 36864, false}, {16384, 131072, false},
		{128, 512, false}, {768, 2048, false}, {32768, 65536, false},
	}
	for _, tc := range tests {
		if got := validFargateSize(tc.cpu, tc.memory); got != tc.want {
			t.Errorf("validFargateSize(%d, %d) = %t, want %t", tc.cpu, tc.memory, got, tc.want)
		}
	}
}

func TestNormalizeTaskDefinitionFargate(t *testing.T) {
	t.Parallel()
	container := func(f func(c *ContainerDefinition)) func(td *TaskDefinition) {
		return func(td *TaskDefinition) { f(&td.ContainerDefinitions[0]) }
	}
	runNormalizeCases(t, []normalizeCase{
		{name: "bridge", base: fargateTD, mutate: func(td *TaskDefinition) { td.NetworkMode = NetworkModeBridge },
			wantMsg: "Fargate only supports network mode ‘awsvpc’."},
		{name: "no network mode", base: fargateTD, mutate: func(td *TaskDefinition) { td.NetworkMode = "" },
			wantMsg: "Fargate only supports network mode ‘awsvpc’."},
		{name: "no cpu", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU = "" },
			wantMsg: "Fargate requires that 'cpu' be defined at the task level."},
		{name: "no memory", base: fargateTD, mutate: func(td *TaskDefinition) { td.Memory = "" },
			wantMsg: "Fargate requires that 'memory' be defined at the task level."},
		{name: "invalid size", base: fargateTD, mutate: func(td *TaskDefinition) { td.Memory = "4096" },
			wantMsg: "No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values."},
		{name: "invalid size in units", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "4 vCPU", "2 GB" },
			wantMsg: "No Fargate configuration exists for given values: 4096 CPU, 2048 memory. See the Amazon ECS documentation for the valid values."},
		{name: "cpu below the ec2 range", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU = "100" },
			wantMsg: "No Fargate configuration exists for given values: 100 CPU, 512 memory. See the Amazon ECS documentation for the valid values."},
		{name: "largest size", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "16 vCPU", "120 GB" }},
		{name: "windows below 1 vCPU", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.RuntimePlatform = RuntimePlatform{OperatingSystemFamily: OSFamilyWindowsServer2022Core, CPUArchitecture: CPUArchitectureX86_64}
		}, wantSub: "No Fargate configuration exists for given values: 256 CPU, 512 memory."},
		{name: "windows 1 vCPU", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.CPU, td.Memory = "1024", "2048"
			td.RuntimePlatform = RuntimePlatform{OperatingSystemFamily: OSFamilyWindowsServer2022Core}
		}},
		{name: "arm64", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.RuntimePlatform = RuntimePlatform{OperatingSystemFamily: OSFamilyLinux, CPUArchitecture: CPUArchitectureARM64}
		}},
		{name: "ipc mode", base: fargateTD, mutate: func(td *TaskDefinition) { td.IpcMode = IpcModeTask },
			wantMsg: "Tasks using the Fargate launch type do not support ipcMode."},
		{name: "pid mode task", base: fargateTD, mutate: func(td *TaskDefinition) { td.PidMode = PidModeTask }},
		{name: "pid mode host", base: fargateTD, mutate: func(td *TaskDefinition) { td.PidMode = PidModeHost }, wantSub: "pidMode 'host'"},
		{name: "placement constraints", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "x"}}
		}, wantSub: "do not support placement constraints"},
		{name: "host volume", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data", Host: HostVolumeProperties{SourcePath: "/data"}}}
		}, wantSub: "host volumes with a sourcePath"},
		{name: "scratch volume", base: fargateTD, mutate: func(td *TaskDefinition) { td.Volumes = []Volume{{Name: "scratch"}} }},
		{name: "docker volume", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data", DockerVolumeConfiguration: DockerVolumeConfiguration{Scope: DockerVolumeScopeTask}}}
		}, wantSub: "Docker volumes"},
		{name: "privileged", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.Privileged = true }),
			wantSub: "privileged containers (container 'web')"},
		{name: "docker security options", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.DockerSecurityOptions = []string{"no-new-privileges"} }),
			wantSub: "dockerSecurityOptions"},
		{name: "devices", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Devices = []Device{{HostPath: "/dev/fuse"}}
		}), wantSub: "linuxParameters.devices"},
		{name: "sys_ptrace", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Capabilities.Add = []string{"SYS_PTRACE"}
		})},
		{name: "net_admin", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Capabilities.Add = []string{"NET_ADMIN"}
		}), wantSub: "NET_ADMIN"},
		{name: "gpu", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}}
		}), wantSub: "GPU"},
		{name: "stop timeout 120", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.StopTimeout = 120 })},
		{name: "stop timeout 121", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.StopTimeout = 121 }),
			wantSub: "Invalid 'stopTimeout' setting for container 'web'"},
		{name: "start timeout 1", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.StartTimeout = 1 }),
			wantSub: "Invalid 'startTimeout' setting for container 'web'"},
		{name: "json-file log driver", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.LogConfiguration.LogDriver = LogDriverJSONFile }),
			wantSub: "log driver json-file"},
		{name: "awslogs without execution role", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ExecutionRoleARN = ""
			td.ContainerDefinitions[0].LogConfiguration = LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-group": "g", "awslogs-region": "us-east-1"}}
		}, wantMsg: "Fargate requires task definition to have execution role ARN to support log driver awslogs."},
		{name: "external with awsvpc", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.RequiresCompatibilities = []Compatibility{CompatibilityExternal}
		}, wantSub: "EXTERNAL launch type do not support networkMode awsvpc"},
	})
}

func TestCompatibilities(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		base   func() TaskDefinition
		mutate func(td *TaskDefinition)
		want   []Compatibility
	}{
		{"fargate", fargateTD, nil, []Compatibility{CompatibilityEC2, CompatibilityFargate}},
		{"awsvpc without requiring fargate", fargateTD, func(td *TaskDefinition) { td.RequiresCompatibilities = nil },
			[]Compatibility{CompatibilityEC2, CompatibilityFargate}},
		{"awsvpc without task size", ec2TD, func(td *TaskDefinition) { td.NetworkMode = NetworkModeAwsvpc },
			[]Compatibility{CompatibilityEC2}},
		{"awsvpc privileged", fargateTD, func(td *TaskDefinition) {
			td.RequiresCompatibilities = []Compatibility{CompatibilityEC2}
			td.ContainerDefinitions[0].Privileged = true
		}, []Compatibility{CompatibilityEC2}},
		{"bridge", ec2TD, nil, []Compatibility{CompatibilityExternal, CompatibilityEC2}},
		{"host", ec2TD, func(td *TaskDefinition) { td.NetworkMode = NetworkModeHost }, []Compatibility{CompatibilityExternal, CompatibilityEC2}},
		{"managed instances", fargateTD, func(td *TaskDefinition) {
			td.RequiresCompatibilities = []Compatibility{CompatibilityManagedInstances}
		}, []Compatibility{CompatibilityEC2, CompatibilityManagedInstances, CompatibilityFargate}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			td := tc.base()
			if tc.mutate != nil {
				tc.mutate(&td)
			}
			got, err := NormalizeTaskDefinition(td)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Compatibilities); diff != "" {
				t.Errorf("compatibilities (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNormalizeTaskDefinitionVolumes(t *testing.T) {
	t.Parallel()
	// mounted gives the task volume v and mounts it into the first container.
	mounted := func(v Volume) func(td *TaskDefinition) {
		return func(td *TaskDefinition) {
			td.Volumes = []Volume{v}
			td.ContainerDefinitions[0].MountPoints = []MountPoint{{SourceVolume: v.Name, ContainerPath: "/data"}}
		}
	}
	efs := func(e EFSVolumeConfiguration) Volume { return Volume{Name: "shared", EFSVolumeConfiguration: e} }
	runNormalizeCases(t, []normalizeCase{
		{name: "bind mount", base: ec2TD, mutate: mounted(Volume{Name: "data", Host: HostVolumeProperties{SourcePath: "/srv/data"}})},
		{name: "efs", base: fargateTD, mutate: mounted(efs(EFSVolumeConfiguration{
			FileSystemID: "fs-1234", TransitEncryption: EFSTransitEncryptionEnabled,
			AuthorizationConfig: EFSAuthorizationConfig{AccessPointID: "fsap-1", IAM: EFSAuthorizationIAMEnabled},
		})), check: func(t *testing.T, got TaskDefinition) {
			var names []string
			for _, a := range got.RequiresAttributes {
				names = append(names, a.Name)
			}
			for _, want := range []string{"ecs.capability.efs", "ecs.capability.efsAuth"} {
				if !contains(names, want) {
					t.Errorf("requiresAttributes %v lack %s", names, want)
				}
			}
		}},
		{name: "efs without file system", base: fargateTD, mutate: mounted(efs(EFSVolumeConfiguration{RootDirectory: "/"})),
			wantSub: "fileSystemId is required"},
		{name: "efs iam without encryption", base: fargateTD, mutate: mounted(efs(EFSVolumeConfiguration{
			FileSystemID: "fs-1", AuthorizationConfig: EFSAuthorizationConfig{IAM: EFSAuthorizationIAMEnabled},
		})), wantSub: "requires transitEncryption ENABLED"},
		{name: "efs access point with root directory", base: fargateTD, mutate: mounted(efs(EFSVolumeConfiguration{
			FileSystemID: "fs-1", RootDirectory: "/app", TransitEncryption: EFSTransitEncryptionEnabled,
			AuthorizationConfig: EFSAuthorizationConfig{AccessPointID: "fsap-1"},
		})), wantSub: "rootDirectory must be omitted"},
		{name: "efs bad encryption", base: fargateTD, mutate: mounted(efs(EFSVolumeConfiguration{FileSystemID: "fs-1", TransitEncryption: "YES"})),
			wantSub: "volumes.1.member.efsVolumeConfiguration.transitEncryption"},
		{name: "efs without name", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{EFSVolumeConfiguration: EFSVolumeConfiguration{FileSystemID: "fs-1"}}}
		}, wantMsg: "Volume name should not be null or empty."},
		{name: "s3 files", base: fargateTD, mutate: mounted(Volume{Name: "s3", S3FilesVolumeConfiguration: S3FilesVolumeConfiguration{FileSystemARN: "arn:aws:s3files:us-east-1:000000000000:file-system/fs-1"}})},
		{name: "s3 files without arn", base: fargateTD, mutate: mounted(Volume{Name: "s3", S3FilesVolumeConfiguration: S3FilesVolumeConfiguration{RootDirectory: "/"}}),
			wantSub: "fileSystemArn is required"},
		{name: "fsx incomplete", base: ec2TD, mutate: mounted(Volume{Name: "fsx", FSxWindowsFileServerVolumeConfiguration: FSxWindowsFileServerVolumeConfiguration{FileSystemID: "fs-1"}}),
			wantSub: "requires fileSystemId, rootDirectory and authorizationConfig"},
		{name: "docker volume", base: ec2TD, mutate: mounted(Volume{Name: "cache", DockerVolumeConfiguration: DockerVolumeConfiguration{Scope: DockerVolumeScopeShared, Autoprovision: true, Driver: "local"}})},
		{name: "autoprovision with task scope", base: ec2TD, mutate: mounted(Volume{Name: "cache", DockerVolumeConfiguration: DockerVolumeConfiguration{Scope: DockerVolumeScopeTask, Autoprovision: true}}),
			wantSub: "autoprovision can only be used with scope shared"},
		{name: "bad docker scope", base: ec2TD, mutate: mounted(Volume{Name: "cache", DockerVolumeConfiguration: DockerVolumeConfiguration{Scope: "global"}}),
			wantSub: "dockerVolumeConfiguration.scope"},
		{name: "two kinds", base: ec2TD, mutate: mounted(Volume{Name: "x", Host: HostVolumeProperties{SourcePath: "/x"}, EFSVolumeConfiguration: EFSVolumeConfiguration{FileSystemID: "fs-1"}}),
			wantSub: "can have only one of"},
		{name: "configured at launch", base: fargateTD, mutate: mounted(Volume{Name: "ebs", ConfiguredAtLaunch: true})},
		{name: "two configured at launch", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "a", ConfiguredAtLaunch: true}, {Name: "b", ConfiguredAtLaunch: true}}
		}, wantSub: "at most one volume that is configured at launch"},
		{name: "duplicate names", base: fargateTD, mutate: func(td *TaskDefinition) { td.Volumes = []Volume{{Name: "a"}, {Name: "a"}} },
			wantSub: "Volume names must be unique"},
		{name: "invalid name", base: fargateTD, mutate: func(td *TaskDefinition) { td.Volumes = []Volume{{Name: "a b"}} },
			wantSub: "Volume name 'a b' is invalid"},
		{name: "mount of unknown volume", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].MountPoints = []MountPoint{{SourceVolume: "data", ContainerPath: "/data"}}
		}, wantSub: "sourceVolume 'data' is not a volume of the task definition"},
		{name: "mount without path", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.Volumes = []Volume{{Name: "data"}}
			td.ContainerDefinitions[0].MountPoints = []MountPoint{{SourceVolume: "data"}}
		}, wantSub: "sourceVolume and containerPath are required"},
		{name: "volumes from", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("data"))
			td.ContainerDefinitions[0].VolumesFrom = []VolumeFrom{{SourceContainer: "data", ReadOnly: true}}
		}},
		{name: "volumes from unknown container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].VolumesFrom = []VolumeFrom{{SourceContainer: "data"}}
		}, wantSub: "sourceContainer 'data' must be another container"},
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
