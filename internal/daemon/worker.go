package daemon

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/fargohq/fargo/internal/agent"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/pki"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/etcdkv"
)

// WorkerConfig is everything `fargo agent` can be told. DataDir and EtcdEndpoints are
// required; every other zero value means its default.
type WorkerConfig struct {
	// DataDir holds the worker's own state: its node identity and its tasks' runtime files.
	// It must not be a server's data directory.
	DataDir string
	// EtcdEndpoints are the client URLs of the store the control plane uses.
	EtcdEndpoints []string
	// EtcdTLS are the TLS files with which the agent reaches EtcdEndpoints; plain http://
	// endpoints must be loopback, https:// ones need a client certificate.
	EtcdTLS pki.ClientFiles
	// NodeID names the node; default the id recorded in DataDir, else one derived from the
	// host name and DataDir.
	NodeID string
	// NodeAddr is where the node's tasks are reachable (load balancers send to it); 127.0.0.1
	// when empty.
	NodeAddr string
	// AvailabilityZone is registered as ecs.availability-zone when set.
	AvailabilityZone string
	// Attributes are custom attributes of the node's container instances: name=value, or a
	// name alone for an attribute without a value.
	Attributes []string
	// Driver runs task containers, as Config.Driver; Runtime replaces it (tests).
	Driver  string
	Runtime runtime.Driver
	// CPU (units) and Memory (MiB) to register; the host's when zero.
	CPU, Memory int
	// Region and AccountID name the instances' ARNs; they must be the control plane's.
	Region, AccountID string
	// HeartbeatInterval is how often the node confirms its instances; it must be well within
	// the control plane's agent timeout. 10 s when zero.
	HeartbeatInterval time.Duration
	// RegistryHost is the host:port of fargo's registry in image names; images there are
	// pulled with a token of RegistryKeyID and RegistrySecret (an IAM user's access key that
	// may pull), as an ECS agent pulls from ECR with its instance role.
	RegistryHost                  string
	RegistryKeyID, RegistrySecret string
	// Version is reported as the agent version.
	Version string
}

func (c WorkerConfig) withDefaults() (WorkerConfig, error) {
	if c.DataDir == "" {
		return c, errors.New("agent: data dir is required")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return c, fmt.Errorf("agent: data dir: %w", err)
	}
	c.DataDir = abs
	if len(c.EtcdEndpoints) == 0 {
		return c, errors.New("agent: the store's etcd endpoints are required")
	}
	if err := pki.CheckEndpoints(c.EtcdEndpoints, c.EtcdTLS); err != nil {
		return c, fmt.Errorf("agent: %w", err)
	}
	if _, err := os.Stat(filepath.Join(c.DataDir, stateFileName)); err == nil {
		return c, fmt.Errorf("agent: %s is a server's data directory; give the agent one of its own", c.DataDir)
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if c.Driver == "" {
		c.Driver = DriverAuto
	}
	if !arn.IsRegion(c.Region) || !accountPattern.MatchString(c.AccountID) {
		return c, fmt.Errorf("agent: region %q and account id %q must be the control plane's, like us-east-1 and 12 digits", c.Region, c.AccountID)
	}
	switch c.Driver {
	case DriverAuto, DriverProcess, DriverDocker:
	default:
		return c, fmt.Errorf("agent: driver %q: choose auto, process or docker", c.Driver)
	}
	for _, a := range c.Attributes {
		if name, _, _ := strings.Cut(a, "="); strings.TrimSpace(name) == "" {
			return c, fmt.Errorf("agent: attribute %q: want name=value", a)
		}
	}
	if (c.RegistryKeyID == "") != (c.RegistrySecret == "") {
		return c, errors.New("agent: a registry access key needs both its id and its secret")
	}
	return c, nil
}

// bindIP is where the node's tasks bind their host ports: the node's address, where load
// balancers on other machines send to (a task bound on 127.0.0.1 would be reported, and
// registered as a target, at an address only its own machine reaches). A node address that
// is a host name leaves the drivers' default.
func (c WorkerConfig) bindIP() string {
	if net.ParseIP(c.NodeAddr) == nil {
		return ""
	}
	return c.NodeAddr
}

// RunWorker runs the agent of a worker machine until ctx ends: it registers the node as a
// container instance in every cluster of the store and runs the tasks placed on it. Tasks keep
// running when it returns; the next run on the same data directory re-adopts them.
func RunWorker(ctx context.Context, cfg WorkerConfig, log *slog.Logger) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("agent: create data dir: %w", err)
	}
	node, metaLn, err := openNode(cfg.DataDir, cfg.NodeID, func() string { return hostNodeID(cfg.DataDir) }, log)
	if err != nil {
		return fmt.Errorf("agent: node identity: %w", err)
	}
	defer metaLn.Close()
	// A worker's data directory is its node directory: the process driver keeps its state there.
	drv, err := openDriver(ctx, Config{DataDir: cfg.DataDir, NodeDir: cfg.DataDir, Driver: cfg.Driver, Runtime: cfg.Runtime}, node.NodeID, cfg.bindIP(), log)
	if err != nil {
		return err
	}
	// The client does not wait for the store: the agent starts, and its caches sync once
	// the store answers; running tasks keep running meanwhile.
	tlsCfg, err := cfg.EtcdTLS.Config()
	if err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: cfg.EtcdEndpoints, TLS: tlsCfg, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return fmt.Errorf("agent: etcd client for %v: %w", cfg.EtcdEndpoints, err)
	}
	defer func() { _ = client.Close() }()
	if err := checkStore(ctx, client, cfg.EtcdEndpoints, tlsCfg, log); err != nil {
		return err
	}
	kvs := etcdkv.New(client)
	defer func() { _ = kvs.Close() }()
	scope := arn.Scope{Partition: "aws", Region: cfg.Region, AccountID: cfg.AccountID}
	agCfg := agent.Config{
		NodeID: node.NodeID, Address: cfg.NodeAddr, CPU: cfg.CPU, Memory: cfg.Memory, Region: cfg.Region,
		HeartbeatInterval: cfg.HeartbeatInterval, Version: cfg.Version,
		AvailabilityZone: cfg.AvailabilityZone, Attributes: parseAttributes(cfg.Attributes),
		RegistryAuth: cfg.registryAuth(),
	}
	ag, err := agent.New(store.New(kvs), drv, scope, metaLn, agCfg, log)
	if err != nil {
		return err
	}
	log.Info("agent running", "node", node.NodeID, "address", agCfg.Address, "store", strings.Join(cfg.EtcdEndpoints, ","))
	return ag.Run(ctx)
}

