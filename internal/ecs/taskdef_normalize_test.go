package ecs

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
)

const execRole = "arn:aws:iam::000000000000:role/ecsTaskExecutionRole"

// fargateTD is a minimal valid Fargate task definition, as a task-definition.json holds it.
func fargateTD() TaskDefinition {
	return TaskDefinition{
		Family:                  "web",
		NetworkMode:             NetworkModeAwsvpc,
		RequiresCompatibilities: []Compatibility{CompatibilityFargate},
		CPU:                     "256",
		Memory:                  "512",
		ExecutionRoleARN:        execRole,
		ContainerDefinitions: []ContainerDefinition{{
			Name:         "web",
			Image:        "nginx",
			Essential:    true,
			PortMappings: []PortMapping{{ContainerPort: 8080}},
		}},
	}
}

// ec2TD is a minimal valid task definition without launch type or network mode.
func ec2TD() TaskDefinition {
	return TaskDefinition{
		Family: "worker",
		ContainerDefinitions: []ContainerDefinition{{
			Name: "app", Image: "busybox", Essential: true, Memory: 128,
		}},
	}
}

// sidecar is a second container for tests of rules between containers.
func sidecar(name string) ContainerDefinition {
	return ContainerDefinition{Name: name, Image: "busybox", Essential: false}
}

type normalizeCase struct {
	name   string
	base   func() TaskDefinition
	mutate func(td *TaskDefinition)
	// wantMsg is the exact message expected; wantSub a part of it. Both empty means success.
	wantMsg, wantSub string
	check            func(t *testing.T, got TaskDefinition)
}

func runNormalizeCases(t *testing.T, cases []normalizeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			td := tc.base()
			if tc.mutate != nil {
				tc.mutate(&td)
			}
			got, err := NormalizeTaskDefinition(td)
			if tc.wantMsg == "" && tc.wantSub == "" {
				if err != nil {
					t.Fatalf("NormalizeTaskDefinition: unexpected error %v", err)
				}
				if tc.check != nil {
					tc.check(t, got)
				}
				return
			}
			if err == nil {
				t.Fatalf("NormalizeTaskDefinition: no error, want %q%q", tc.wantMsg, tc.wantSub)
			}
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Errorf("error %v is not ErrInvalidArgument", err)
			}
			msg := errdefs.Message(err)
			if tc.wantMsg != "" && msg != tc.wantMsg {
				t.Errorf("message = %q, want %q", msg, tc.wantMsg)
			}
			if tc.wantSub != "" && !strings.Contains(msg, tc.wantSub) {
				t.Errorf("message = %q, want it to contain %q", msg, tc.wantSub)
			}
		})
	}
}

