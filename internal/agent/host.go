package agent

import (
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
)

func hostCPU() int { return goruntime.NumCPU() * 1024 }

// hostMemoryMiB reads MemTotal from /proc/meminfo; 2048 when it cannot.
func hostMemoryMiB() int {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 2048
	}
	for line := range strings.Lines(string(data)) {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.Atoi(fields[1]); err == nil {
				return kb / 1024
			}
		}
	}
	return 2048
}

// cpuArchitecture names the host's architecture as ECS's ecs.cpu-architecture attribute does:
// x86_64 or arm64 (and Go's name for any other).
func cpuArchitecture() string {
	switch goruntime.GOARCH {
	case "amd64":
		return "x86_64"
	default:
		return goruntime.GOARCH
	}
}
