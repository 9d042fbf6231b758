package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/dataplane"
)

type agentOptions struct {
	cfg           daemon.WorkerConfig
	etcdEndpoints string
	etcdClient    etcdClientFlags
	logLevel      string
}

func newAgentCmd(stderr io.Writer) *cobra.Command {
	var o agentOptions
	cmd := &cobra.Command{
		Use:   "agent",
		Short: "Run a worker: register this machine as a container instance and run the tasks placed on it",
		Long: `Run the agent of a worker machine. It joins the store of a fargo control plane through etcd,
registers this machine as a container instance in every cluster (with its CPU, memory and
attributes), runs the tasks placed on it with the node's driver, and confirms the instances by
a heartbeat. A worker that stops answering turns agentConnected: false; after the server's
grace period its tasks are stopped and replaced on other instances.

Without --etcd-endpoints it joins the server on this machine, through the store socket in the
server's data directory ($FARGO_DATA_DIR). Every flag can also be set by its environment
variable (shown in brackets).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAgent(cmd.Context(), o, os.Getenv, stderr)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.cfg.DataDir, "data-dir", defaultAgentDataDir(), "directory of the worker's own state, not a server's (env FARGO_AGENT_DATA_DIR; default $XDG_DATA_HOME/fargo-agent or ~/.local/share/fargo-agent)")
	f.StringVar(&o.etcdEndpoints, "etcd-endpoints", envOr("FARGO_ETCD_ENDPOINTS", ""), "comma-separated client URLs of the control plane's etcd; default the store socket of the local server [FARGO_ETCD_ENDPOINTS]")
	addEtcdClientFlags(cmd, &o.etcdClient)
	f.StringVar(&o.cfg.NodeID, "node-id", envOr("FARGO_NODE_ID", ""), "the node's stable name; default the one recorded in the data directory, else host name and a digest of the data directory [FARGO_NODE_ID]")
	f.StringVar(&o.cfg.NodeAddr, "node-addr", envOr("FARGO_NODE_ADDR", "127.0.0.1"), "address at which the node's tasks are reachable; load balancers send to it [FARGO_NODE_ADDR]")
	f.StringVar(&o.cfg.AvailabilityZone, "availability-zone", envOr("FARGO_AVAILABILITY_ZONE", ""), "registered as the ecs.availability-zone attribute [FARGO_AVAILABILITY_ZONE]")
	f.StringArrayVar(&o.cfg.Attributes, "attribute", nil, "custom attribute name=value (or name) of the node's container instances; repeat for more")
	f.StringVar(&o.cfg.Driver, "driver", envOr("FARGO_DRIVER", daemon.DriverAuto), "task runtime: auto, process or docker, as fargo server's [FARGO_DRIVER]")
	f.IntVar(&o.cfg.CPU, "cpu", 0, "CPU units to register (1024 a core); default the host's")
	f.IntVar(&o.cfg.Memory, "memory", 0, "memory in MiB to register; default the host's")
	f.StringVar(&o.cfg.Region, "region", envOr("FARGO_REGION", daemon.DefaultRegion), "the control plane's region [FARGO_REGION]")
	f.StringVar(&o.cfg.AccountID, "account-id", envOr("FARGO_ACCOUNT_ID", daemon.DefaultAccountID), "the control plane's account id [FARGO_ACCOUNT_ID]")
	f.DurationVar(&o.cfg.HeartbeatInterval, "heartbeat-interval", 10*time.Second, "how often the node confirms its container instances; well within the server's --agent-timeout")
	f.StringVar(&o.cfg.RegistryHost, "registry", envOr("FARGO_REGISTRY", ""), "host:port of fargo's registry in image names; its images are pulled with a token of the access key in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY [FARGO_REGISTRY]")
	f.StringVar(&o.logLevel, "log-level", envOr("FARGO_LOG_LEVEL", "info"), "debug, info, warn or error [FARGO_LOG_LEVEL]")
	return cmd
}

func runAgent(ctx context.Context, o agentOptions, getenv func(string) string, stderr io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	endpoints, err := agentEndpoints(o.etcdEndpoints, defaultDataDir())
	if err != nil {
		return err
	}
	o.cfg.EtcdEndpoints = endpoints
	if o.cfg.EtcdTLS, err = o.etcdClient.forEndpoints(o.etcdEndpoints); err != nil {
		return err
	}
	if o.cfg.RegistryHost != "" {
		o.cfg.RegistryKeyID, o.cfg.RegistrySecret = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
	}
	o.cfg.Version = "fargo " + buildID()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	return daemon.RunWorker(ctx, o.cfg, log)
}

// agentEndpoints are the etcd endpoints the flag names, else the store socket of the server
// whose data directory is serverDir, when it has one.
func agentEndpoints(flag, serverDir string) ([]string, error) {
	if flag != "" {
		return strings.Split(flag, ","), nil
	}
	sock := dataplane.EtcdSocket(serverDir)
	if _, err := os.Stat(sock); err != nil {
		return nil, fmt.Errorf("--etcd-endpoints is required: no local server's store socket at %s", sock)
	}
	return []string{"unix://" + sock}, nil
}

// defaultAgentDataDir is $FARGO_AGENT_DATA_DIR, else $XDG_DATA_HOME/fargo-agent, else
// ~/.local/share/fargo-agent: apart from a server's on the same machine.
func defaultAgentDataDir() string {
	if v := os.Getenv("FARGO_AGENT_DATA_DIR"); v != "" {
		return v
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "fargo-agent")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "fargo-agent")
	}
	return ".fargo-agent"
}