func TestNormalizeTaskDefinitionTaskLevel(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "minimal fargate", base: fargateTD, check: func(t *testing.T, got TaskDefinition) {
			if diff := cmp.Diff([]Compatibility{CompatibilityEC2, CompatibilityFargate}, got.Compatibilities); diff != "" {
				t.Errorf("compatibilities (-want +got):\n%s", diff)
			}
		}},
		{name: "minimal ec2", base: ec2TD, check: func(t *testing.T, got TaskDefinition) {
			if diff := cmp.Diff([]Compatibility{CompatibilityExternal, CompatibilityEC2}, got.Compatibilities); diff != "" {
				t.Errorf("compatibilities (-want +got):\n%s", diff)
			}
			if got.NetworkMode != "" || got.EffectiveNetworkMode() != NetworkModeBridge {
				t.Errorf("network mode = %q (effective %q), want empty (bridge)", got.NetworkMode, got.EffectiveNetworkMode())
			}
		}},
		{name: "family blank", base: fargateTD, mutate: func(td *TaskDefinition) { td.Family = "" },
			wantMsg: "Family can not be blank."},
		{name: "family invalid characters", base: fargateTD, mutate: func(td *TaskDefinition) { td.Family = "web app" },
			wantMsg: "Family contains invalid characters."},
		{name: "family with dot", base: fargateTD, mutate: func(td *TaskDefinition) { td.Family = "web.app" },
			wantMsg: "Family contains invalid characters."},
		{name: "family 255 characters", base: fargateTD, mutate: func(td *TaskDefinition) { td.Family = strings.Repeat("a", 255) }},
		{name: "family 256 characters", base: fargateTD, mutate: func(td *TaskDefinition) { td.Family = strings.Repeat("a", 256) },
			wantSub: "at most 255"},
		{name: "no containers", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions = nil },
			wantMsg: "Container list cannot be empty."},
		{name: "ten containers", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := range 9 {
				c := sidecar("side" + string(rune('a'+i)))
				c.Memory = 64
				td.ContainerDefinitions = append(td.ContainerDefinitions, c)
			}
		}},
		{name: "eleven containers", base: ec2TD, mutate: func(td *TaskDefinition) {
			for i := range 10 {
				td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("side"+string(rune('a'+i))))
			}
		}, wantSub: "at most 10 container definitions"},
		{name: "bad network mode", base: fargateTD, mutate: func(td *TaskDefinition) { td.NetworkMode = "vpc" },
			wantMsg: "1 validation error detected: Value 'vpc' at 'networkMode' failed to satisfy constraint: Member must satisfy enum value set: [bridge, host, awsvpc, none]"},
		{name: "bad pid mode", base: ec2TD, mutate: func(td *TaskDefinition) { td.PidMode = "container" }, wantSub: "at 'pidMode'"},
		{name: "bad ipc mode", base: ec2TD, mutate: func(td *TaskDefinition) { td.IpcMode = "shareable" }, wantSub: "at 'ipcMode'"},
		{name: "bad compatibility", base: fargateTD, mutate: func(td *TaskDefinition) { td.RequiresCompatibilities = []Compatibility{"LAMBDA"} },
			wantSub: "at 'requiresCompatibilities.1.member'"},
		{name: "bad cpu architecture", base: fargateTD, mutate: func(td *TaskDefinition) { td.RuntimePlatform.CPUArchitecture = "RISCV" },
			wantSub: "at 'runtimePlatform.cpuArchitecture'"},
		{name: "bad os family", base: fargateTD, mutate: func(td *TaskDefinition) { td.RuntimePlatform.OperatingSystemFamily = "BSD" },
			wantSub: "at 'runtimePlatform.operatingSystemFamily'"},
		{name: "cpu in vCPU", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "1 vCPU", "2 GB" },
			check: func(t *testing.T, got TaskDefinition) {
				if got.CPU != "1024" || got.Memory != "2048" {
					t.Errorf("cpu, memory = %q, %q; want 1024, 2048", got.CPU, got.Memory)
				}
			}},
		{name: "fractional vcpu and gb", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU, td.Memory = "0.25 vcpu", "0.5GB" },
			check: func(t *testing.T, got TaskDefinition) {
				if got.CPU != "256" || got.Memory != "512" {
					t.Errorf("cpu, memory = %q, %q; want 256, 512", got.CPU, got.Memory)
				}
			}},
		{name: "cpu not a number", base: fargateTD, mutate: func(td *TaskDefinition) { td.CPU = "lots" }, wantSub: "Invalid 'cpu' setting for task"},
		{name: "memory not a number", base: fargateTD, mutate: func(td *TaskDefinition) { td.Memory = "1 TB" }, wantSub: "Invalid 'memory' setting for task"},
		{name: "ec2 cpu below range", base: ec2TD, mutate: func(td *TaskDefinition) { td.CPU = "64" }, wantSub: "outside the supported range"},
		{name: "ec2 cpu in range", base: ec2TD, mutate: func(td *TaskDefinition) { td.CPU = "128" }},
		{name: "ec2 task memory replaces container memory", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.Memory = "1024"
			td.ContainerDefinitions[0].Memory = 0
		}},
		{name: "placement constraint", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: PlacementConstraintMemberOf, Expression: "attribute:ecs.instance-type =~ t3.*"}}
		}},
		{name: "placement constraint without expression", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: PlacementConstraintMemberOf}}
		}, wantSub: "needs a type (memberOf) and an expression"},
		{name: "placement constraint bad type", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: "distinctInstance", Expression: "x"}}
		}, wantSub: "at 'placementConstraints.1.member.type'"},
		{name: "too many placement constraints", base: ec2TD, mutate: func(td *TaskDefinition) {
			for range 11 {
				td.PlacementConstraints = append(td.PlacementConstraints, TaskDefinitionPlacementConstraint{Type: PlacementConstraintMemberOf, Expression: "x"})
			}
		}, wantSub: "at most 10 placement constraints"},
		{name: "ephemeral storage", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorage.SizeInGiB = 21 }},
		{name: "ephemeral storage too small", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorage.SizeInGiB = 20 },
			wantSub: "between 21 and 200 GiB"},
		{name: "ephemeral storage too large", base: fargateTD, mutate: func(td *TaskDefinition) { td.EphemeralStorage.SizeInGiB = 201 },
			wantSub: "between 21 and 200 GiB"},
		{name: "inference accelerator", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "device_1", DeviceType: "eia2.medium"}}
			td.ContainerDefinitions[0].ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeInferenceAccelerator, Value: "device_1"}}
		}},
		{name: "inference accelerator unknown device", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].ResourceRequirements = []ResourceRequirement{{Type: ResourceTypeInferenceAccelerator, Value: "device_1"}}
		}, wantSub: "is not a deviceName"},
		{name: "inference accelerator without type", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.InferenceAccelerators = []InferenceAccelerator{{DeviceName: "device_1"}}
		}, wantSub: "needs a deviceName and a deviceType"},
		{name: "proxy configuration", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("envoy"))
			td.ProxyConfiguration = ProxyConfiguration{ContainerName: "envoy", Properties: []KeyValuePair{{Name: "AppPorts", Value: "8080"}}}
		}, check: func(t *testing.T, got TaskDefinition) {
			if got.ProxyConfiguration.Type != ProxyConfigurationAppMesh {
				t.Errorf("proxy type = %q, want APPMESH", got.ProxyConfiguration.Type)
			}
		}},
		{name: "proxy unknown container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ProxyConfiguration = ProxyConfiguration{ContainerName: "envoy"}
		}, wantSub: "not in the task definition"},
		{name: "proxy needs awsvpc", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ProxyConfiguration = ProxyConfiguration{ContainerName: "app"}
		}, wantSub: "requires networkMode=awsvpc"},
		{name: "proxy without container", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ProxyConfiguration = ProxyConfiguration{Type: ProxyConfigurationAppMesh}
		}, wantSub: "needs a containerName"},
		{name: "tags", base: fargateTD, mutate: func(td *TaskDefinition) { td.Tags = []Tag{{Key: "team", Value: "web"}} }},
		{name: "tag aws prefix", base: fargateTD, mutate: func(td *TaskDefinition) { td.Tags = []Tag{{Key: "aws:x", Value: "y"}} },
			wantSub: "reserved"},
		{name: "too many tags", base: fargateTD, mutate: func(td *TaskDefinition) {
			for i := range 51 {
				td.Tags = append(td.Tags, Tag{Key: strings.Repeat("k", i+1)})
			}
		}, wantSub: "50"},
	})
}