// checkStore says so when the store does not answer at start, so that a wrong endpoint does
// not go unnoticed; the agent waits for it all the same. A store that refuses the agent's
// certificate (or whose certificate the agent does not trust) is an error: waiting would not
// help.
func checkStore(ctx context.Context, client *clientv3.Client, endpoints []string, tlsCfg *tls.Config, log *slog.Logger) error {
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := client.Get(pingCtx, "/fargo/", clientv3.WithCountOnly())
	if err == nil || ctx.Err() != nil {
		return nil
	}
	checkCtx, cancelCheck := context.WithTimeout(ctx, 5*time.Second)
	defer cancelCheck()
	if terr := pki.CheckTLS(checkCtx, endpoints, tlsCfg); terr != nil {
		return fmt.Errorf("agent: %w", terr)
	}
	log.Warn("the store does not answer yet; waiting for it", "endpoints", endpoints, "err", err)
	return nil
}

// hostNodeID is a worker's default node id: the host name and a digest of the data directory,
// so that two agents on one host with their own directories are two nodes.
func hostNodeID(dataDir string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	sum := sha256.Sum256([]byte(dataDir))
	return host + "-" + hex.EncodeToString(sum[:4])
}

// parseAttributes reads attributes written name=value, or name alone.
func parseAttributes(values []string) []ecs.Attribute {
	out := make([]ecs.Attribute, 0, len(values))
	for _, v := range values {
		name, value, _ := strings.Cut(v, "=")
		out = append(out, ecs.Attribute{Name: name, Value: value})
	}
	return out
}

// registryAuth gives the agent tokens for images of fargo's registry, signed with the access
// key the worker was given; nil (no credentials from fargo) without a registry or a key.
func (c WorkerConfig) registryAuth() func(context.Context, string) (*runtime.RegistryAuth, error) {
	if c.RegistryHost == "" || c.RegistryKeyID == "" {
		return nil
	}
	return registryAuth(func() string { return c.RegistryHost }, func() (string, string, error) {
		return c.RegistryKeyID, c.RegistrySecret, nil
	}, "")
}
