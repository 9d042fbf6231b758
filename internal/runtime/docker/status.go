package docker

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/runtime"
)

// engineContainer is a container as the engine describes it.
type engineContainer container.InspectResponse

// oomReason is ECS's reason for a container the kernel killed for its memory.
const oomReason = "OutOfMemoryError: Container killed due to memory usage"

// status turns the engine's view into the driver's.
func (d *Driver) status(ctx context.Context, c engineContainer) runtime.Status {
	labels := c.Config.Labels
	st := runtime.Status{
		ID: labels[labelID], TaskID: labels[labelTaskID], Name: labels[labelName],
		State: runtime.StateCreated, RuntimeID: c.ID, ImageDigest: labels[labelImageDigest],
	}
	_ = json.Unmarshal([]byte(labels[labelSpecLabels]), &st.Labels)
	started, finished := engineTime(c.State.StartedAt), engineTime(c.State.FinishedAt)
	switch c.State.Status {
	case container.StateRunning, container.StatePaused, container.StateRestarting:
		st.State, st.PID, st.StartedAt = runtime.StateRunning, c.State.Pid, started
		st.HostIP, st.Ports = d.addresses(ctx, c)
	case container.StateCreated:
		created := engineTime(c.Created)
		switch {
		case c.State.Error != "":
			st.State, st.ExitCode, st.Error, st.FinishedAt = runtime.StateExited, -1, c.State.Error, created
		case !created.IsZero() && time.Since(created) > d.cfg.StartGrace:
			st.State, st.ExitCode, st.FinishedAt = runtime.StateExited, -1, created
			st.Error = "the container was created but never started (fargo stopped while starting it)"
		}
	default: // exited, dead, being removed
		st.State, st.ExitCode, st.StartedAt, st.FinishedAt = runtime.StateExited, c.State.ExitCode, started, finished
		st.Error = c.State.Error
		if c.State.OOMKilled {
			st.Error = oomReason
		}
	}
	if st.State != runtime.StateRunning {
		st.Ports = specPorts(labels)
	}
	return st
}

// engineTime parses the engine's timestamps; "0001-01-01T00:00:00Z" is the zero time.
func engineTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Year() <= 1 {
		return time.Time{}
	}
	return t
}

// specPorts are the port mappings the container was created with (host ports as asked).
func specPorts(labels map[string]string) []runtime.PortMapping {
	var ports []runtime.PortMapping
	_ = json.Unmarshal([]byte(labels[labelPorts]), &ports)
	return ports
}

// addresses returns the address and host ports where a running container's ports are
// reachable from the host, as its network mode makes them.
func (d *Driver) addresses(ctx context.Context, c engineContainer) (string, []runtime.PortMapping) {
	ports := specPorts(c.Config.Labels)
	mode := string(c.HostConfig.NetworkMode)
	switch {
	case c.Config.Labels[labelNetworkMode] == "bridge":
		for i, p := range ports {
			ports[i].HostPort = publishedPort(c, p)
		}
		return d.cfg.BindIP, ports
	case c.Config.Labels[labelNetworkMode] == "host":
		return d.cfg.BindIP, ports
	case strings.HasPrefix(mode, "container:"):
		// A later container of an awsvpc task: the address is that of the task's first.
		res, err := d.engine.ContainerInspect(ctx, strings.TrimPrefix(mode, "container:"), client.ContainerInspectOptions{})
		if err != nil {
			return "", ports
		}
		return ownAddress(engineContainer(res.Container)), ports
	}
	return ownAddress(c), ports
}

// ownAddress is a container's IPv4 address on its (first) network.
func ownAddress(c engineContainer) string {
	if c.NetworkSettings == nil {
		return ""
	}
	for _, ep := range c.NetworkSettings.Networks {
		if ep != nil && ep.IPAddress.IsValid() {
			return ep.IPAddress.String()
		}
	}
	return ""
}

// publishedPort is the host port the engine bound for a bridge-mode container port.
func publishedPort(c engineContainer, p runtime.PortMapping) int {
	if c.NetworkSettings == nil {
		return 0
	}
	for port, bindings := range c.NetworkSettings.Ports {
		if int(port.Num()) != p.ContainerPort || string(port.Proto()) != protocol(p) {
			continue
		}
		for _, b := range bindings {
			if n := atoi(b.HostPort); n > 0 {
				return n
			}
		}
	}
	return 0
}

func protocol(p runtime.PortMapping) string {
	if p.Protocol == "" {
		return "tcp"
	}
	return strings.ToLower(p.Protocol)
}
