package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeTaskDefinitionPortMappings(t *testing.T) {
	t.Parallel()
	bridge := func() TaskDefinition {
		td := ec2TD()
		td.NetworkMode = NetworkModeBridge
		return td
	}
	ports := func(pms ...PortMapping) func(td *TaskDefinition) {
		return func(td *TaskDefinition) { td.ContainerDefinitions[0].PortMappings = pms }
	}
	wantPorts := func(want ...PortMapping) func(t *testing.T, got TaskDefinition) {
		return func(t *testing.T, got TaskDefinition) {
			if diff := cmp.Diff(want, got.ContainerDefinitions[0].PortMappings); diff != "" {
				t.Errorf("port mappings (-want +got):\n%s", diff)
			}
		}
	}
	runNormalizeCases(t, []normalizeCase{
		{name: "awsvpc fills host port and protocol", base: fargateTD,
			check: wantPorts(PortMapping{ContainerPort: 8080, HostPort: 8080, Protocol: TransportProtocolTCP})},
		{name: "awsvpc host port equal", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, HostPort: 80, Protocol: TransportProtocolUDP}),
			check: wantPorts(PortMapping{ContainerPort: 80, HostPort: 80, Protocol: TransportProtocolUDP})},
		{name: "awsvpc host port differs", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, HostPort: 8080}),
			wantMsg: "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{name: "host mode host port differs", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: 80, HostPort: 81}}
		}, wantMsg: "When networkMode=host, the host ports and container ports in port mappings must match."},
		{name: "bridge keeps dynamic host port", base: bridge, mutate: ports(PortMapping{ContainerPort: 80}),
			check: wantPorts(PortMapping{ContainerPort: 80, Protocol: TransportProtocolTCP})},
		{name: "bridge static host port", base: bridge, mutate: ports(PortMapping{ContainerPort: 80, HostPort: 8080}),
			check: wantPorts(PortMapping{ContainerPort: 80, HostPort: 8080, Protocol: TransportProtocolTCP})},
		{name: "none mode rejects mappings", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeNone
			td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: 80}}
		}, wantSub: "networkMode=none"},
		{name: "container port missing", base: fargateTD, mutate: ports(PortMapping{Protocol: TransportProtocolTCP}),
			wantSub: "containerPort must be between 1 and 65535"},
		{name: "container port too high", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 65536}),
			wantSub: "containerPort must be between 1 and 65535"},
		{name: "host port too high", base: bridge, mutate: ports(PortMapping{ContainerPort: 80, HostPort: 70000}),
			wantSub: "hostPort must be between 0 and 65535"},
		{name: "bad protocol", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, Protocol: "sctp"}),
			wantMsg: "1 validation error detected: Value 'sctp' at 'containerDefinitions.1.member.portMappings.1.member.protocol' failed to satisfy constraint: Member must satisfy enum value set: [tcp, udp]"},
		{name: "bad app protocol", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, AppProtocol: "https"}),
			wantSub: "portMappings.1.member.appProtocol"},
		{name: "named mapping", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, Name: "web-80-tcp", AppProtocol: ApplicationProtocolHTTP})},
		{name: "bad mapping name", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80, Name: "-Web"}),
			wantSub: "Invalid port mapping name"},
		{name: "duplicate mapping names across containers", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: 80, Name: "http"}}
			c := sidecar("admin")
			c.PortMappings = []PortMapping{{ContainerPort: 81, Name: "http"}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
		}, wantSub: "Port mapping names must be unique"},
		{name: "duplicate port and protocol", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 80}, PortMapping{ContainerPort: 80, Protocol: TransportProtocolTCP}),
			wantSub: "Container port 80/tcp is mapped more than once"},
		{name: "same port tcp and udp", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 53}, PortMapping{ContainerPort: 53, Protocol: TransportProtocolUDP})},
		{name: "awsvpc same port in two containers", base: fargateTD, mutate: func(td *TaskDefinition) {
			c := sidecar("admin")
			c.PortMappings = []PortMapping{{ContainerPort: 8080}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
		}, wantSub: "Container port 8080/tcp is mapped more than once (container 'admin')"},
		{name: "bridge same port in two containers", base: bridge, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: 80}}
			c := sidecar("admin")
			c.Memory = 64
			c.PortMappings = []PortMapping{{ContainerPort: 80}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
		}},
		{name: "port range", base: fargateTD, mutate: ports(PortMapping{ContainerPortRange: "9000-9010"}),
			check: wantPorts(PortMapping{ContainerPortRange: "9000-9010", Protocol: TransportProtocolTCP})},
		{name: "port range reversed", base: fargateTD, mutate: ports(PortMapping{ContainerPortRange: "9010-9000"}),
			wantSub: "Invalid containerPortRange"},
		{name: "port range with container port", base: fargateTD, mutate: ports(PortMapping{ContainerPort: 9000, ContainerPortRange: "9000-9010"}),
			wantSub: "can't be combined"},
		{name: "port range in host mode", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.NetworkMode = NetworkModeHost
			td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPortRange: "9000-9010"}}
		}, wantSub: "requires networkMode bridge or awsvpc"},
	})
}

