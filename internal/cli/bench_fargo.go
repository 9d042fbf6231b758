package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/lb"
)

// newBenchProxyServerCmd is fargo's load balancer data plane in a process of its own, so that
// the proxy benchmark can read its CPU time: one HTTP listener forwarding to one target group.
func newBenchProxyServerCmd(stderr io.Writer) *cobra.Command {
	var listen, targets, cpuProfile string
	var interval time.Duration
	cmd := &cobra.Command{
		Use:    "proxy-server --listen ADDR --targets ADDR,ADDR",
		Short:  "Serve fargo's load balancer with a fixed config (internal; fargo bench proxy starts it)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := benchLBConfig(listen, strings.Split(targets, ","), interval)
			if err != nil {
				return err
			}
			log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			// Metrics are registered as in fargo server, so that their cost is measured.
			p, err := lb.New(lb.ProxyConfig{}, log, prometheus.NewRegistry())
			if err != nil {
				return err
			}
			if err := p.Apply(cfg); err != nil {
				return err
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				runErr := p.Run(cmd.Context())
				return errors.Join(runErr, stop())
			}
			return p.Run(cmd.Context())
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "address of the listener")
	cmd.Flags().StringVar(&targets, "targets", "", "comma-separated host:port of the targets")
	cmd.Flags().StringVar(&cpuProfile, "cpu-profile", "", "write a CPU profile of the whole run to this file (for go tool pprof)")
	cmd.Flags().DurationVar(&interval, "health-check-interval", 5*time.Second, "interval of the targets' health checks (0: no checks)")
	return cmd
}

// startCPUProfile profiles the process until the returned function is called; that function
// reports whether the profile was written.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close() // nothing was written
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("write the CPU profile: %w", err)
		}
		return nil
	}, nil
}

// benchLBConfig is what a user gets from create-target-group, register-targets and
// create-listener with a default forward action: one listener, one round-robin group with an
// HTTP health check on /, no access log.
func benchLBConfig(listen string, targets []string, interval time.Duration) (lb.Config, error) {
	if len(targets) == 0 || targets[0] == "" {
		return lb.Config{}, errors.New("--targets: at least one target is required")
	}
	hc := lb.HealthCheck{Disabled: true}
	if interval > 0 {
		hc = lb.HealthCheck{Path: "/", Interval: interval, Timeout: min(interval, 5*time.Second), HealthyThreshold: 2, UnhealthyThreshold: 2}
	}
	group := lb.TargetGroup{ID: "targets", Protocol: lb.ProtocolHTTP, HealthCheck: hc}
	for i, addr := range targets {
		group.Targets = append(group.Targets, lb.Target{ID: fmt.Sprintf("target-%d", i+1), Addr: addr})
	}
	forward := lb.Forward{TargetGroups: []lb.WeightedGroup{{GroupID: group.ID, Weight: 1}}}
	listener := lb.Listener{ID: "bench", Addr: listen, Protocol: lb.ProtocolHTTP,
		Rules: []lb.Rule{{ID: "default", Action: lb.Action{Type: lb.ActionForward, Forward: forward}}}}
	cfg := lb.Config{Listeners: []lb.Listener{listener}, TargetGroups: []lb.TargetGroup{group}}
	return cfg, cfg.Validate()
}
