package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
)

type serverOptions struct {
	cfg           daemon.Config
	etcdEndpoints string
	etcd          etcdMemberFlags
	etcdClient    etcdClientFlags
	regions       string
	logLevel      string
	timeScale     string
	leaderTTL     string
}

func newServerCmd(stderr io.Writer) *cobra.Command {
	var o serverOptions
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the fargo control plane (API, store, controllers) on this machine",
		Long: `Run the fargo control plane. With no flags it starts an embedded etcd member in the data
directory, creates credentials there on first start, and serves every AWS API on 127.0.0.1:4566.
Run "eval $(fargo env)" in another shell to point the aws CLI and the SDKs at it.

With --etcd-initial-cluster (etcd's own clustering flags) or --etcd-endpoints several servers
share one store: every one serves the API, and one elected leader runs the scheduler and the
deployer (docs/production.md).

Every flag can also be set by its environment variable (shown in brackets).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServer(cmd.Context(), o, stderr)
		},
	}
	f := cmd.Flags()
	addDataDirFlag(cmd, &o.cfg.DataDir)
	f.StringVar(&o.cfg.APIAddr, "api-addr", envOr("FARGO_API_ADDR", daemon.DefaultAPIAddr), "host:port of the AWS API endpoint [FARGO_API_ADDR]")
	f.StringVar(&o.cfg.Region, "region", envOr("FARGO_REGION", daemon.DefaultRegion), "home region: fargo's own commands and the console work in it; requests are served in the region they are signed for [FARGO_REGION]")
	f.StringVar(&o.regions, "regions", envOr("FARGO_REGIONS", ""), "comma-separated regions to serve, the home region (--region) among them; requests signed for others are refused as AWS refuses a region the account cannot use (default: every region) [FARGO_REGIONS]")
	f.StringVar(&o.cfg.AccountID, "account-id", envOr("FARGO_ACCOUNT_ID", daemon.DefaultAccountID), "12-digit account id in ARNs [FARGO_ACCOUNT_ID]")
	f.StringVar(&o.etcdEndpoints, "etcd-endpoints", envOr("FARGO_ETCD_ENDPOINTS", ""), "comma-separated client URLs of an external etcd cluster to use instead of the embedded member [FARGO_ETCD_ENDPOINTS]")
	addEtcdClientFlags(cmd, &o.etcdClient)
	addEtcdMemberFlags(cmd, &o.etcd)
	f.StringVar(&o.cfg.NodeDir, "node-dir", envOr("FARGO_NODE_DIR", ""), "directory of this machine's container instance (identity, task runtime state); the data dir when empty. Members of one machine may share it: one at a time runs its agent [FARGO_NODE_DIR]")
	f.StringVar(&o.cfg.RegistryDir, "registry-dir", envOr("FARGO_REGISTRY_DIR", ""), "where the container registry keeps its images; <data-dir>/registry when empty. Members of a cluster give one shared directory (NFS, a shared volume) so that every member serves every image [FARGO_REGISTRY_DIR]")
	f.StringVar(&o.leaderTTL, "leader-ttl", envOr("FARGO_LEADER_TTL", "5s"), "lease of the elected leader of the controllers when servers share a store; a dead leader is replaced within about this long (whole seconds, at least 1s) [FARGO_LEADER_TTL]")
	f.StringVar(&o.cfg.LBBindHost, "lb-addr", envOr("FARGO_LB_ADDR", daemon.DefaultLBBindHost), "IP address load balancer listeners bind on [FARGO_LB_ADDR]")
	f.StringVar(&o.cfg.Driver, "driver", envOr("FARGO_DRIVER", "auto"), "task runtime: auto (host commands on the process driver, images on Docker), process or docker [FARGO_DRIVER]")
	f.StringVar(&o.cfg.DataPlane, "data-plane", envOr("FARGO_DATA_PLANE", daemon.DataPlaneProcess), "where load balancer listeners run: process (a fargo dataplane process that outlives the server, adopted on its next start), embedded (in the server; not with a shared store) or none [FARGO_DATA_PLANE]")
	f.DurationVar(&o.cfg.AgentTimeout, "agent-timeout", daemon.DefaultAgentTimeout, "how long a container instance's agent may stay silent before the instance is agentConnected: false and takes no new tasks")
	f.DurationVar(&o.cfg.LostInstanceGrace, "lost-instance-grace", daemon.DefaultLostInstanceGrace, "how much longer a disconnected instance keeps its tasks before they are stopped and replaced elsewhere")
	f.StringVar(&o.logLevel, "log-level", envOr("FARGO_LOG_LEVEL", "info"), "debug, info, warn or error [FARGO_LOG_LEVEL]")
	f.StringVar(&o.timeScale, "time-scale", envOr("FARGO_TIME_SCALE", "1"), "make a minute of deployments (canary and linear intervals, waits) and of CloudWatch alarm periods last 60/N seconds; for demos and tests only [FARGO_TIME_SCALE]")
	return cmd
}

func runServer(ctx context.Context, o serverOptions, stderr io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	scale, err := strconv.Atoi(o.timeScale)
	if err != nil || scale < 1 {
		// 0 would mean the default to daemon.Config; said on the command line it is a mistake.
		return fmt.Errorf("--time-scale %q: want a whole number from 1 (real time) to %d", o.timeScale, daemon.MaxTimeScale)
	}
	o.cfg.TimeScale = scale
	o.cfg.Build = buildID()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if o.etcdEndpoints != "" {
		o.cfg.EtcdEndpoints = strings.Split(o.etcdEndpoints, ",")
	}
	if o.regions != "" {
		o.cfg.Regions = strings.Split(o.regions, ",")
	}
	if err := o.etcd.apply(&o.cfg); err != nil {
		return err
	}
	if o.cfg.EtcdClientTLS, err = o.etcdClient.forEndpoints(o.etcdEndpoints); err != nil {
		return err
	}
	if o.cfg.LeaderTTL, err = time.ParseDuration(o.leaderTTL); err != nil || o.cfg.LeaderTTL < time.Second {
		return fmt.Errorf("--leader-ttl %q: want a duration of at least 1s, such as 5s", o.leaderTTL)
	}
	srv, err := daemon.Start(ctx, o.cfg, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, `fargo is running.
  endpoint:  %s
  region:    %s
  data dir:  %s
Point the aws CLI and SDKs at it from another shell:
  eval "$(fargo env --data-dir %s)"
`, srv.Endpoint(), srv.Region(), o.cfg.DataDir, o.cfg.DataDir)
	if scale != 1 {
		fmt.Fprintf(stderr, `WARNING: time is scaled %dx (--time-scale): a minute of a deployment lasts %s, so canary
and linear intervals, ready and termination waits, and CloudWatch alarm periods pass that much
faster (the API still reports the minutes configured). For demos and tests only.
`, scale, daemon.Config{TimeScale: scale}.Minute())
	}
	return srv.Wait()
}
