package docker

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Defaults of Config.
const (
	DefaultScope   = "default"
	DefaultBindIP  = "127.0.0.1"
	DefaultNetwork = "fargo"
	// DefaultStartGrace is how long a container may stay created but not started before the
	// driver reports it failed (fargo stopped between creating and starting it).
	DefaultStartGrace = time.Minute
)

// PullPolicy says when Start pulls a container's image.
type PullPolicy string

// Pull policies, named after the ECS agent's ECS_IMAGE_PULL_BEHAVIOR.
const (
	// PullDefault pulls images of a named registry (host/repository) at every start and uses
	// the local image if the pull fails; Docker Hub names (nginx, a local build such as
	// myapp:dev) are pulled only when the engine does not have them.
	PullDefault PullPolicy = "default"
	// PullAlways pulls at every start; a failed pull fails the start.
	PullAlways PullPolicy = "always"
	// PullPreferCached pulls only images the engine does not have.
	PullPreferCached PullPolicy = "prefer-cached"
)

// Config configures the Docker driver. Its zero value works.
type Config struct {
	// Host is the engine's address (unix:///var/run/docker.sock, tcp://...); empty means
	// $DOCKER_HOST, else the default socket.
	Host string
	// Scope tells this driver's containers from those of other fargo nodes on the same engine:
	// List returns only containers of its scope. The daemon uses the node ID. Default "default".
	Scope string
	// BindIP is the address bridge-mode ports are published on. Default 127.0.0.1.
	BindIP string
	// Network is the bridge network of awsvpc tasks, created when missing. Default "fargo".
	Network string
	// PullPolicy says when images are pulled. Default PullDefault.
	PullPolicy PullPolicy
	// StartGrace is how long a created container may wait for its start before it counts as
	// failed. Default one minute.
	StartGrace time.Duration
}

func (c Config) withDefaults() Config {
	if c.Scope == "" {
		c.Scope = DefaultScope
	}
	if c.BindIP == "" {
		c.BindIP = DefaultBindIP
	}
	if c.Network == "" {
		c.Network = DefaultNetwork
	}
	if c.PullPolicy == "" {
		c.PullPolicy = PullDefault
	}
	if c.StartGrace == 0 {
		c.StartGrace = DefaultStartGrace
	}
	return c
}

// networkName is what the engine accepts as a network name.
var networkName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// Validate reports every setting that is wrong.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf(format+": %w", append(args, errdefs.ErrInvalidArgument)...))
	}
	if c.BindIP != "" && net.ParseIP(c.BindIP) == nil {
		bad("bind ip %q is not an IP address", c.BindIP)
	}
	if c.Network != "" && !networkName.MatchString(c.Network) {
		bad("network %q is not a network name", c.Network)
	}
	switch c.PullPolicy {
	case "", PullDefault, PullAlways, PullPreferCached:
	default:
		bad("pull policy %q: choose default, always or prefer-cached", c.PullPolicy)
	}
	if c.StartGrace < 0 {
		bad("start grace %v is negative", c.StartGrace)
	}
	return errors.Join(errs...)
}
