package ecs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// portNamePattern is what ECS allows in port mapping names: up to 64 lowercase letters,
// numbers, underscores and hyphens, not starting with a hyphen.
var portNamePattern = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)

// containerCheck checks, and where ECS has a default completes, one container of td. path names
// the container as AWS's validation messages do.
type containerCheck func(td *TaskDefinition, c *ContainerDefinition, path string) error

// checkContainers runs the per-container checks on every container, then the checks across
// containers' port mappings.
func checkContainers(td *TaskDefinition) error {
	checks := []containerCheck{
		checkContainerEnums,
		checkPortMappings,
		checkHealthCheck,
		checkContainerNetworking,
		checkContainerValues,
		checkLogConfiguration,
		checkLinuxParameters,
	}
	for i := range td.ContainerDefinitions {
		c := &td.ContainerDefinitions[i]
		path := fmt.Sprintf("containerDefinitions.%d.member", i+1)
		for _, check := range checks {
			if err := check(td, c, path); err != nil {
				return err
			}
		}
	}
	return checkPortConflicts(td)
}

func checkContainerEnums(_ *TaskDefinition, c *ContainerDefinition, path string) error {
	errs := []error{
		checkEnum(path+".versionConsistency", c.VersionConsistency),
		checkEnum(path+".logConfiguration.logDriver", c.LogConfiguration.LogDriver),
		checkEnum(path+".firelensConfiguration.type", c.FirelensConfiguration.Type),
	}
	for j, pm := range c.PortMappings {
		p := fmt.Sprintf("%s.portMappings.%d.member", path, j+1)
		errs = append(errs, checkEnum(p+".protocol", pm.Protocol), checkEnum(p+".appProtocol", pm.AppProtocol))
	}
	for j, f := range c.EnvironmentFiles {
		errs = append(errs, checkEnum(fmt.Sprintf("%s.environmentFiles.%d.member.type", path, j+1), f.Type))
	}
	for j, d := range c.DependsOn {
		errs = append(errs, checkEnum(fmt.Sprintf("%s.dependsOn.%d.member.condition", path, j+1), d.Condition))
	}
	for j, u := range c.Ulimits {
		errs = append(errs, checkEnum(fmt.Sprintf("%s.ulimits.%d.member.name", path, j+1), u.Name))
	}
	for j, r := range c.ResourceRequirements {
		errs = append(errs, checkEnum(fmt.Sprintf("%s.resourceRequirements.%d.member.type", path, j+1), r.Type))
	}
	for j, d := range c.LinuxParameters.Devices {
		for k, perm := range d.Permissions {
			errs = append(errs, checkEnum(fmt.Sprintf("%s.linuxParameters.devices.%d.member.permissions.%d.member", path, j+1, k+1), perm))
		}
	}
	return firstError(errs...)
}

// checkPortMappings checks each mapping against the network mode and fills in what ECS reports:
// protocol tcp, and in awsvpc and host mode a host port equal to the container port.
func checkPortMappings(td *TaskDefinition, c *ContainerDefinition, _ string) error {
	mode := td.EffectiveNetworkMode()
	if mode == NetworkModeNone && len(c.PortMappings) > 0 {
		return errdefs.InvalidArgument("Port mappings are not supported when networkMode=none (container '%s').", c.Name)
	}
	for j := range c.PortMappings {
		pm := &c.PortMappings[j]
		if pm.Protocol == "" {
			pm.Protocol = TransportProtocolTCP
		}
		if pm.Name != "" && !portNamePattern.MatchString(pm.Name) {
			return errdefs.InvalidArgument("Invalid port mapping name '%s' in container '%s': use up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.", pm.Name, c.Name)
		}
		if pm.ContainerPortRange != "" {
			if err := checkPortRange(mode, c.Name, *pm); err != nil {
				return err
			}
			continue
		}
		if pm.ContainerPort < 1 || pm.ContainerPort > 65535 {
			return errdefs.InvalidArgument("Invalid port mapping in container '%s': containerPort must be between 1 and 65535.", c.Name)
		}
		if pm.HostPort < 0 || pm.HostPort > 65535 {
			return errdefs.InvalidArgument("Invalid port mapping in container '%s': hostPort must be between 0 and 65535.", c.Name)
		}
		if mode == NetworkModeAwsvpc || mode == NetworkModeHost {
			if pm.HostPort != 0 && pm.HostPort != pm.ContainerPort {
				return errdefs.InvalidArgument("When networkMode=%s, the host ports and container ports in port mappings must match.", mode)
			}
			pm.HostPort = pm.ContainerPort
		}
	}
	return nil
}

