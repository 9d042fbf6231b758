package docker

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"sort"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Driver runs containers through a Docker engine. The engine holds everything that must
// outlive fargo; the driver keeps in memory only the starts that failed before the engine had
// a container (a pull that failed), so that Inspect can say why.
type Driver struct {
	cfg    Config
	log    *slog.Logger
	engine *client.Client
	// prefix starts the engine name of every container of the scope.
	prefix string

	netMu sync.Mutex
	netID string // the awsvpc network, once known

	mu     sync.Mutex
	failed map[string]runtime.Status // starts that failed before a container existed
}

var _ runtime.Driver = (*Driver)(nil)

// New returns a Docker driver. It does not contact the engine: calls made while no engine
// answers fail with errors of kind errdefs.ErrUnavailable.
func New(cfg Config, log *slog.Logger) (*Driver, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts := []client.Opt{client.FromEnv}
	if cfg.Host != "" {
		opts = append(opts, client.WithHost(cfg.Host))
	}
	engine, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	sum := sha256.Sum256([]byte(cfg.Scope))
	return &Driver{
		cfg: cfg, log: log, engine: engine, prefix: "fargo-" + hex.EncodeToString(sum[:4]) + "-",
		failed: map[string]runtime.Status{},
	}, nil
}

// Name returns "docker".
func (d *Driver) Name() string { return "docker" }

// Close releases the engine connection.
func (d *Driver) Close() error { return d.engine.Close() }

// Ping reports whether the engine answers, and its API version.
func (d *Driver) Ping(ctx context.Context) (string, error) {
	res, err := d.engine.Ping(ctx, client.PingOptions{NegotiateAPIVersion: true})
	if err != nil {
		return "", d.engineErr(err, "ping")
	}
	return res.APIVersion, nil
}

// Labels the driver sets on every container.
const (
	labelScope       = "fargo.scope"
	labelID          = "fargo.id"
	labelTaskID      = "fargo.task-id"
	labelName        = "fargo.name"
	labelSpecLabels  = "fargo.labels"
	labelPorts       = "fargo.ports"
	labelNetworkMode = "fargo.network-mode"
	labelNetnsOwner  = "fargo.netns-owner"
	labelImageDigest = "fargo.image-digest"
)

