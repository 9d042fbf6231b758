package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// selfExec returns a command that runs this program's bench subcommand args (fargo bench
// ARGS...), for the servers the benchmark starts in their own processes.
type selfExec func(args ...string) *exec.Cmd

// newBenchCmd is the bench command group: benchmarks that anyone can run on their machine.
func newBenchCmd(stdout, stderr io.Writer) *cobra.Command {
	bench := &cobra.Command{
		Use:   "bench",
		Short: "Run fargo's benchmarks on this machine",
		Args:  cobra.NoArgs,
	}
	bench.AddCommand(newBenchProxyCmd(stdout, stderr, nil), newBenchRegistryCmd(stdout, stderr), newBenchTargetCmd(stderr), newBenchProxyServerCmd(stderr))
	return bench
}

type benchProxyOptions struct {
	duration, warmup time.Duration
	rounds           int
	connections      int
	threads          int
	out              string // text or docs-table
	load             string // auto, wrk or loadtest
	setups           []string
	compare          []string // LABEL=PATH: other fargo builds' load balancers, as more setups
	workers          string
	nginx, haproxy   string
	caddy            string
	wrk              string
}

func newBenchProxyCmd(stdout, stderr io.Writer, self selfExec) *cobra.Command {
	opts := benchProxyOptions{}
	cmd := &cobra.Command{
		Use:   "proxy",
		Short: "Measure fargo's load balancer next to a direct connection, nginx, HAProxy and Caddy",
		Long: `Measure requests/s, p50 and p99 latency and the proxy's CPU time per request on loopback:
straight to one target, through fargo's load balancer (internal/lb) to two targets, and through
nginx, HAProxy and Caddy (a Go peer) to the same two targets when they are installed. Every server runs in its own
process, so its CPU time is read from /proc; the setups take turns in several rounds and the
report shows the median of the rounds, because a shared machine's speed drifts.

The load comes from wrk (--latency) when it is installed, else from fargo's own loadtest client
in this process. Linux only.

--compare LABEL=PATH adds the load balancer of another fargo build (PATH is its fargo binary,
whose bench proxy-server runs with the fargo setup's configuration) as setup LABEL, so that
builds before and after a change take turns in the same rounds; scripts/bench-proxy-compare
builds commits and runs this.`,
		Example: `  fargo bench proxy
  fargo bench proxy --duration 5s --rounds 3 --connections 32 --out docs-table
  fargo bench proxy --setups nginx --compare before=/tmp/fargo-old --compare after=/tmp/fargo-new`,
		Args:         cobra.NoArgs,
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if self == nil {
				var err error
				if self, err = defaultSelfExec(cmd); err != nil {
					return err
				}
			}
			return runBenchProxy(cmd.Context(), opts, self, stdout, stderr)
		},
	}
	f := cmd.Flags()
	f.DurationVar(&opts.duration, "duration", 10*time.Second, "load per setup and round")
	f.DurationVar(&opts.warmup, "warmup", 2*time.Second, "unmeasured load per setup before the first round")
	f.IntVar(&opts.rounds, "rounds", 5, "rounds; the report shows medians")
	f.IntVar(&opts.connections, "connections", 64, "keep-alive connections of the load generator")
	f.IntVar(&opts.threads, "threads", min(runtime.NumCPU(), 4), "wrk threads")
	f.StringVar(&opts.out, "out", "text", "report format: text, or docs-table (a Markdown table for docs/benchmarks.md)")
	f.StringVar(&opts.load, "load", "auto", "load generator: wrk, loadtest (fargo's client, in this process), or auto (wrk when installed)")
	f.StringSliceVar(&opts.setups, "setups", builtinSetups, "setups to measure; nginx, haproxy and caddy are skipped when not installed")
	f.StringArrayVar(&opts.compare, "compare", nil, "LABEL=PATH: also measure the load balancer of the fargo binary at PATH as setup LABEL (repeatable)")
	f.StringVar(&opts.workers, "workers", "auto", `proxy parallelism: nginx's worker_processes, HAProxy's nbthread, fargo's and Caddy's GOMAXPROCS ("auto": one per CPU)`)
	f.StringVar(&opts.nginx, "nginx", "nginx", "nginx binary")
	f.StringVar(&opts.haproxy, "haproxy", "haproxy", "HAProxy binary")
	f.StringVar(&opts.caddy, "caddy", "caddy", "Caddy binary")
	f.StringVar(&opts.wrk, "wrk", "wrk", "wrk binary")
	return cmd
}