func checkPortRange(mode NetworkMode, container string, pm PortMapping) error {
	if pm.ContainerPort != 0 || pm.HostPort != 0 {
		return errdefs.InvalidArgument("Invalid port mapping in container '%s': a containerPortRange can't be combined with containerPort or hostPort.", container)
	}
	if mode != NetworkModeBridge && mode != NetworkModeAwsvpc {
		return errdefs.InvalidArgument("Invalid port mapping in container '%s': containerPortRange requires networkMode bridge or awsvpc.", container)
	}
	if _, _, ok := parsePortRange(pm.ContainerPortRange); !ok {
		return errdefs.InvalidArgument("Invalid containerPortRange '%s' in container '%s': use first-last with 1 <= first < last <= 65535.", pm.ContainerPortRange, container)
	}
	return nil
}

// parsePortRange reads "first-last".
func parsePortRange(s string) (first, last int, ok bool) {
	a, b, found := strings.Cut(s, "-")
	first, errA := strconv.Atoi(a)
	last, errB := strconv.Atoi(b)
	if !found || errA != nil || errB != nil || first < 1 || last > 65535 || first >= last {
		return 0, 0, false
	}
	return first, last, true
}

// checkPortConflicts rejects a port mapped twice where the mappings would collide: anywhere in
// the task in awsvpc and host mode, where all containers share one network namespace, and within
// one container in bridge mode. Port mapping names are unique in the task, since services refer
// to them by name alone.
func checkPortConflicts(td *TaskDefinition) error {
	shared := td.EffectiveNetworkMode() != NetworkModeBridge
	names := map[string]bool{}
	used := map[string]bool{}
	for _, c := range td.ContainerDefinitions {
		if !shared {
			used = map[string]bool{}
		}
		for _, pm := range c.PortMappings {
			if pm.Name != "" {
				if names[pm.Name] {
					return errdefs.InvalidArgument("Port mapping names must be unique within a task definition: '%s' is used more than once.", pm.Name)
				}
				names[pm.Name] = true
			}
			if pm.ContainerPort == 0 {
				continue
			}
			key := strconv.Itoa(pm.ContainerPort) + "/" + string(pm.Protocol)
			if used[key] {
				return errdefs.InvalidArgument("Container port %s is mapped more than once (container '%s').", key, c.Name)
			}
			used[key] = true
		}
	}
	return nil
}

// checkHealthCheck checks a given health check and fills in ECS's defaults. A zero interval,
// timeout or retries means "not given", since zero is outside their ranges.
func checkHealthCheck(_ *TaskDefinition, c *ContainerDefinition, _ string) error {
	hc := &c.HealthCheck
	if isZero(*hc) {
		return nil
	}
	if len(hc.Command) == 0 {
		return errdefs.InvalidArgument("Invalid health check for container '%s': command is required.", c.Name)
	}
	switch hc.Command[0] {
	case "CMD", "CMD-SHELL", "NONE":
	default:
		return errdefs.InvalidArgument("Invalid health check for container '%s': the command must start with CMD, CMD-SHELL or NONE.", c.Name)
	}
	if hc.Interval == 0 {
		hc.Interval = DefaultHealthCheckInterval
	}
	if hc.Timeout == 0 {
		hc.Timeout = DefaultHealthCheckTimeout
	}
	if hc.Retries == 0 {
		hc.Retries = DefaultHealthCheckRetries
	}
	for _, r := range []struct {
		name          string
		value, lo, hi int
	}{
		{"interval", hc.Interval, 5, 300},
		{"timeout", hc.Timeout, 2, 60},
		{"retries", hc.Retries, 1, 10},
		{"startPeriod", hc.StartPeriod, 0, 300},
	} {
		if r.value < r.lo || r.value > r.hi {
			return errdefs.InvalidArgument("Invalid health check for container '%s': %s must be between %d and %d.", c.Name, r.name, r.lo, r.hi)
		}
	}
	return nil
}