func TestNormalizeTaskDefinitionContainerIdentity(t *testing.T) {
	t.Parallel()
	runNormalizeCases(t, []normalizeCase{
		{name: "container name blank", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Name = "" },
			wantMsg: "Container.name should not be null or empty."},
		{name: "container name invalid", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Name = "web/1" },
			wantMsg: "Container.name contains invalid characters."},
		{name: "container name too long", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Name = strings.Repeat("c", 256) },
			wantSub: "at most 255"},
		{name: "image blank", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Image = "" },
			wantMsg: "Container.image should not be null or empty."},
		{name: "duplicate container names", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("web"))
		}, wantMsg: "Container names must be unique within a Task Definition."},
		{name: "no essential container", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Essential = false },
			wantMsg: "Task definition doesn't have any essential container."},
		{name: "one essential of two", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions = append(td.ContainerDefinitions, sidecar("log"))
		}},
		{name: "ec2 container without memory", base: ec2TD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Memory = 0 },
			wantMsg: "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."},
		{name: "ec2 container with memory reservation only", base: ec2TD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].Memory, td.ContainerDefinitions[0].MemoryReservation = 0, 64
		}},
		{name: "memory reservation above memory", base: ec2TD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].MemoryReservation = 256 },
			wantSub: "'memory' must be greater than or equal to 'memoryReservation'"},
		{name: "memory reservation equal to memory", base: ec2TD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].MemoryReservation = 128 }},
		{name: "container memory above task memory", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].Memory = 1024 },
			wantMsg: "The 'memory' setting for container 'web' is greater than for the task."},
		{name: "container cpu sum above task cpu", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].CPU = 200
			c := sidecar("log")
			c.CPU = 100
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
		}, wantMsg: "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."},
		{name: "container cpu sum equal to task cpu", base: fargateTD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].CPU = 256 }},
		{name: "memory reservation sum above task memory", base: fargateTD, mutate: func(td *TaskDefinition) {
			td.ContainerDefinitions[0].MemoryReservation = 400
			c := sidecar("log")
			c.MemoryReservation = 200
			td.ContainerDefinitions = append(td.ContainerDefinitions, c)
		}, wantMsg: "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."},
		{name: "negative cpu", base: ec2TD, mutate: func(td *TaskDefinition) { td.ContainerDefinitions[0].CPU = -1 }, wantSub: "must not be negative"},
	})
}