func (o benchProxyOptions) validate() error {
	switch {
	case o.duration < time.Second:
		return errors.New("--duration must be at least 1s")
	case o.warmup < 0:
		return errors.New("--warmup must not be negative")
	case o.rounds < 1 || o.connections < 1 || o.threads < 1:
		return errors.New("--rounds, --connections and --threads must be at least 1")
	case o.out != "text" && o.out != "docs-table":
		return fmt.Errorf("--out %q: want text or docs-table", o.out)
	case o.load != "auto" && o.load != "wrk" && o.load != "loadtest":
		return fmt.Errorf("--load %q: want auto, wrk or loadtest", o.load)
	case runtime.GOOS != "linux":
		return errors.New("the proxy benchmark reads CPU times from /proc and runs on Linux only")
	}
	if n, err := strconv.Atoi(o.workers); o.workers != "auto" && (err != nil || n < 1) {
		return fmt.Errorf("--workers %q: want auto or a positive number", o.workers)
	}
	for _, s := range o.setups {
		if !slices.Contains(builtinSetups, s) {
			return fmt.Errorf("--setups: unknown setup %q (want direct, fargo, nginx, haproxy or caddy)", s)
		}
	}
	labels := map[string]bool{}
	for _, c := range o.compare {
		label, path, _ := strings.Cut(c, "=")
		switch {
		case !compareLabel.MatchString(label) || path == "":
			return fmt.Errorf("--compare %q: want LABEL=PATH, LABEL of letters, digits, '.', '_' and '-'", c)
		case slices.Contains(builtinSetups, label) || labels[label]:
			return fmt.Errorf("--compare %q: setup %s is already measured", c, label)
		}
		labels[label] = true
	}
	return nil
}

var (
	builtinSetups = []string{"direct", "fargo", "nginx", "haproxy", "caddy"}
	compareLabel  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)
)

// defaultSelfExec runs this executable with the path of cmd's parent (fargo bench).
func defaultSelfExec(cmd *cobra.Command) (selfExec, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find fargo's executable: %w", err)
	}
	prefix := strings.Fields(cmd.Parent().CommandPath())[1:] // without the program's name
	return func(args ...string) *exec.Cmd {
		return exec.Command(exe, append(slices.Clone(prefix), args...)...)
	}, nil
}

func runBenchProxy(ctx context.Context, opts benchProxyOptions, self selfExec, stdout, stderr io.Writer) error {
	if err := opts.validate(); err != nil {
		return err
	}
	load, err := chooseLoad(opts)
	if err != nil {
		return err
	}
	progress := stdout
	if opts.out == "docs-table" {
		progress = stderr
	}
	dir, err := os.MkdirTemp("", "fargo-bench-")
	if err != nil {
		return err
	}
	defer removeTempDir(dir, stderr)
	env := benchEnv{dir: dir, workers: opts.workers, connections: opts.connections, self: self}
	targets, err := startBenchTargets(ctx, self)
	defer func() {
		for _, t := range slices.Backward(targets) {
			t.stop()
		}
	}()
	for _, t := range targets {
		env.targets = append(env.targets, t.addr)
	}
	if err != nil {
		return err
	}
	setups, err := startBenchSetups(ctx, env, opts, progress)
	defer func() {
		for _, s := range slices.Backward(setups) {
			if s.proxy != nil {
				s.proxy.stop()
			}
		}
	}()
	if err != nil {
		return err
	}
	fmt.Fprintf(progress, "load: %s; %d × %s per setup after %s of warm-up; %d CPUs\n", load.name(), opts.rounds, opts.duration, opts.warmup, runtime.NumCPU())
	b := benchRun{load: load, targets: targets, setups: setups, out: progress}
	if err := b.warmUp(ctx, opts.warmup); err != nil {
		return err
	}
	samples, err := b.rounds(ctx, opts.rounds, opts.duration)
	if err != nil {
		return err
	}
	rep := newBenchReport(setups, samples, opts, load.name())
	if opts.out == "docs-table" {
		return rep.writeMarkdown(stdout)
	}
	return rep.writeText(stdout)
}

