package daemon

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/leader"
	"github.com/fargohq/fargo/internal/pki"
	"github.com/fargohq/fargo/internal/runtime"
)

// Defaults of `fargo server`.
const (
	DefaultAPIAddr   = "127.0.0.1:4566"
	DefaultRegion    = "us-east-1"
	DefaultAccountID = "000000000000"
	// DefaultLBBindHost is where load balancer listeners bind unless told otherwise.
	DefaultLBBindHost = "127.0.0.1"
	// DefaultEtcdName names the embedded etcd member, and the server as leader.
	DefaultEtcdName = embedetcd.DefaultName
	// MaxTimeScale makes a minute last a millisecond; a shorter one would be no minute at all.
	MaxTimeScale = 60000
)

// Values of Config.DataPlane.
const (
	DataPlaneEmbedded = "embedded"
	DataPlaneProcess  = "process"
	// DataPlaneNone runs no load balancer data plane with this server: a member of a cluster
	// whose data plane runs elsewhere (another member, or `fargo dataplane` of its own).
	DataPlaneNone = "none"
)

// Values of Config.Driver.
const (
	DriverAuto    = "auto"
	DriverProcess = "process"
	DriverDocker  = "docker"
)

// Config is everything `fargo server` can be told. The zero value plus a DataDir works.
type Config struct {
	// DataDir holds the embedded etcd member, the credentials and the server's state file.
	DataDir string
	// APIAddr is the host:port of the API listener; port 0 picks a free port.
	APIAddr string
	// Region is the home region: fargo's own commands and the console work in it, and its
	// objects keep the store's original keys (docs/regions.md).
	Region    string
	AccountID string
	// Regions, when set, are the only regions served: a request signed for another is refused
	// as AWS refuses a region the account cannot use. It must name Region. Empty serves every
	// region.
	Regions []string
	// EtcdEndpoints, when set, makes the server use that etcd cluster instead of starting an
	// embedded member.
	EtcdEndpoints []string
	// EtcdClientTLS are the TLS files with which the server, and the data plane process it
	// starts, reach EtcdEndpoints: plain http:// endpoints must be loopback, https:// ones
	// need a client certificate (pki.CheckEndpoints).
	EtcdClientTLS pki.ClientFiles
	// EtcdName names the embedded member (embedetcd.DefaultName when empty), and this server
	// as the leader of the controllers.
	EtcdName string
	// EtcdCluster, when its InitialCluster is set, makes the embedded member one of an etcd
	// cluster of several `fargo server` members.
	EtcdCluster embedetcd.Cluster
	// LeaderTTL is the lease of the elected leader of the controllers, when the server shares
	// its store with others (EtcdCluster or EtcdEndpoints): a dead leader is replaced within
	// about this long. leader.DefaultTTL when zero.
	LeaderTTL time.Duration
	// NodeDir holds this machine's identity as a container instance and its task runtime's
	// state; DataDir when empty. The members of a cluster that share a machine may share it:
	// one of them at a time runs the node's agent.
	NodeDir string
	// RegistryDir is where the container registry keeps its images; <DataDir>/registry when
	// empty. The members of a cluster point it at one shared directory (NFS, a shared volume),
	// so that every member serves every image, as registries that share a storage backend do;
	// the registries of other regions live under its regions/<region>.
	RegistryDir string
	// ShutdownGrace bounds how long in-flight API requests may take after a stop signal.
	ShutdownGrace time.Duration
	// Driver runs task containers: DriverAuto (the default: each task on the process or the
	// Docker driver, as internal/runtime/router's rule picks), DriverProcess or DriverDocker.
	Driver string
	// Runtime, when set, replaces the driver Driver names (tests inject the fake driver).
	Runtime runtime.Driver
	// LBBindHost is the address load balancer listeners bind on; 127.0.0.1 when empty.
	LBBindHost string
	// DataPlane is where the load balancer listeners run: DataPlaneEmbedded (the default of a
	// server alone on its store; DataPlaneNone is the default of one that shares it) in the
	// server's process, DataPlaneProcess in a `fargo dataplane` process that the server
	// starts or adopts and that outlives it (what `fargo server` runs; a test binary cannot
	// start one), or DataPlaneNone (not with this server).
	DataPlane string
	// Build names the server's build: a data plane process of another build is replaced.
	Build string
	// AgentTimeout is how long a container instance's heartbeat may stay unchanged before it
	// is agentConnected: false (liveness.DefaultTimeout when zero); this server's own agent
	// beats at a third of it, at most every 10 s.
	AgentTimeout time.Duration
	// LostInstanceGrace is how much longer a disconnected instance keeps its tasks before they
	// are stopped and replaced elsewhere (liveness.DefaultGrace when zero).
	LostInstanceGrace time.Duration
	// TimeScale speeds up the minutes of deployments (canary and linear intervals, ready and
	// termination waits) and of CloudWatch alarm periods: one lasts 60/TimeScale seconds. 1 (real time) when zero; for demos
	// and tests only. The API still reports the minutes configured.
	TimeScale int
}

var accountPattern = regexp.MustCompile(`^\d{12}$`)

