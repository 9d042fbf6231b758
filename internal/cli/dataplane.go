package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/dataplane"
)

type dataplaneOptions struct {
	cfg           dataplane.Config
	etcdEndpoints string
	etcdClient    etcdClientFlags
	logLevel      string
	detach        bool
}

func newDataplaneCmd(stderr io.Writer) *cobra.Command {
	var o dataplaneOptions
	cmd := &cobra.Command{
		Use:   dataplane.Subcommand,
		Short: "Run the load balancer data plane (fargo server starts it; run it alone on a load balancer node)",
		Long: `Run the load balancer data plane: the listeners of every load balancer, configured from the
store. fargo server starts one in the background and adopts it on its next start, so that
listeners keep serving while the server restarts, crashes or is upgraded. It keeps its last
configuration and target health in <data-dir>/dataplane and starts from there.

With --etcd-endpoints it runs on a machine of its own, fed from an etcd cluster. Several data
planes may serve the same listeners from one store, each on its own machine or address: each
reports what its proxy sees under its --node-name, and the one elected does the work that must
be done once (target health, releasing drained targets, marking tasks drained) over every live
node's view.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.detach {
				return dataplane.Detach(cmd.Context(), o.cfg.DataDir, os.Args[1:])
			}
			return runDataplane(cmd.Context(), o, stderr)
		},
	}
	f := cmd.Flags()
	addDataDirFlag(cmd, &o.cfg.DataDir)
	f.StringVar(&o.etcdEndpoints, "etcd-endpoints", envOr("FARGO_ETCD_ENDPOINTS", ""), "comma-separated client URLs of the etcd cluster; default the embedded member's socket in the data directory [FARGO_ETCD_ENDPOINTS]")
	addEtcdClientFlags(cmd, &o.etcdClient)
	f.StringVar(&o.cfg.BindHost, "lb-addr", envOr("FARGO_LB_ADDR", daemon.DefaultLBBindHost), "IP address load balancer listeners bind on [FARGO_LB_ADDR]")
	f.StringVar(&o.cfg.NodeName, "node-name", envOr("FARGO_NODE_NAME", ""), "this data-plane node's name among those sharing the store; default the host name and a digest of the data directory [FARGO_NODE_NAME]")
	f.DurationVar(&o.cfg.NodeTimeout, "node-timeout", 0, "how long a data-plane node whose reports stopped still counts as live (default 10s)")
	f.StringVar(&o.logLevel, "log-level", envOr("FARGO_LOG_LEVEL", "info"), "debug, info, warn or error [FARGO_LOG_LEVEL]")
	f.BoolVar(&o.detach, "detach", false, "start in the background, in a session of its own, and return once it serves")
	_ = f.MarkHidden("detach")
	return cmd
}

func runDataplane(ctx context.Context, o dataplaneOptions, stderr io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	if o.etcdEndpoints != "" {
		o.cfg.EtcdEndpoints = strings.Split(o.etcdEndpoints, ",")
	}
	var err error
	if o.cfg.EtcdTLS, err = o.etcdClient.forEndpoints(o.etcdEndpoints); err != nil {
		return err
	}
	o.cfg.Build = buildID()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level})).With("component", "dataplane")
	return dataplane.Run(ctx, o.cfg, log)
}