// checkContainerNetworking checks the members that depend on the network mode.
func checkContainerNetworking(td *TaskDefinition, c *ContainerDefinition, _ string) error {
	mode := td.EffectiveNetworkMode()
	if mode == NetworkModeAwsvpc && c.Hostname != "" {
		return errdefs.InvalidArgument("hostname is not supported on container when networkMode=awsvpc.")
	}
	if mode == NetworkModeAwsvpc && len(c.ExtraHosts) > 0 {
		return errdefs.InvalidArgument("extraHosts is not supported on container when networkMode=awsvpc.")
	}
	for _, h := range c.ExtraHosts {
		if h.Hostname == "" || h.IPAddress == "" {
			return errdefs.InvalidArgument("Invalid extraHosts entry in container '%s': hostname and ipAddress are required.", c.Name)
		}
	}
	if len(c.Links) > 0 && mode != NetworkModeBridge {
		return errdefs.InvalidArgument("links are not supported on container when networkMode=%s.", mode)
	}
	for _, link := range c.Links {
		target, _, _ := strings.Cut(link, ":")
		if _, ok := td.Container(target); !ok || target == c.Name {
			return errdefs.InvalidArgument("Invalid link '%s' in container '%s': it must name another container of the task definition.", link, c.Name)
		}
	}
	return nil
}

// checkContainerValues checks the container's lists of name/value members and its limits.
func checkContainerValues(td *TaskDefinition, c *ContainerDefinition, _ string) error {
	for _, kv := range c.Environment {
		if kv.Name == "" {
			return errdefs.InvalidArgument("Invalid environment variable in container '%s': the name must not be empty.", c.Name)
		}
	}
	if len(c.EnvironmentFiles) > 10 {
		return errdefs.InvalidArgument("Container '%s' has more than 10 environment files.", c.Name)
	}
	for _, f := range c.EnvironmentFiles {
		if f.Value == "" || f.Type == "" {
			return errdefs.InvalidArgument("Invalid environment file in container '%s': value and type are required.", c.Name)
		}
	}
	if err := checkSecrets(c.Name, "secrets", c.Secrets); err != nil {
		return err
	}
	for _, u := range c.Ulimits {
		if u.SoftLimit < 0 || u.HardLimit < 0 || u.SoftLimit > u.HardLimit {
			return errdefs.InvalidArgument("Invalid ulimit %s in container '%s': softLimit must be between 0 and hardLimit.", u.Name, c.Name)
		}
	}
	for _, r := range c.ResourceRequirements {
		if err := checkResourceRequirement(td, c.Name, r); err != nil {
			return err
		}
	}
	if len(c.CredentialSpecs) > 1 {
		return errdefs.InvalidArgument("Container '%s' can have at most one credentialSpecs entry.", c.Name)
	}
	if c.StartTimeout < 0 || c.StopTimeout < 0 {
		return errdefs.InvalidArgument("Invalid setting for container '%s'. 'startTimeout' and 'stopTimeout' must not be negative.", c.Name)
	}
	return checkRestartPolicy(c)
}

func checkSecrets(container, member string, secrets []Secret) error {
	for _, s := range secrets {
		if s.Name == "" || s.ValueFrom == "" {
			return errdefs.InvalidArgument("Invalid %s entry in container '%s': name and valueFrom are required.", member, container)
		}
	}
	return nil
}

