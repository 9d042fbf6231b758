package agent

import (
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Labels the agent puts on every container, to find its task again after a restart.
const (
	labelTaskKey   = "fargo.task-key"
	labelTaskARN   = "fargo.task-arn"
	labelCluster   = "fargo.cluster"
	labelContainer = "fargo.container-name"
)

// defaultStopTimeout is ECS's grace between SIGTERM and SIGKILL when the task definition sets
// none.
const defaultStopTimeout = 30

func containerID(t ecs.Task, name string) string { return t.ID + "-" + name }

// driverChooser is a driver that routes containers to other drivers (router.Driver): the
// agent asks it once per task, so that all containers of a task run on one driver.
type driverChooser interface {
	ChooseDriver(specs []runtime.ContainerSpec) (string, error)
}

// containerSpec builds the driver's spec for container c of task t: the task definition's
// settings with the task's overrides applied, and the variables ECS gives every container.
func (a *Agent) containerSpec(t ecs.Task, td ecs.TaskDefinition, taskKey string, c ecs.ContainerDefinition) runtime.ContainerSpec {
	id := containerID(t, c.Name)
	spec := runtime.ContainerSpec{
		ID:                     id,
		TaskID:                 t.ID,
		Name:                   c.Name,
		Image:                  c.Image,
		EntryPoint:             c.EntryPoint,
		Command:                c.Command,
		WorkingDirectory:       c.WorkingDirectory,
		User:                   c.User,
		CPU:                    c.CPU,
		Memory:                 c.Memory,
		MemoryReservation:      c.MemoryReservation,
		NetworkMode:            string(td.EffectiveNetworkMode()),
		StopTimeout:            time.Duration(stopTimeoutOf(c)) * time.Second,
		ReadonlyRootFilesystem: c.ReadonlyRootFilesystem,
		InitProcessEnabled:     c.LinuxParameters.InitProcessEnabled,
		DockerLabels:           c.DockerLabels,
		Labels: map[string]string{
			labelTaskKey: taskKey, labelTaskARN: t.ARN, labelCluster: t.ClusterName, labelContainer: c.Name,
		},
	}
	for _, u := range c.Ulimits {
		spec.Ulimits = append(spec.Ulimits, runtime.Ulimit{Name: string(u.Name), Soft: int64(u.SoftLimit), Hard: int64(u.HardLimit)})
	}
	for _, kv := range c.Environment {
		spec.Environment = append(spec.Environment, runtime.EnvVar{Name: kv.Name, Value: kv.Value})
	}
	for _, f := range c.EnvironmentFiles {
		spec.EnvironmentFiles = append(spec.EnvironmentFiles, f.Value)
	}
	bridge := td.EffectiveNetworkMode() == ecs.NetworkModeBridge
	for _, p := range c.PortMappings {
		pm := runtime.PortMapping{ContainerPort: p.ContainerPort, Protocol: string(p.Protocol)}
		if bridge {
			pm.HostPort = p.HostPort // 0: a dynamic port; awsvpc and host map the container port
		}
		spec.PortMappings = append(spec.PortMappings, pm)
	}
	applyOverride(&spec, t.Overrides, c.Name)
	meta := "http://" + a.meta.Addr().String()
	spec.Environment = append(spec.Environment,
		runtime.EnvVar{Name: "ECS_CONTAINER_METADATA_URI_V4", Value: meta + "/v4/" + id},
		runtime.EnvVar{Name: "ECS_CONTAINER_METADATA_URI", Value: meta + "/v3/" + id},
		runtime.EnvVar{Name: "AWS_EXECUTION_ENV", Value: "AWS_ECS_FARGATE"},
	)
	if a.cfg.Region != "" {
		spec.Environment = append(spec.Environment,
			runtime.EnvVar{Name: "AWS_REGION", Value: a.cfg.Region},
			runtime.EnvVar{Name: "AWS_DEFAULT_REGION", Value: a.cfg.Region})
	}
	return spec
}

func applyOverride(spec *runtime.ContainerSpec, o ecs.TaskOverride, name string) {
	for _, co := range o.ContainerOverrides {
		if co.Name != name {
			continue
		}
		if len(co.Command) > 0 {
			spec.Command = co.Command
		}
		for _, kv := range co.Environment {
			spec.Environment = append(spec.Environment, runtime.EnvVar{Name: kv.Name, Value: kv.Value})
		}
		for _, f := range co.EnvironmentFiles {
			spec.EnvironmentFiles = append(spec.EnvironmentFiles, f.Value)
		}
		if co.CPU > 0 {
			spec.CPU = co.CPU
		}
		if co.Memory > 0 {
			spec.Memory = co.Memory
		}
		if co.MemoryReservation > 0 {
			spec.MemoryReservation = co.MemoryReservation
		}
	}
}

func stopTimeoutOf(c ecs.ContainerDefinition) int {
	if c.StopTimeout > 0 {
		return c.StopTimeout
	}
	return defaultStopTimeout
}

func bindings(st runtime.Status) []ecs.NetworkBinding {
	out := make([]ecs.NetworkBinding, 0, len(st.Ports))
	for _, p := range st.Ports {
		proto := ecs.TransportProtocol(p.Protocol)
		if proto == "" {
			proto = "tcp"
		}
		out = append(out, ecs.NetworkBinding{BindIP: st.HostIP, ContainerPort: p.ContainerPort, HostPort: p.HostPort, Protocol: proto})
	}
	return out
}
