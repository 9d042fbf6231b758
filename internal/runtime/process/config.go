package process

import (
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Defaults of Config.
const (
	DefaultBindIP       = "127.0.0.1"
	DefaultLogMaxBytes  = 10 << 20
	DefaultLogMaxFiles  = 3
	DefaultCgroupRoot   = "/sys/fs/cgroup"
	DefaultCgroupParent = "fargo"
	DefaultStartTimeout = 30 * time.Second
	// ShimSubcommand is the hidden fargo command that runs ShimMain.
	ShimSubcommand = "runtime-shim"
)

// defaultPath is the PATH of containers whose spec and BaseEnv set none, as in Docker.
const defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// Config configures the process driver. Its zero value works once StateDir is set.
type Config struct {
	// StateDir holds the driver's files (an absolute path; required).
	StateDir string
	// ShimCommand runs the shim; the driver appends the container's directory. Default: this
	// executable with the hidden subcommand "runtime-shim".
	ShimCommand []string
	// ShimEnv is added to the environment the shim inherits from fargo.
	ShimEnv []string
	// BaseEnv is the environment every container starts from, before its environment files,
	// its spec's environment and its port variables. Default: a standard PATH.
	BaseEnv []string
	// BindIP is the address host ports are chosen on and reported with. Default 127.0.0.1.
	BindIP string
	// LogMaxBytes is the size at which a container's log file is rotated; LogMaxFiles is how
	// many files (the current one included) are kept. Defaults 10 MiB and 3.
	LogMaxBytes int64
	LogMaxFiles int
	// CgroupRoot is the cgroup v2 mount under which each container gets a cgroup in
	// CgroupParent. Default /sys/fs/cgroup and "fargo". When it is not a writable cgroup2
	// mount, the driver logs one warning and runs containers without limits.
	CgroupRoot   string
	CgroupParent string
	// DisableCgroups runs containers without cgroups (and without a warning).
	DisableCgroups bool
	// StartTimeout bounds how long Start waits for the shim to report. Default 30s.
	StartTimeout time.Duration
}

func (c Config) withDefaults() Config {
	if c.BindIP == "" {
		c.BindIP = DefaultBindIP
	}
	if c.LogMaxBytes == 0 {
		c.LogMaxBytes = DefaultLogMaxBytes
	}
	if c.LogMaxFiles == 0 {
		c.LogMaxFiles = DefaultLogMaxFiles
	}
	if c.CgroupRoot == "" {
		c.CgroupRoot = DefaultCgroupRoot
	}
	if c.CgroupParent == "" {
		c.CgroupParent = DefaultCgroupParent
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	if c.BaseEnv == nil {
		c.BaseEnv = []string{defaultPath}
	}
	return c
}

// Validate reports every setting that is wrong.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format+": %w", append(args, errdefs.ErrInvalidArgument)...))
	}
	if c.StateDir == "" || !filepath.IsAbs(c.StateDir) {
		bad("state dir %q must be an absolute path", c.StateDir)
	}
	if c.BindIP != "" && net.ParseIP(c.BindIP) == nil {
		bad("bind ip %q is not an IP address", c.BindIP)
	}
	if c.LogMaxBytes < 0 || (c.LogMaxBytes > 0 && c.LogMaxBytes < 1024) {
		bad("log max bytes %d must be at least 1024", c.LogMaxBytes)
	}
	if c.LogMaxFiles < 0 {
		bad("log max files %d is negative", c.LogMaxFiles)
	}
	if c.StartTimeout < 0 {
		bad("start timeout %v is negative", c.StartTimeout)
	}
	if c.CgroupParent != "" && (filepath.Base(c.CgroupParent) != c.CgroupParent || c.CgroupParent == "." || c.CgroupParent == "..") {
		bad("cgroup parent %q must be a plain name", c.CgroupParent)
	}
	for i, arg := range c.ShimCommand {
		if arg == "" {
			bad("shim command argument %d is empty", i)
		}
	}
	return errors.Join(errs...)
}
