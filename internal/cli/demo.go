package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/fargohq/fargo/internal/daemon"
)

// demoOptions are the flags of `fargo demo`.
type demoOptions struct {
	// timeScale is the server's --time-scale: the canary's five minutes last 5×60/timeScale s.
	timeScale int
	// rate is the load on each service, in requests per second.
	rate int
	// keep leaves the server and its services running after the story, until Ctrl-C.
	keep bool
}

func newDemoCmd(stdout io.Writer) *cobra.Command {
	o := demoOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Show a zero-downtime canary and an automatic rollback on a throw-away server, in about a minute",
		Long: `Start a throw-away fargo server (a temporary data directory, free ports on 127.0.0.1), run
the example app hello as two services behind a load balancer, and under constant load:
deploy v2 to the first with a CodeDeploy canary (10% for five minutes, on a clock that runs
--time-scale times faster), showing each task set's share and the measured requests per
version as the traffic shifts; then deploy a broken v3 to the second, which the deployment
circuit breaker rolls back. It prints the phases, their timings and the requests served (no
request may fail), then stops everything it started and removes the directory, on Ctrl-C too.
Nothing else is needed: the app is the fargo binary itself (fargo demo-app).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), o, stdout)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.timeScale, "time-scale", 12, "run deployment minutes this many times faster (the server's --time-scale)")
	f.IntVar(&o.rate, "rate", 100, "requests per second sent to each service while it is deployed")
	f.BoolVar(&o.keep, "keep", false, "leave the server and the services running after the demo, until Ctrl-C")
	return cmd
}

// demoRun is one run of `fargo demo`: its server, what it created, and what happened.
type demoRun struct {
	o     demoOptions
	out   *progress
	start time.Time
	dir   string // the server's data directory, removed at the end
	// srv is the in-process server; stopSrv stops it.
	srv     *daemon.Server
	stopSrv context.CancelFunc
	logFile *os.File
	c       clients
	stack   demoStack
	// pids are the task processes seen during the run, for the cleanup report.
	pids   map[int]bool
	phases []demoPhase
	// kept is set once the story is over and --keep holds it until Ctrl-C: the end it asked for.
	kept bool
}

// demoPhase is one line of the final report.
type demoPhase struct {
	name             string
	took             time.Duration
	load             bool // requests and failed are counts of the demo's load
	requests, failed int64
	note             string
}

func runDemo(ctx context.Context, o demoOptions, stdout io.Writer) (err error) {
	if o.timeScale < 1 || o.timeScale > daemon.MaxTimeScale {
		return fmt.Errorf("--time-scale %d: want a whole number from 1 (real time) to %d", o.timeScale, daemon.MaxTimeScale)
	}
	if o.rate < 1 {
		return fmt.Errorf("--rate %d: want at least 1 request per second", o.rate)
	}
	d := &demoRun{o: o, out: newProgress(stdout), start: time.Now(), pids: map[int]bool{}}
	d.out.line("fargo demo: a throw-away fargo, a canary under load and an automatic rollback, in about a minute; Ctrl-C ends it and cleans up")
	if err := d.phase("start", d.startServer(ctx)); err != nil {
		return errors.Join(err, d.cleanup(ctx))
	}
	defer func() { err = d.finish(ctx, err, stdout) }()
	if err := d.phase("setup", d.setup(ctx)); err != nil {
		return err
	}
	if err := d.canary(ctx); err != nil {
		return err
	}
	if err := d.broken(ctx); err != nil {
		return err
	}
	if o.keep {
		d.keepRunning(ctx)
	}
	return nil
}

// finish ends the demo whichever way the story ended (err, or Ctrl-C): the server's last log
// lines if a phase failed, the cleanup, the report; any failed request fails the demo.
func (d *demoRun) finish(ctx context.Context, err error, stdout io.Writer) error {
	interrupted := ctx.Err() != nil && !d.kept
	if err != nil && !interrupted {
		d.logTail(stdout, 30)
	}
	if interrupted {
		d.out.line("interrupted: cleaning up")
		err = errors.New("interrupted")
	}
	err = errors.Join(err, d.cleanup(ctx))
	d.report(stdout)
	return errors.Join(err, d.failures())
}

// phase records a phase without load that ended now with err, or returns err.
func (d *demoRun) phase(name string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	d.phases = append(d.phases, demoPhase{name: name, took: d.sinceLast()})
	return nil
}

// sinceLast is the time since the last recorded phase ended (the demo's start for the first).
func (d *demoRun) sinceLast() time.Duration {
	var done time.Duration
	for _, p := range d.phases {
		done += p.took
	}
	return time.Since(d.start) - done
}

// startServer starts a fargo server in this process on a new temporary data directory and
// free loopback ports, with its log in the directory, and makes the clients that reach it.
func (d *demoRun) startServer(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "fargo-demo-")
	if err != nil {
		return err
	}
	d.dir = dir
	if d.logFile, err = os.Create(filepath.Join(dir, "server.log")); err != nil {
		return err
	}
	cfg := daemon.Config{DataDir: dir, APIAddr: "127.0.0.1:0", Driver: daemon.DriverProcess, TimeScale: d.o.timeScale}
	// The server outlives ctx (Ctrl-C): the cleanup needs it to stop the tasks.
	srvCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	d.srv, err = daemon.Start(srvCtx, cfg, slog.New(slog.NewTextHandler(d.logFile, nil)))
	if err != nil {
		stop()
		return err
	}
	d.stopSrv = stop
	// Only the throw-away server: never AWS_ENDPOINT_URL or another server of the environment.
	if d.c, err = newClients(ctx, clientOptions{dataDir: dir}, func(string) string { return "" }); err != nil {
		return err
	}
	d.out.line("start: a throw-away server at %s (pid %d), data in %s, log in %s", d.srv.Endpoint(), os.Getpid(), dir, d.logFile.Name())
	d.out.line("start: WARNING: time is scaled %dx: a deployment minute lasts %s, so the canary's 10%% for five minutes lasts %s (for demos and tests only)",
		d.o.timeScale, cfg.Minute(), 5*cfg.Minute())
	return nil
}

// keepRunning leaves everything running until ctx ends (Ctrl-C).
func (d *demoRun) keepRunning(ctx context.Context) {
	d.out.line("kept running (--keep) until Ctrl-C: canary service at %s, rolling service at %s", d.stack.canaryURL, d.stack.rollingURL)
	d.out.line("look around from another shell: fargo ps --cluster %s --data-dir %s; or point the aws CLI at it: eval \"$(fargo env --data-dir %s)\"",
		demoCluster, d.dir, d.dir)
	d.kept = true
	<-ctx.Done()
}
