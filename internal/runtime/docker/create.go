package docker

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Network modes of runtime.ContainerSpec.
const (
	modeAwsvpc = "awsvpc"
	modeBridge = "bridge"
	modeHost   = "host"
	modeNone   = "none"
)

// Log rotation of every container: what the process driver keeps, too.
const (
	logMaxSize  = "10m"
	logMaxFiles = "3"
)

// netPlan is where a new container goes: its engine network mode and, for the first container
// of an awsvpc task, that it owns the task's network namespace.
type netPlan struct {
	mode  string // the spec's network mode, defaulted
	nsArg string // the engine's NetworkMode: a network, "container:<id>", "bridge", "host", "none"
	owner bool
}

// createOptions maps a container spec to the engine's create request, as ECS maps a
// container definition: entryPoint and command replace the image's, the environment files
// come before the environment, cpu is the CPU shares, memory the hard and memoryReservation
// the soft limit, and so on.
func createOptions(spec runtime.ContainerSpec, fromFiles []runtime.EnvVar, net netPlan, scope, bindIP string) (client.ContainerCreateOptions, error) {
	ports, exposed, bindings, err := portPlan(spec.PortMappings, net.mode, bindIP)
	if err != nil {
		return client.ContainerCreateOptions{}, err
	}
	labels, err := containerLabels(spec, ports, net, scope)
	if err != nil {
		return client.ContainerCreateOptions{}, err
	}
	cfg := &container.Config{
		Image:        spec.Image,
		Entrypoint:   spec.EntryPoint,
		Cmd:          spec.Command,
		Env:          environment(spec, fromFiles),
		WorkingDir:   spec.WorkingDirectory,
		User:         spec.User,
		Labels:       labels,
		ExposedPorts: exposed,
	}
	if spec.StopTimeout > 0 {
		secs := int((spec.StopTimeout + 999_999_999) / 1_000_000_000) // whole seconds, rounded up
		cfg.StopTimeout = &secs
	}
	host := &container.HostConfig{
		NetworkMode:    container.NetworkMode(net.nsArg),
		PortBindings:   bindings,
		ReadonlyRootfs: spec.ReadonlyRootFilesystem,
		LogConfig: container.LogConfig{Type: "json-file", Config: map[string]string{
			"max-size": logMaxSize, "max-file": logMaxFiles,
		}},
	}
	if spec.InitProcessEnabled {
		yes := true
		host.Init = &yes
	}
	if spec.CPU > 0 {
		host.CPUShares = int64(max(spec.CPU, 2)) // the kernel's minimum, as the ECS agent does
	}
	host.Memory = int64(spec.Memory) << 20
	host.MemoryReservation = int64(spec.MemoryReservation) << 20
	for _, u := range spec.Ulimits {
		host.Ulimits = append(host.Ulimits, &container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	return client.ContainerCreateOptions{Config: cfg, HostConfig: host}, nil
}

// portPlan returns the port mappings to record (host ports as they will be where the mode
// fixes them), and what to expose and publish.
func portPlan(mappings []runtime.PortMapping, mode, bindIP string) ([]runtime.PortMapping, network.PortSet, network.PortMap, error) {
	var ports []runtime.PortMapping
	exposed, bindings := network.PortSet{}, network.PortMap{}
	ip, err := netip.ParseAddr(bindIP)
	if err != nil {
		return nil, nil, nil, errdefs.InvalidArgument("bind ip %q: %v", bindIP, err)
	}
	for _, m := range mappings {
		proto := protocol(m)
		port, ok := network.PortFrom(uint16(m.ContainerPort), network.IPProtocol(proto))
		if !ok || m.ContainerPort <= 0 || m.ContainerPort > 65535 {
			return nil, nil, nil, errdefs.InvalidArgument("container port %d/%s", m.ContainerPort, proto)
		}
		m.Protocol = proto
		exposed[port] = struct{}{}
		switch mode {
		case modeBridge:
			hostPort := ""
			if m.HostPort > 0 {
				hostPort = strconv.Itoa(m.HostPort)
			}
			bindings[port] = []network.PortBinding{{HostIP: ip, HostPort: hostPort}}
		case modeNone:
			m.HostPort = 0
		default: // awsvpc and host: the container port is reachable as it is
			m.HostPort = m.ContainerPort
		}
		ports = append(ports, m)
	}
	if len(bindings) == 0 {
		bindings = nil
	}
	return ports, exposed, bindings, nil
}

// containerLabels are the task definition's dockerLabels, then the spec's labels, then the
// driver's own, which win.
func containerLabels(spec runtime.ContainerSpec, ports []runtime.PortMapping, net netPlan, scope string) (map[string]string, error) {
	labels := map[string]string{}
	for k, v := range spec.DockerLabels {
		labels[k] = v
	}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	specLabels, err := json.Marshal(spec.Labels)
	if err != nil {
		return nil, err
	}
	portsJSON, err := json.Marshal(ports)
	if err != nil {
		return nil, err
	}
	labels[labelScope] = scope
	labels[labelID] = spec.ID
	labels[labelTaskID] = spec.TaskID
	labels[labelName] = spec.Name
	labels[labelSpecLabels] = string(specLabels)
	labels[labelPorts] = string(portsJSON)
	labels[labelNetworkMode] = net.mode
	if net.owner {
		labels[labelNetnsOwner] = "true"
	}
	return labels, nil
}

// environment is PORT and FARGO_PORT_<containerPort> (the container ports, so that programs
// written for the process driver listen where the task definition says), then the environment
// files, then the spec's variables; later entries win.
func environment(spec runtime.ContainerSpec, fromFiles []runtime.EnvVar) []string {
	var vars []runtime.EnvVar
	for i, p := range spec.PortMappings {
		port := strconv.Itoa(p.ContainerPort)
		if i == 0 {
			vars = append(vars, runtime.EnvVar{Name: "PORT", Value: port})
		}
		vars = append(vars, runtime.EnvVar{Name: "FARGO_PORT_" + port, Value: port})
	}
	vars = append(append(vars, fromFiles...), spec.Environment...)
	index := map[string]int{}
	var env []string
	for _, v := range vars {
		kv := v.Name + "=" + v.Value
		if i, ok := index[v.Name]; ok {
			env[i] = kv
			continue
		}
		index[v.Name] = len(env)
		env = append(env, kv)
	}
	return env
}

// normalMode is the spec's network mode, awsvpc when empty.
func normalMode(mode string) (string, error) {
	switch m := strings.ToLower(mode); m {
	case "":
		return modeAwsvpc, nil
	case modeAwsvpc, modeBridge, modeHost, modeNone:
		return m, nil
	}
	return "", errdefs.InvalidArgument("network mode %q: want awsvpc, bridge, host or none", mode)
}
