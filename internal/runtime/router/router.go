package router

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Driver names the rule knows, and the dockerLabel that picks one.
const (
	Process = "process"
	Docker  = "docker"
	// Label is the dockerLabel with which a container definition picks its task's driver.
	Label = "fargo.driver"
	// Auto is the mode in which the rule picks a driver per task.
	Auto = "auto"
)

// Config configures the router. Its zero value works.
type Config struct {
	// Mode is Auto (the default: the rule decides), or the name of the driver that runs every
	// task without a fargo.driver label.
	Mode string
	// LookPath finds host executables for the rule; exec.LookPath when nil.
	LookPath func(file string) (string, error)
}

// Driver routes calls to the drivers it was given.
type Driver struct {
	cfg     Config
	log     *slog.Logger
	drivers []runtime.Driver

	mu    sync.Mutex
	known map[string]runtime.Driver // container ID → its driver
}

var _ runtime.Driver = (*Driver)(nil)

// New returns a router over drivers, whose names must differ.
func New(cfg Config, log *slog.Logger, drivers ...runtime.Driver) (*Driver, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Mode == "" {
		cfg.Mode = Auto
	}
	if cfg.LookPath == nil {
		cfg.LookPath = exec.LookPath
	}
	names := map[string]bool{}
	for _, d := range drivers {
		if names[d.Name()] {
			return nil, errdefs.InvalidArgument("router: two drivers named %q", d.Name())
		}
		names[d.Name()] = true
	}
	if len(drivers) == 0 {
		return nil, errdefs.InvalidArgument("router: no driver")
	}
	if cfg.Mode != Auto && !names[cfg.Mode] {
		return nil, errdefs.InvalidArgument("router: mode %q names no driver of the router", cfg.Mode)
	}
	return &Driver{cfg: cfg, log: log, drivers: drivers, known: map[string]runtime.Driver{}}, nil
}

// Name returns "router".
func (r *Driver) Name() string { return "router" }

// ChooseDriver returns the name of the driver that runs a task of these containers.
func (r *Driver) ChooseDriver(specs []runtime.ContainerSpec) (string, error) {
	return Choose(specs, r.cfg.Mode, r.cfg.LookPath)
}

// Choose is the rule of the package documentation: the driver for a task of specs in mode.
func Choose(specs []runtime.ContainerSpec, mode string, lookPath func(string) (string, error)) (string, error) {
	labelled, by := "", ""
	for _, s := range specs {
		want, ok := s.DockerLabels[Label]
		if !ok {
			continue
		}
		if want != Process && want != Docker {
			return "", errdefs.InvalidArgument("container %s: dockerLabel %s=%q: want %s or %s", s.Name, Label, want, Process, Docker)
		}
		if labelled != "" && want != labelled {
			return "", errdefs.InvalidArgument("containers %s and %s ask for different drivers (%s and %s); a task runs on one", by, s.Name, labelled, want)
		}
		labelled, by = want, s.Name
	}
	switch {
	case labelled != "":
		return labelled, nil
	case mode != "" && mode != Auto:
		return mode, nil
	}
	for _, s := range specs {
		if !hostCommand(s, lookPath) {
			return Docker, nil
		}
	}
	return Process, nil
}

// hostCommand reports whether a container looks like a host command: an image with no
// registry path, and a first word that is an executable of the host.
func hostCommand(s runtime.ContainerSpec, lookPath func(string) (string, error)) bool {
	argv := append(append([]string(nil), s.EntryPoint...), s.Command...)
	if strings.Contains(s.Image, "/") || len(argv) == 0 || argv[0] == "" {
		return false
	}
	if strings.Contains(argv[0], "/") {
		fi, err := os.Stat(argv[0])
		return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
	}
	_, err := lookPath(argv[0])
	return err == nil
}

func (r *Driver) byName(name string) runtime.Driver {
	for _, d := range r.drivers {
		if d.Name() == name {
			return d
		}
	}
	return nil
}