// removeTempDir removes a benchmark's temporary directory. What it cannot remove is worth a
// word on stderr, not a failure of a benchmark that ran.
func removeTempDir(dir string, stderr io.Writer) {
	if err := os.RemoveAll(dir); err != nil {
		fmt.Fprintln(stderr, "fargo:", err)
	}
}

func chooseLoad(opts benchProxyOptions) (loadGenerator, error) {
	path, err := exec.LookPath(opts.wrk)
	switch {
	case opts.load == "loadtest" || (opts.load == "auto" && err != nil):
		return inProcessLoad{connections: opts.connections}, nil
	case err != nil:
		return nil, fmt.Errorf("--load wrk: %w", err)
	}
	threads := min(opts.threads, opts.connections)
	return wrkLoad{path: path, threads: threads, connections: opts.connections, version: toolVersion(path, "-v")}, nil
}

// startBenchSetups starts every requested setup, skipping nginx, HAProxy and Caddy when they
// are not installed. It returns the setups it started even with an error, for the caller to stop.
func startBenchSetups(ctx context.Context, env benchEnv, opts benchProxyOptions, progress io.Writer) ([]*benchSetup, error) {
	binaries := map[string]string{"nginx": opts.nginx, "haproxy": opts.haproxy, "caddy": opts.caddy}
	var setups []*benchSetup
	for _, name := range opts.setups {
		binary := ""
		if b, ok := binaries[name]; ok {
			path, err := exec.LookPath(b)
			if err != nil {
				fmt.Fprintf(progress, "%s: not installed (%v), skipped\n", name, err)
				continue
			}
			binary = path
		}
		s, err := startBenchSetup(ctx, env, name, binary)
		if err != nil {
			return setups, fmt.Errorf("setup %s: %w", name, err)
		}
		fmt.Fprintf(progress, "%-8s %s at %s\n", name, s.label, s.url)
		setups = append(setups, s)
	}
	for _, c := range opts.compare {
		label, binary, _ := strings.Cut(c, "=")
		path, err := exec.LookPath(binary)
		if err != nil {
			return setups, fmt.Errorf("--compare %s: %w", c, err)
		}
		s, err := startCompareSetup(ctx, env, label, path)
		if err != nil {
			return setups, fmt.Errorf("setup %s: %w", label, err)
		}
		fmt.Fprintf(progress, "%-8s %s at %s\n", label, s.label, s.url)
		setups = append(setups, s)
	}
	return setups, nil
}

// benchTarget is a target server in its own process.
type benchTarget struct {
	*benchProc
	addr string
}

// startBenchTargets starts the two targets. It returns those it started even with an error,
// for the caller to stop.
func startBenchTargets(ctx context.Context, self selfExec) ([]benchTarget, error) {
	var targets []benchTarget
	for i := range 2 {
		addr, err := freeAddr()
		if err != nil {
			return targets, err
		}
		name := fmt.Sprintf("target-%d", i+1)
		p, err := startBenchProc(name, self("target", "--listen", addr, "--name", name))
		if err != nil {
			return targets, err
		}
		targets = append(targets, benchTarget{p, addr})
		if err := p.waitReady(ctx, "http://"+addr+"/"); err != nil {
			return targets, err
		}
	}
	return targets, nil
}
