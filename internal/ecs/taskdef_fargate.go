package ecs

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The range of task-level CPU units ECS supports outside Fargate.
const (
	minTaskCPU = 128
	maxTaskCPU = 196608
)

// Fargate's limits on container start and stop timeouts, in seconds.
const (
	minFargateTimeout = 2
	maxFargateTimeout = 120
)

var sizeNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// parseCPU converts a task-level cpu as ECS accepts it, CPU units ("1024") or vCPUs ("1 vCPU",
// "0.25 vcpu"), to CPU units.
func parseCPU(s string) (int, bool) { return parseSize(s, "vcpu") }

// parseMemory converts a task-level memory as ECS accepts it, MiB ("1024") or GB ("1 GB",
// "0.5GB"), to MiB.
func parseMemory(s string) (int, bool) { return parseSize(s, "gb") }

// parseSize reads s as a positive integer, or as a number followed by unit (case-insensitive,
// space optional) that stands for 1024 of the base unit.
func parseSize(s, unit string) (int, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(t); err == nil {
		return n, n > 0
	}
	num, ok := strings.CutSuffix(t, unit)
	num = strings.TrimSpace(num)
	if !ok || !sizeNumber.MatchString(num) {
		return 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	v := f * 1024
	if v <= 0 || v != math.Trunc(v) || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// validFargateSize reports whether Fargate offers a task of cpu units and memory MiB.
func validFargateSize(cpu, memory int) bool {
	steps := func(lo, hi, step int) bool { return memory >= lo && memory <= hi && (memory-lo)%step == 0 }
	switch cpu {
	case 256:
		return memory == 512 || memory == 1024 || memory == 2048
	case 512:
		return steps(1024, 4096, 1024)
	case 1024:
		return steps(2048, 8192, 1024)
	case 2048:
		return steps(4096, 16384, 1024)
	case 4096:
		return steps(8192, 30720, 1024)
	case 8192:
		return steps(16384, 61440, 4096)
	case 16384:
		return steps(32768, 122880, 8192)
	}
	return false
}

// checkLaunchTypes checks td against the launch types the client required.
func checkLaunchTypes(td *TaskDefinition) error {
	if td.RequiresCompatibility(CompatibilityFargate) {
		if err := fargateProblem(*td); err != nil {
			return err
		}
	}
	if td.RequiresCompatibility(CompatibilityExternal) && td.NetworkMode == NetworkModeAwsvpc {
		return errdefs.InvalidArgument("Tasks using the EXTERNAL launch type do not support networkMode awsvpc.")
	}
	return nil
}

// compatibilities returns the launch types td is valid for, in the order ECS reports them: EC2
// always; EXTERNAL unless the task uses awsvpc, which ECS Anywhere does not support; FARGATE when
// the definition passes Fargate's checks; MANAGED_INSTANCES when it was asked for.
func compatibilities(td TaskDefinition) []Compatibility {
	var out []Compatibility
	if td.NetworkMode != NetworkModeAwsvpc {
		out = append(out, CompatibilityExternal)
	}
	out = append(out, CompatibilityEC2)
	if td.RequiresCompatibility(CompatibilityManagedInstances) {
		out = append(out, CompatibilityManagedInstances)
	}
	if fargateProblem(td) == nil {
		out = append(out, CompatibilityFargate)
	}
	return out
}

// fargateProblem returns why td cannot run on Fargate, or nil. td's cpu and memory are
// normalized already.
func fargateProblem(td TaskDefinition) error {
	if td.NetworkMode != NetworkModeAwsvpc {
		return errdefs.InvalidArgument("Fargate only supports network mode ‘awsvpc’.")
	}
	if td.CPU == "" {
		return errdefs.InvalidArgument("Fargate requires that 'cpu' be defined at the task level.")
	}
	if td.Memory == "" {
		return errdefs.InvalidArgument("Fargate requires that 'memory' be defined at the task level.")
	}
	cpu, _ := strconv.Atoi(td.CPU)
	memory, _ := strconv.Atoi(td.Memory)
	windows := td.RuntimePlatform.OperatingSystemFamily.IsWindows()
	if !validFargateSize(cpu, memory) || (windows && cpu < 1024) {
		return errdefs.InvalidArgument("No Fargate configuration exists for given values: %s CPU, %s memory. See the Amazon ECS documentation for the valid values.", td.CPU, td.Memory)
	}
	if err := fargateTaskOptionsProblem(td); err != nil {
		return err
	}
	for _, c := range td.ContainerDefinitions {
		if err := fargateContainerProblem(td, c); err != nil {
			return err
		}
	}
	return nil
}

func fargateTaskOptionsProblem(td TaskDefinition) error {
	switch {
	case td.IpcMode != "":
		return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support ipcMode.")
	case td.PidMode == PidModeHost:
		return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support pidMode 'host'.")
	case len(td.PlacementConstraints) > 0:
		return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support placement constraints.")
	case len(td.InferenceAccelerators) > 0:
		return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support inference accelerators.")
	}
	for _, v := range td.Volumes {
		if v.Host.SourcePath != "" {
			return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support host volumes with a sourcePath (volume '%s').", v.Name)
		}
		if !isZero(v.DockerVolumeConfiguration) {
			return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support Docker volumes (volume '%s').", v.Name)
		}
	}
	return nil
}

func fargateContainerProblem(td TaskDefinition, c ContainerDefinition) error {
	unsupported := func(what string) error {
		return errdefs.InvalidArgument("Tasks using the Fargate launch type do not support %s (container '%s').", what, c.Name)
	}
	lp := c.LinuxParameters
	switch {
	case c.Privileged:
		return unsupported("privileged containers")
	case len(c.DockerSecurityOptions) > 0:
		return unsupported("dockerSecurityOptions")
	case len(lp.Devices) > 0:
		return unsupported("linuxParameters.devices")
	case len(lp.Tmpfs) > 0:
		return unsupported("linuxParameters.tmpfs")
	case lp.SharedMemorySize != 0:
		return unsupported("linuxParameters.sharedMemorySize")
	case lp.MaxSwap != 0 || lp.Swappiness != 0:
		return unsupported("linuxParameters.maxSwap and swappiness")
	}
	for _, capability := range lp.Capabilities.Add {
		if capability != "SYS_PTRACE" {
			return unsupported("adding the kernel capability " + capability + " (only SYS_PTRACE)")
		}
	}
	for _, r := range c.ResourceRequirements {
		if r.Type == ResourceTypeGPU {
			return unsupported("GPU resource requirements")
		}
	}
	for _, t := range []struct {
		name  string
		value int
	}{{"startTimeout", c.StartTimeout}, {"stopTimeout", c.StopTimeout}} {
		if t.value != 0 && (t.value < minFargateTimeout || t.value > maxFargateTimeout) {
			return errdefs.InvalidArgument("Invalid '%s' setting for container '%s': tasks using the Fargate launch type accept %d to %d seconds.", t.name, c.Name, minFargateTimeout, maxFargateTimeout)
		}
	}
	if d := c.LogConfiguration.LogDriver; d != "" {
		if d != LogDriverAwslogs && d != LogDriverSplunk && d != LogDriverAwsfirelens {
			return unsupported("the log driver " + string(d) + " (only awslogs, splunk and awsfirelens)")
		}
		if d == LogDriverAwslogs && td.ExecutionRoleARN == "" {
			return errdefs.InvalidArgument("Fargate requires task definition to have execution role ARN to support log driver awslogs.")
		}
	}
	return nil
}