// Start starts the container on the driver its spec names, or that the rule picks for it alone.
func (r *Driver) Start(ctx context.Context, spec runtime.ContainerSpec) (runtime.Status, error) {
	name := spec.Driver
	if name == "" {
		var err error
		if name, err = r.ChooseDriver([]runtime.ContainerSpec{spec}); err != nil {
			return runtime.Status{}, err
		}
	}
	d := r.byName(name)
	if d == nil {
		return runtime.Status{}, errdefs.FailedPrecondition("the task needs the %s driver, which this server does not run (see fargo server --driver)", name)
	}
	st, err := d.Start(ctx, spec)
	if !errors.Is(err, errdefs.ErrUnavailable) { // a failed start is the driver's to report, too
		r.remember(spec.ID, d)
	}
	return st, err
}

func (r *Driver) remember(id string, d runtime.Driver) {
	r.mu.Lock()
	r.known[id] = d
	r.mu.Unlock()
}

func (r *Driver) forget(id string) {
	r.mu.Lock()
	delete(r.known, id)
	r.mu.Unlock()
}

// find returns the driver that knows container id. A driver that is unavailable counts as not
// knowing it: otherwise no task could start on the process driver while Docker is down (the
// agent inspects a container before it starts it). Containers started or listed since this
// router was made are remembered, and keep their driver's errors.
func (r *Driver) find(ctx context.Context, id string) (runtime.Driver, error) {
	r.mu.Lock()
	d, ok := r.known[id]
	r.mu.Unlock()
	if ok {
		return d, nil
	}
	var firstErr error
	for _, d := range r.drivers {
		_, err := d.Inspect(ctx, id)
		if err == nil {
			r.remember(id, d)
			return d, nil
		}
		if errors.Is(err, errdefs.ErrUnavailable) {
			r.log.Debug("a driver is unavailable", "driver", d.Name(), "id", id, "err", err)
			continue
		}
		if !errors.Is(err, errdefs.ErrNotFound) && firstErr == nil {
			firstErr = err
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, errdefs.NotFound("container %q", id)
}

// Inspect asks the container's driver.
func (r *Driver) Inspect(ctx context.Context, id string) (runtime.Status, error) {
	d, err := r.find(ctx, id)
	if err != nil {
		return runtime.Status{}, err
	}
	st, err := d.Inspect(ctx, id)
	if errors.Is(err, errdefs.ErrNotFound) {
		r.forget(id)
	}
	return st, err
}

// Wait asks the container's driver.
func (r *Driver) Wait(ctx context.Context, id string) (runtime.Status, error) {
	d, err := r.find(ctx, id)
	if err != nil {
		return runtime.Status{}, err
	}
	return d.Wait(ctx, id)
}

// Stop asks the container's driver.
func (r *Driver) Stop(ctx context.Context, id string, grace time.Duration) error {
	d, err := r.find(ctx, id)
	if err != nil {
		return err
	}
	return d.Stop(ctx, id, grace)
}

// Remove asks the container's driver, and forgets the container.
func (r *Driver) Remove(ctx context.Context, id string) error {
	d, err := r.find(ctx, id)
	if err != nil {
		return err
	}
	err = d.Remove(ctx, id)
	if err == nil || errors.Is(err, errdefs.ErrNotFound) {
		r.forget(id)
	}
	return err
}

// Exec asks the container's driver.
func (r *Driver) Exec(ctx context.Context, id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	d, err := r.find(ctx, id)
	if err != nil {
		return runtime.ExecResult{}, err
	}
	return d.Exec(ctx, id, cmd, timeout)
}

// Logs asks the container's driver.
func (r *Driver) Logs(ctx context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error) {
	d, err := r.find(ctx, id)
	if err != nil {
		return nil, err
	}
	return d.Logs(ctx, id, opts)
}

// List merges the drivers' lists, sorted by ID. A driver that is unavailable (no Docker engine
// answers) is left out, so that the others' containers are still managed.
func (r *Driver) List(ctx context.Context) ([]runtime.Status, error) {
	var all []runtime.Status
	for _, d := range r.drivers {
		list, err := d.List(ctx)
		if errors.Is(err, errdefs.ErrUnavailable) {
			r.log.Debug("a driver is unavailable; its containers are not listed", "driver", d.Name(), "err", err)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s driver: %w", d.Name(), err)
		}
		for _, st := range list {
			r.remember(st.ID, d)
		}
		all = append(all, list...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}