func TestNormalizeTaskDefinitionHealthCheck(t *testing.T) {
	t.Parallel()
	hc := func(h HealthCheck) func(td *TaskDefinition) {
		return func(td *TaskDefinition) { td.ContainerDefinitions[0].HealthCheck = h }
	}
	curl := []string{"CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"}
	runNormalizeCases(t, []normalizeCase{
		{name: "defaults", base: fargateTD, mutate: hc(HealthCheck{Command: curl}), check: func(t *testing.T, got TaskDefinition) {
			want := HealthCheck{Command: curl, Interval: 30, Timeout: 5, Retries: 3}
			if diff := cmp.Diff(want, got.ContainerDefinitions[0].HealthCheck); diff != "" {
				t.Errorf("health check (-want +got):\n%s", diff)
			}
		}},
		{name: "given values kept", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Interval: 10, Timeout: 2, Retries: 10, StartPeriod: 300}),
			check: func(t *testing.T, got TaskDefinition) {
				want := HealthCheck{Command: curl, Interval: 10, Timeout: 2, Retries: 10, StartPeriod: 300}
				if diff := cmp.Diff(want, got.ContainerDefinitions[0].HealthCheck); diff != "" {
					t.Errorf("health check (-want +got):\n%s", diff)
				}
			}},
		{name: "exec form", base: fargateTD, mutate: hc(HealthCheck{Command: []string{"CMD", "/bin/check"}})},
		{name: "none", base: fargateTD, mutate: hc(HealthCheck{Command: []string{"NONE"}})},
		{name: "command missing", base: fargateTD, mutate: hc(HealthCheck{Interval: 10}), wantSub: "command is required"},
		{name: "command without prefix", base: fargateTD, mutate: hc(HealthCheck{Command: []string{"curl", "-f", "localhost"}}),
			wantSub: "must start with CMD, CMD-SHELL or NONE"},
		{name: "interval too short", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Interval: 4}), wantSub: "interval must be between 5 and 300"},
		{name: "interval too long", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Interval: 301}), wantSub: "interval must be between 5 and 300"},
		{name: "timeout too short", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Timeout: 1}), wantSub: "timeout must be between 2 and 60"},
		{name: "timeout too long", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Timeout: 61}), wantSub: "timeout must be between 2 and 60"},
		{name: "timeout above interval accepted", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Interval: 5, Timeout: 10})},
		{name: "retries too many", base: fargateTD, mutate: hc(HealthCheck{Command: curl, Retries: 11}), wantSub: "retries must be between 1 and 10"},
		{name: "start period too long", base: fargateTD, mutate: hc(HealthCheck{Command: curl, StartPeriod: 301}), wantSub: "startPeriod must be between 0 and 300"},
		{name: "start period negative", base: fargateTD, mutate: hc(HealthCheck{Command: curl, StartPeriod: -1}), wantSub: "startPeriod must be between 0 and 300"},
	})
}