func TestNormalizeTaskDefinitionDoesNotModifyInput(t *testing.T) {
	t.Parallel()
	td := fargateTD()
	td.ContainerDefinitions[0].HealthCheck = HealthCheck{Command: []string{"CMD-SHELL", "true"}}
	before := fargateTD()
	before.ContainerDefinitions[0].HealthCheck = HealthCheck{Command: []string{"CMD-SHELL", "true"}}
	if _, err := NormalizeTaskDefinition(td); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, td); diff != "" {
		t.Errorf("input changed (-before +after):\n%s", diff)
	}
}

func TestNormalizeTaskDefinitionRequiresAttributes(t *testing.T) {
	t.Parallel()
	td := fargateTD()
	td.TaskRoleARN = "arn:aws:iam::000000000000:role/app"
	c := &td.ContainerDefinitions[0]
	c.Image = "000000000000.dkr.ecr.us-east-1.amazonaws.com/web:1"
	c.LogConfiguration = LogConfiguration{LogDriver: LogDriverAwslogs, Options: map[string]string{"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}}
	c.HealthCheck = HealthCheck{Command: []string{"CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"}}
	c.Secrets = []Secret{{Name: "DB", ValueFrom: "arn:aws:secretsmanager:us-east-1:000000000000:secret:db"}}
	got, err := NormalizeTaskDefinition(td)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range got.RequiresAttributes {
		names = append(names, a.Name)
	}
	want := []string{
		"com.amazonaws.ecs.capability.docker-remote-api.1.18",
		"com.amazonaws.ecs.capability.docker-remote-api.1.19",
		"com.amazonaws.ecs.capability.ecr-auth",
		"com.amazonaws.ecs.capability.logging-driver.awslogs",
		"com.amazonaws.ecs.capability.task-iam-role",
		"ecs.capability.container-health-check",
		"ecs.capability.execution-role-awslogs",
		"ecs.capability.execution-role-ecr-pull",
		"ecs.capability.secrets.asm.environment-variables",
		"ecs.capability.task-eni",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("requiresAttributes (-want +got):\n%s", diff)
	}
}
