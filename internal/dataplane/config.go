package dataplane

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/pki"
)

// DefaultSaveInterval is the default of Config.SaveInterval.
const DefaultSaveInterval = time.Second

// Config is what a data plane is told. DataDir is required; every other zero value means its
// default.
type Config struct {
	// DataDir is fargo's data directory: the data plane's files live in its dataplane/, the
	// embedded etcd member's client socket in etcd/, listener certificates in certs/.
	DataDir string
	// EtcdEndpoints are the client URLs of the store; default the embedded member's socket,
	// unix://<DataDir>/etcd/client.sock.
	EtcdEndpoints []string
	// EtcdTLS are the TLS files with which the data plane reaches EtcdEndpoints; plain
	// http:// endpoints must be loopback, https:// ones need a client certificate.
	EtcdTLS pki.ClientFiles
	// BindHost is the address listeners bind on; default 127.0.0.1.
	BindHost string
	// Build names the build of fargo that runs: a server replaces a data plane of another.
	Build string
	// SaveInterval is how often the state is written; default DefaultSaveInterval.
	SaveInterval time.Duration
	// NodeName names this data-plane node among those that serve the same listeners from one
	// store; default the host name and a digest of DataDir (DefaultNodeName).
	NodeName string
	// NodeTimeout is how long a node whose reports stopped still counts as live; default
	// lbsync.DefaultNodeTimeout.
	NodeTimeout time.Duration
	// LeaderTTL is the lease of the elected node's term: a dead leader is replaced within
	// about this long; default leader.DefaultTTL.
	LeaderTTL time.Duration
}

// ElectionPrefix is the key prefix of the data-plane nodes' election, apart from the control
// plane members' (leader.DefaultPrefix).
const ElectionPrefix = "/fargo/election/dataplane"

// DefaultNodeName is the name of the data-plane node of dataDir on this host: the host name
// and a digest of the directory, so that two data planes on one host differ and a restarted
// one keeps its name.
func DefaultNodeName(dataDir string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	return host + "-" + hex.EncodeToString(sum[:4])
}

func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, errors.New("dataplane: data dir is required")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return c, fmt.Errorf("dataplane: data dir: %w", err)
	}
	c.DataDir = abs
	if len(c.EtcdEndpoints) == 0 {
		c.EtcdEndpoints = []string{"unix://" + EtcdSocket(c.DataDir)}
	}
	if err := pki.CheckEndpoints(c.EtcdEndpoints, c.EtcdTLS); err != nil {
		return c, fmt.Errorf("dataplane: %w", err)
	}
	if c.BindHost == "" {
		c.BindHost = "127.0.0.1"
	}
	if net.ParseIP(c.BindHost) == nil {
		return c, fmt.Errorf("dataplane: bind address %q is not an IP address", c.BindHost)
	}
	if c.SaveInterval <= 0 {
		c.SaveInterval = DefaultSaveInterval
	}
	if c.NodeName == "" {
		c.NodeName = DefaultNodeName(c.DataDir)
	}
	if strings.ContainsAny(c.NodeName, "/ ") {
		return c, fmt.Errorf("dataplane: node name %q has a slash or a space", c.NodeName)
	}
	if c.NodeTimeout != 0 && c.NodeTimeout < 2*time.Second {
		return c, fmt.Errorf("dataplane: node timeout %s is under two reports (a second each)", c.NodeTimeout)
	}
	if c.LeaderTTL != 0 && c.LeaderTTL < time.Second {
		return c, fmt.Errorf("dataplane: leader ttl %s is under a second, etcd's least lease", c.LeaderTTL)
	}
	return c, nil
}

// maxSocketPath is the longest path of a unix socket (sun_path holds 108 bytes with its NUL).
const maxSocketPath = 107

// CheckSocketPaths reports a data directory whose sockets' paths would be too long to bind.
func CheckSocketPaths(dataDir string) error {
	longest := max(len(EtcdSocket(dataDir)), len(handoverPath(dataDir, 1<<22)))
	if longest > maxSocketPath {
		return fmt.Errorf("dataplane: the data directory %s is too long a path for the data plane's unix sockets (%d bytes, at most %d); choose a shorter one, or run the data plane embedded", dataDir, longest, maxSocketPath)
	}
	return nil
}

// EtcdSocket is where the embedded etcd member of dataDir serves clients.
func EtcdSocket(dataDir string) string { return filepath.Join(dataDir, "etcd", "client.sock") }

// Dir is the data plane's directory inside dataDir.
func Dir(dataDir string) string { return filepath.Join(dataDir, "dataplane") }

func statePath(dataDir string) string  { return filepath.Join(Dir(dataDir), "state.json") }
func recordPath(dataDir string) string { return filepath.Join(Dir(dataDir), "dataplane.json") }
func secretPath(dataDir string) string { return filepath.Join(Dir(dataDir), "stickiness.key") }

// LogPath is the log file of the data planes Spawn starts.
func LogPath(dataDir string) string { return filepath.Join(Dir(dataDir), "dataplane.log") }

// controlPath and handoverPath are one process's sockets: two data planes run side by side
// during a handover.
func controlPath(dataDir string, pid int) string {
	return filepath.Join(Dir(dataDir), fmt.Sprintf("control-%d.sock", pid))
}

func handoverPath(dataDir string, pid int) string {
	return filepath.Join(Dir(dataDir), fmt.Sprintf("handover-%d.sock", pid))
}
