package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
)

type serverOptions struct {
	cfg           daemon.Config
	etcdEndpoints string
	regions       string
	logLevel      string
	timeScale     string
}

func newServerCmd(stderr io.Writer) *cobra.Command {
	var o serverOptions
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the fargo control plane (API, store, controllers) on this machine",
		Long: `Run the fargo control plane. With no flags it starts an embedded etcd member in the data
directory, creates credentials there on first start, and serves every AWS API on 127.0.0.1:4566.
Run "eval $(fargo env)" in another shell to point the aws CLI and the SDKs at it.

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
	f.StringVar(&o.cfg.LBBindHost, "lb-addr", envOr("FARGO_LB_ADDR", daemon.DefaultLBBindHost), "IP address load balancer listeners bind on [FARGO_LB_ADDR]")
	f.StringVar(&o.cfg.Driver, "driver", envOr("FARGO_DRIVER", "auto"), "task runtime: auto (host commands on the process driver, images on Docker), process or docker [FARGO_DRIVER]")
	f.StringVar(&o.cfg.DataPlane, "data-plane", envOr("FARGO_DATA_PLANE", daemon.DataPlaneProcess), "where load balancer listeners run: process (a fargo dataplane process that outlives the server, adopted on its next start) or embedded (in the server) [FARGO_DATA_PLANE]")
	f.StringVar(&o.logLevel, "log-level", envOr("FARGO_LOG_LEVEL", "info"), "debug, info, warn or error [FARGO_LOG_LEVEL]")
	f.StringVar(&o.timeScale, "time-scale", envOr("FARGO_TIME_SCALE", "1"), "make a minute of deployments (canary and linear intervals, waits) last 60/N seconds; for demos and tests only [FARGO_TIME_SCALE]")
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
and linear intervals, ready and termination waits pass that much faster (the API still reports
the minutes configured). For demos and tests only.
`, scale, daemon.Config{TimeScale: scale}.Minute())
	}
	return srv.Wait()
}
