package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Main is hello's command line: the flags, the environment (lookupEnv) and the writers are its
// only inputs. It returns the exit code. It handles SIGTERM and SIGINT itself (it drains on
// them), so ctx should not end on those signals: a ctx that ends closes the server at once.
func Main(ctx context.Context, args []string, lookupEnv func(string) (string, bool), stdout, stderr io.Writer) int {
	getenv := func(name string) string { v, _ := lookupEnv(name); return v }
	fs := flag.NewFlagSet("hello", flag.ContinueOnError)
	fs.SetOutput(stderr)
	healthcheck := fs.Bool("healthcheck", false, "probe /health of the hello on LISTEN_ADDR or 127.0.0.1:$PORT; exit 0 if healthy, 1 if not")
	timeout := fs.Duration("timeout", 5*time.Second, "with -healthcheck: how long to wait for the answer")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: hello [-healthcheck [-timeout D]]\n\nSettings come from the environment; see examples/hello/README.md.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *healthcheck {
		return runHealthcheck(ctx, getenv, *timeout, stderr)
	}

	cfg, err := loadConfig(getenv, inContainer(os.Getpid()))
	if err != nil {
		fmt.Fprintln(stderr, "hello:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stdout, nil))
	hostname, err := os.Hostname()
	if err != nil {
		hostname = "unknown"
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(signals)

	a := newApp(appConfig{
		Version:        cfg.Version,
		Hostname:       hostname,
		PID:            os.Getpid(),
		UnhealthyAfter: cfg.UnhealthyAfter,
		FailHealthFile: cfg.FailHealthFile,
		FailRequests:   cfg.FailRequests,
		LookupEnv:      lookupEnv,
	}, logger)
	s := &server{cfg: cfg, app: a, logger: logger, signals: signals}
	if err := s.Run(ctx); err != nil {
		logger.Error("hello failed", "err", err)
		return 1
	}
	return 0
}

// runHealthcheck is "hello -healthcheck".
func runHealthcheck(ctx context.Context, getenv func(string) string, timeout time.Duration, stderr io.Writer) int {
	addr, err := listenAddr(getenv, inContainer(os.Getpid()))
	if err != nil {
		fmt.Fprintln(stderr, "hello -healthcheck:", err)
		return 1
	}
	if err := probe(ctx, addr, timeout); err != nil {
		fmt.Fprintln(stderr, "hello -healthcheck:", err)
		return 1
	}
	return 0
}