func TestNormalizeTaskDefinitionDependencies(t *testing.T) {
	t.Parallel()
	// withDep gives the task a non-essential "init" container and makes "web" depend on it.
	withDep := func(cond ContainerCondition, essential bool, health bool) func(td *TaskDefinition) {
		return func(td *TaskDefinition) {
			c := sidecar("init")
			c.Essential = essential
			if health {
				c.HealthCheck = HealthCheck{Command: []string{"CMD", "true"}}
			}
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
			td.ContainerDefinitions[0].DependsOn = []ContainerDependency{{ContainerName: "init", Condition: cond}}
		}
	}
	runNormalizeCases(t, []normalizeCase{
		{name: "start", base: fargateTD, mutate: withDep(ContainerConditionStart, true, false)},
		{name: "complete on non-essential", base: fargateTD, mutate: withDep(ContainerConditionComplete, false, false)},
		{name: "success on non-essential", base: fargateTD, mutate: withDep(ContainerConditionSuccess, false, false)},
		{name: "complete on essential", base: fargateTD, mutate: withDep(ContainerConditionComplete, true, false),
			wantMsg: "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"},
		{name: "success on essential", base: fargateTD, mutate: withDep(ContainerConditionSuccess, true, false),
			wantMsg: "A dependency container with SUCCESS or COMPLETE condition cannot be an essential container"},
		{name: "healthy with health check", base: fargateTD, mutate: withDep(ContainerConditionHealthy, true, true)},
		{name: "healthy without health check", base: fargateTD, mutate: withDep(ContainerConditionHealthy, true, false),
			wantSub: "has no health check"},
		{name: "bad condition", base: fargateTD, mutate: withDep("READY", false, false),
			wantSub: "at 'containerDefinitions.1.member.dependsOn.1.member.condition'"},
		{name: "unknown container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].DependsOn = []ContainerDependency{{ContainerName: "db", Condition: ContainerConditionStart}}
		}, wantSub: "which is not in the task definition"},
		{name: "self", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].DependsOn = []ContainerDependency{{ContainerName: "web", Condition: ContainerConditionStart}}
		}, wantSub: "cannot depend on itself"},
		{name: "missing condition", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("init"))
			td.ContainerDefinitions[0].DependsOn = []ContainerDependency{{ContainerName: "init"}}
		}, wantSub: "containerName and condition are required"},
		{name: "cycle", base: fargateTD, mutate: func(td *TaskDefinition) {
			a, b := sidecar("a"), sidecar("b")
			a.DependsOn = []ContainerDependency{{ContainerName: "b", Condition: ContainerConditionStart}}
			b.DependsOn = []ContainerDependency{{ContainerName: "a", Condition: ContainerConditionStart}}
			td.ContainerDefinitions = append(td.ContainerDefinitions, a, b)
		}, wantMsg: "Container dependencies must not form a cycle: a -> b -> a."},
		{name: "diamond is no cycle", base: fargateTD, mutate: func(td *TaskDefinition) {
			a, b, c := sidecar("a"), sidecar("b"), sidecar("c")
			start := func(n string) ContainerDependency {
				return ContainerDependency{ContainerName: n, Condition: ContainerConditionStart}
			}
			a.DependsOn = []ContainerDependency{start("b"), start("c")}
			b.DependsOn = []ContainerDependency{start("c")}
			td.ContainerDefinitions = append(td.ContainerDefinitions, a, b, c)
		}},
	})
}