// withDefaults fills in defaults and checks the result.
func (c Config) withDefaults() (Config, error) {
	if c.DataDir != "" {
		abs, err := filepath.Abs(c.DataDir)
		if err != nil {
			return c, fmt.Errorf("data dir: %w", err)
		}
		c.DataDir = abs
	}
	if c.APIAddr == "" {
		c.APIAddr = DefaultAPIAddr
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.LBBindHost == "" {
		c.LBBindHost = DefaultLBBindHost
	}
	if c.Driver == "" {
		c.Driver = DriverAuto
	}
	if c.DataPlane == "" {
		c.DataPlane = DataPlaneEmbedded
		if c.Shared() {
			c.DataPlane = DataPlaneNone
		}
	}
	if c.RegistryDir == "" {
		c.RegistryDir = filepath.Join(c.DataDir, "registry")
	} else if abs, err := filepath.Abs(c.RegistryDir); err == nil {
		c.RegistryDir = abs
	}
	if c.NodeDir == "" {
		c.NodeDir = c.DataDir
	} else if abs, err := filepath.Abs(c.NodeDir); err == nil {
		c.NodeDir = abs
	}
	c.EtcdName = cmp.Or(c.EtcdName, DefaultEtcdName)
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = 10 * time.Second
	}
	if c.TimeScale == 0 {
		c.TimeScale = 1
	}
	return c, c.Validate()
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if c.DataDir == "" {
		return errors.New("data dir is required")
	}
	if _, _, err := net.SplitHostPort(c.APIAddr); err != nil {
		return fmt.Errorf("api address %q: %w", c.APIAddr, err)
	}
	if !arn.IsRegion(c.Region) {
		return fmt.Errorf("region %q is not a region name like us-east-1", c.Region)
	}
	if err := c.validateRegions(); err != nil {
		return err
	}
	if !accountPattern.MatchString(c.AccountID) {
		return fmt.Errorf("account id %q must be 12 digits", c.AccountID)
	}
	if net.ParseIP(c.LBBindHost) == nil {
		return fmt.Errorf("load balancer bind address %q is not an IP address", c.LBBindHost)
	}
	switch c.Driver {
	case DriverAuto, DriverProcess, DriverDocker:
	default:
		return fmt.Errorf("driver %q: choose auto, process or docker", c.Driver)
	}
	switch c.DataPlane {
	case DataPlaneProcess, DataPlaneNone:
	case DataPlaneEmbedded:
		if c.Shared() {
			// Each term would bind the listeners anew, and two members of one machine would
			// fight for the ports: a cluster's data plane is a process of its own.
			return errors.New("data plane embedded: a server that shares its store runs the data plane as a process, or none")
		}
	default:
		return fmt.Errorf("data plane %q: choose process, embedded or none", c.DataPlane)
	}
	if err := c.validateCluster(); err != nil {
		return err
	}
	if c.TimeScale < 1 || c.TimeScale > MaxTimeScale {
		return fmt.Errorf("time scale %d: must be from 1 (real time) to %d", c.TimeScale, MaxTimeScale)
	}
	return nil
}

// Minute returns how long a minute of deployment waits lasts at the configured time scale.
func (c Config) Minute() time.Duration {
	return time.Minute / time.Duration(max(c.TimeScale, 1))
}

// Shared reports whether other servers may share this server's store (an embedded member of
// a cluster, or an external cluster): then the controllers that must run once run only in the
// elected leader.
func (c Config) Shared() bool {
	return len(c.EtcdEndpoints) > 0 || c.EtcdCluster.Clustered()
}

func (c Config) validateCluster() error {
	if len(c.EtcdEndpoints) > 0 && c.EtcdCluster.Clustered() {
		return errors.New("etcd: choose an external cluster (endpoints) or an embedded member's initial cluster, not both")
	}
	if err := pki.CheckEndpoints(c.EtcdEndpoints, c.EtcdClientTLS); err != nil {
		return err
	}
	if len(c.EtcdEndpoints) == 0 {
		// The embedded member's own settings, checked here too so that a server refuses them
		// before it creates anything.
		if err := (embedetcd.Config{Dir: c.DataDir, Name: c.EtcdName, Cluster: c.EtcdCluster}).Validate(); err != nil {
			return err
		}
	}
	if c.LeaderTTL != 0 {
		if err := (leader.Config{Name: c.EtcdName, TTL: c.LeaderTTL}).Validate(); err != nil {
			return err
		}
	}
	return nil
}

// serves reports whether the server serves region: every region without Regions.
func (c Config) serves(region string) bool {
	return len(c.Regions) == 0 || slices.Contains(c.Regions, region)
}

// validateRegions checks that every region of Regions is a region name, and that the home
// region is one of them: fargo's own commands work in it.
func (c Config) validateRegions() error {
	if len(c.Regions) == 0 {
		return nil
	}
	for _, r := range c.Regions {
		if !arn.IsRegion(r) {
			return fmt.Errorf("regions: %q is not a region name like us-east-1", r)
		}
	}
	if !slices.Contains(c.Regions, c.Region) {
		return fmt.Errorf("regions %s do not include the home region %s (--region)", strings.Join(c.Regions, ","), c.Region)
	}
	return nil
}