func checkResourceRequirement(td *TaskDefinition, container string, r ResourceRequirement) error {
	switch r.Type {
	case ResourceTypeGPU:
		if n, err := strconv.Atoi(r.Value); err != nil || n < 1 {
			return errdefs.InvalidArgument("Invalid GPU resource requirement in container '%s': the value must be a positive number of GPUs.", container)
		}
	case ResourceTypeInferenceAccelerator:
		for _, a := range td.InferenceAccelerators {
			if a.DeviceName == r.Value {
				return nil
			}
		}
		return errdefs.InvalidArgument("Invalid InferenceAccelerator resource requirement in container '%s': '%s' is not a deviceName of the task's inference accelerators.", container, r.Value)
	default:
		return errdefs.InvalidArgument("Invalid resource requirement in container '%s': type is required.", container)
	}
	return nil
}

func checkRestartPolicy(c *ContainerDefinition) error {
	p := c.RestartPolicy
	if len(p.IgnoredExitCodes) > 50 {
		return errdefs.InvalidArgument("Invalid restart policy for container '%s': at most 50 ignoredExitCodes are allowed.", c.Name)
	}
	if p.RestartAttemptPeriod != 0 && (p.RestartAttemptPeriod < 60 || p.RestartAttemptPeriod > 1800) {
		return errdefs.InvalidArgument("Invalid restart policy for container '%s': restartAttemptPeriod must be between 60 and 1800 seconds.", c.Name)
	}
	return nil
}

func checkLogConfiguration(td *TaskDefinition, c *ContainerDefinition, _ string) error {
	lc := c.LogConfiguration
	if isZero(lc) {
		return nil
	}
	if lc.LogDriver == "" {
		return errdefs.InvalidArgument("Invalid log configuration for container '%s': logDriver is required.", c.Name)
	}
	if lc.LogDriver == LogDriverAwslogs {
		var missing []string
		for _, opt := range []string{"awslogs-region", "awslogs-group"} {
			if lc.Options[opt] == "" {
				missing = append(missing, opt)
			}
		}
		if len(missing) > 0 {
			return errdefs.InvalidArgument("Log driver awslogs requires options: %s", strings.Join(missing, ", "))
		}
	}
	if lc.LogDriver == LogDriverAwsfirelens && !hasFirelensRouter(td) {
		return errdefs.InvalidArgument("Container '%s' uses the awsfirelens log driver, but no container of the task definition has a firelensConfiguration.", c.Name)
	}
	return checkSecrets(c.Name, "logConfiguration.secretOptions", lc.SecretOptions)
}

func hasFirelensRouter(td *TaskDefinition) bool {
	for _, c := range td.ContainerDefinitions {
		if c.FirelensConfiguration.Type != "" {
			return true
		}
	}
	return false
}

func checkLinuxParameters(_ *TaskDefinition, c *ContainerDefinition, _ string) error {
	lp := c.LinuxParameters
	for _, d := range lp.Devices {
		if d.HostPath == "" {
			return errdefs.InvalidArgument("Invalid device in container '%s': hostPath is required.", c.Name)
		}
	}
	for _, t := range lp.Tmpfs {
		if t.ContainerPath == "" || t.Size <= 0 {
			return errdefs.InvalidArgument("Invalid tmpfs mount in container '%s': containerPath and a positive size are required.", c.Name)
		}
	}
	switch {
	case lp.Swappiness < 0 || lp.Swappiness > 100:
		return errdefs.InvalidArgument("Invalid linuxParameters in container '%s': swappiness must be between 0 and 100.", c.Name)
	case lp.MaxSwap < 0 || lp.SharedMemorySize < 0:
		return errdefs.InvalidArgument("Invalid linuxParameters in container '%s': maxSwap and sharedMemorySize must not be negative.", c.Name)
	}
	return nil
}