func TestNormalizeTaskDefinitionContainerMembers(t *testing.T) {
	t.Parallel()
	container := func(f func(c *ContainerDefinition)) func(td *TaskDefinition) {
		return func(td *TaskDefinition) { f(&td.ContainerDefinitions[0]) }
	}
	awslogs := func(opts map[string]string) LogConfiguration {
		return LogConfiguration{LogDriver: LogDriverAwslogs, Options: opts}
	}
	runNormalizeCases(t, []normalizeCase{
		{name: "hostname with awsvpc", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.Hostname = "web" }),
			wantMsg: "hostname is not supported on container when networkMode=awsvpc."},
		{name: "hostname with bridge", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.Hostname = "web" })},
		{name: "extra hosts with awsvpc", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.ExtraHosts = []HostEntry{{Hostname: "db", IPAddress: "10.0.0.1"}}
		}), wantSub: "extraHosts is not supported"},
		{name: "extra host without address", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.ExtraHosts = []HostEntry{{Hostname: "db"}}
		}), wantSub: "hostname and ipAddress are required"},
		{name: "links with awsvpc", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("db"))
			td.ContainerDefinitions[0].Links = []string{"db"}
		}, wantMsg: "links are not supported on container when networkMode=awsvpc."},
		{name: "links with bridge", base: ec2TD, mutate: func(td *TaskDefinition) {
			db := sidecar("db")
			db.Memory = 64
			td.ContainerDefinitions = append(td.ContainerDefinitions, db)
			td.ContainerDefinitions[0].Links = []string{"db:database"}
		}},
		{name: "link to unknown container", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.Links = []string{"db"} }),
			wantSub: "Invalid link 'db'"},
		{name: "environment", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.Environment = []KeyValuePair{{Name: "PORT", Value: "8080"}, {Name: "EMPTY"}}
		})},
		{name: "environment without name", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.Environment = []KeyValuePair{{Value: "x"}}
		}), wantSub: "the name must not be empty"},
		{name: "environment file", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.EnvironmentFiles = []EnvironmentFile{{Value: "arn:aws:s3:::bucket/web.env", Type: EnvironmentFileTypeS3}}
		})},
		{name: "environment file bad type", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.EnvironmentFiles = []EnvironmentFile{{Value: "x", Type: "http"}}
		}), wantSub: "environmentFiles.1.member.type"},
		{name: "secret without valueFrom", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.Secrets = []Secret{{Name: "DB"}}
		}), wantSub: "name and valueFrom are required"},
		{name: "ulimit", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.Ulimits = []Ulimit{{Name: UlimitNofile, SoftLimit: 1024, HardLimit: 4096}}
		})},
		{name: "ulimit bad name", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.Ulimits = []Ulimit{{Name: "files", SoftLimit: 1, HardLimit: 1}}
		}), wantSub: "ulimits.1.member.name"},
		{name: "ulimit soft above hard", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.Ulimits = []Ulimit{{Name: UlimitNofile, SoftLimit: 10, HardLimit: 5}}
		}), wantSub: "softLimit must be between 0 and hardLimit"},
		{name: "awslogs", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.LogConfiguration = awslogs(map[string]string{"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "web"})
		})},
		{name: "awslogs without options", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.LogConfiguration = awslogs(nil) }),
			wantMsg: "Log driver awslogs requires options: awslogs-region, awslogs-group"},
		{name: "awslogs without region", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.LogConfiguration = awslogs(map[string]string{"awslogs-group": "/ecs/web"})
		}), wantMsg: "Log driver awslogs requires options: awslogs-region"},
		{name: "bad log driver", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.LogConfiguration.LogDriver = "loki" }),
			wantSub: "logConfiguration.logDriver"},
		{name: "log options without driver", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LogConfiguration.Options = map[string]string{"tag": "x"}
		}), wantSub: "logDriver is required"},
		{name: "awsfirelens without router", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LogConfiguration.LogDriver = LogDriverAwsfirelens
		}), wantSub: "no container of the task definition has a firelensConfiguration"},
		{name: "awsfirelens with router", base: ec2TD, mutate: func(td *TaskDefinition) {
			router := sidecar("log_router")
			router.Memory = 64
			router.FirelensConfiguration = FirelensConfiguration{Type: FirelensFluentbit}
			td.ContainerDefinitions = append(td.ContainerDefinitions, router)
			td.ContainerDefinitions[0].LogConfiguration.LogDriver = LogDriverAwsfirelens
		}},
		{name: "bad version consistency", base: fargateTD, mutate: container(func(c *ContainerDefinition) { c.VersionConsistency = "on" }),
			wantSub: "versionConsistency"},
		{name: "gpu", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "1"}}
		})},
		{name: "gpu not a number", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeGPU, Value: "one"}}
		}), wantSub: "positive number of GPUs"},
		{name: "two credential specs", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.CredentialSpecs = []string{"a", "b"} }),
			wantSub: "at most one credentialSpecs"},
		{name: "restart policy", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.RestartPolicy = ContainerRestartPolicy{Enabled: true, IgnoredExitCodes: []int{0}, RestartAttemptPeriod: 60}
		})},
		{name: "restart period too short", base: fargateTD, mutate: container(func(c *ContainerDefinition) {
			c.RestartPolicy = ContainerRestartPolicy{Enabled: true, RestartAttemptPeriod: 59}
		}), wantSub: "restartAttemptPeriod must be between 60 and 1800"},
		{name: "negative stop timeout", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.StopTimeout = -1 }),
			wantSub: "must not be negative"},
		{name: "linux parameters", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters = LinuxParameters{
				InitProcessEnabled: true, Swappiness: 10, MaxSwap: 512, SharedMemorySize: 64,
				Devices: []Device{{HostPath: "/dev/fuse", Permissions: []DeviceCgroupPermission{DeviceCgroupPermissionRead}}},
				Tmpfs:   []Tmpfs{{ContainerPath: "/tmp", Size: 64}},
			}
		})},
		{name: "device bad permission", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Devices = []Device{{HostPath: "/dev/fuse", Permissions: []DeviceCgroupPermission{"all"}}}
		}), wantSub: "devices.1.member.permissions.1.member"},
		{name: "device without host path", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Devices = []Device{{ContainerPath: "/dev/fuse"}}
		}), wantSub: "hostPath is required"},
		{name: "tmpfs without size", base: ec2TD, mutate: container(func(c *ContainerDefinition) {
			c.LinuxParameters.Tmpfs = []Tmpfs{{ContainerPath: "/tmp"}}
		}), wantSub: "positive size"},
		{name: "swappiness too high", base: ec2TD, mutate: container(func(c *ContainerDefinition) { c.LinuxParameters.Swappiness = 101 }),
			wantSub: "swappiness must be between 0 and 100"},
	})
}