// plainName is an ID that can be part of an engine name as it is.
var plainName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,200}$`)

// engineName is the engine's name of container id: readable when the id allows, else its hash.
func (d *Driver) engineName(id string) string {
	if plainName.MatchString(id) {
		return d.prefix + id
	}
	sum := sha256.Sum256([]byte(id))
	return d.prefix + hex.EncodeToString(sum[:16])
}

// engineErr gives an engine error its errdefs kind.
func (d *Driver) engineErr(err error, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	case client.IsErrConnectionFailed(err):
		return fmt.Errorf("%s: %w", what, errdefs.Unavailable("no Docker engine answers at %s: %v", d.engine.DaemonHost(), err))
	case cerrdefs.IsNotFound(err):
		return fmt.Errorf("%s: %w", what, errdefs.NotFound("%v", err))
	case cerrdefs.IsConflict(err):
		return fmt.Errorf("%s: %w", what, errdefs.FailedPrecondition("%v", err))
	case cerrdefs.IsInvalidArgument(err):
		return fmt.Errorf("%s: %w", what, errdefs.InvalidArgument("%v", err))
	}
	return fmt.Errorf("%s: %w", what, err)
}

// inspect returns the engine's view of container id, which must be of this driver's scope.
func (d *Driver) inspect(ctx context.Context, id string) (engineContainer, error) {
	res, err := d.engine.ContainerInspect(ctx, d.engineName(id), client.ContainerInspectOptions{})
	if err != nil {
		if cerrdefs.IsNotFound(err) {
			return engineContainer{}, errdefs.NotFound("container %q", id)
		}
		return engineContainer{}, d.engineErr(err, "inspect container %q", id)
	}
	c := engineContainer(res.Container)
	if c.Config == nil || c.State == nil || c.Config.Labels[labelScope] != d.cfg.Scope || c.Config.Labels[labelID] != id {
		return engineContainer{}, errdefs.NotFound("container %q", id)
	}
	return c, nil
}

// Inspect returns the container's status.
func (d *Driver) Inspect(ctx context.Context, id string) (runtime.Status, error) {
	if st, ok := d.failedStart(id); ok {
		return st, nil
	}
	c, err := d.inspect(ctx, id)
	if err != nil {
		return runtime.Status{}, err
	}
	return d.status(ctx, c), nil
}

func (d *Driver) failedStart(id string) (runtime.Status, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	st, ok := d.failed[id]
	return st, ok
}

// List returns the containers of the driver's scope, sorted by ID.
func (d *Driver) List(ctx context.Context) ([]runtime.Status, error) {
	res, err := d.engine.ContainerList(ctx, client.ContainerListOptions{
		All: true, Filters: client.Filters{}.Add("label", labelScope+"="+d.cfg.Scope),
	})
	if err != nil {
		return nil, d.engineErr(err, "list containers")
	}
	var all []runtime.Status
	for _, s := range res.Items {
		id := s.Labels[labelID]
		c, err := d.inspect(ctx, id)
		if errors.Is(err, errdefs.ErrNotFound) {
			continue // removed meanwhile
		}
		if err != nil {
			return nil, err
		}
		all = append(all, d.status(ctx, c))
	}
	d.mu.Lock()
	for _, st := range d.failed {
		all = append(all, st)
	}
	d.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
}

// Wait blocks until the container exited.
func (d *Driver) Wait(ctx context.Context, id string) (runtime.Status, error) {
	for delay := 50 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		st, err := d.Inspect(ctx, id)
		if err != nil || st.State == runtime.StateExited {
			return st, err
		}
		if st.State == runtime.StateRunning {
			res := d.engine.ContainerWait(ctx, d.engineName(id), client.ContainerWaitOptions{Condition: "not-running"})
			select {
			case <-res.Result:
				delay = 0
			case err := <-res.Error:
				if ctx.Err() != nil {
					return st, ctx.Err()
				}
				if !cerrdefs.IsNotFound(err) {
					d.log.Debug("wait for container", "id", id, "err", err)
				}
			}
		}
		// A created container that was not started yet; or the wait was cut short.
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// Stop sends the container's stop signal (SIGTERM unless the image says otherwise), SIGKILL
// after grace, and returns once the container exited.
func (d *Driver) Stop(ctx context.Context, id string, grace time.Duration) error {
	st, err := d.Inspect(ctx, id)
	if err != nil || st.State != runtime.StateRunning {
		return err
	}
	c, err := d.inspect(ctx, id)
	if err != nil {
		return err
	}
	signal := "SIGTERM"
	if c.Config.StopSignal != "" {
		signal = c.Config.StopSignal
	}
	if err := d.kill(ctx, id, signal); err != nil {
		return err
	}
	graceCtx, cancel := context.WithTimeout(ctx, grace)
	_, err = d.Wait(graceCtx, id)
	cancel()
	if err == nil || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err := d.kill(ctx, id, "SIGKILL"); err != nil {
		return err
	}
	_, err = d.Wait(ctx, id)
	return err
}

// kill sends signal to the container; one that is no longer running is not an error.
func (d *Driver) kill(ctx context.Context, id, signal string) error {
	_, err := d.engine.ContainerKill(ctx, d.engineName(id), client.ContainerKillOptions{Signal: signal})
	if err == nil || cerrdefs.IsConflict(err) {
		return nil
	}
	return d.engineErr(err, "signal container %q", id)
}

// Remove deletes an exited container and its logs.
func (d *Driver) Remove(ctx context.Context, id string) error {
	d.mu.Lock()
	_, failed := d.failed[id]
	delete(d.failed, id)
	d.mu.Unlock()
	if failed {
		return nil
	}
	st, err := d.Inspect(ctx, id)
	if err != nil {
		return err
	}
	if st.State == runtime.StateRunning {
		return errdefs.FailedPrecondition("container %q is running; stop it first", id)
	}
	_, err = d.engine.ContainerRemove(ctx, d.engineName(id), client.ContainerRemoveOptions{RemoveVolumes: true})
	if cerrdefs.IsNotFound(err) {
		return errdefs.NotFound("container %q", id)
	}
	return d.engineErr(err, "remove container %q", id)
}
