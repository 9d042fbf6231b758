package docker

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Start pulls the image, creates the container in its network and starts it.
func (d *Driver) Start(ctx context.Context, spec runtime.ContainerSpec) (runtime.Status, error) {
	if spec.ID == "" {
		return runtime.Status{}, errdefs.InvalidArgument("container id is empty")
	}
	if _, ok := d.failedStart(spec.ID); ok {
		return runtime.Status{}, errdefs.AlreadyExists("container %q", spec.ID)
	}
	if _, err := d.inspect(ctx, spec.ID); err == nil {
		return runtime.Status{}, errdefs.AlreadyExists("container %q", spec.ID)
	} else if !errors.Is(err, errdefs.ErrNotFound) {
		return runtime.Status{}, err
	}
	plan, err := d.prepare(ctx, spec)
	if err != nil {
		if errors.Is(err, errdefs.ErrUnavailable) || ctx.Err() != nil {
			return runtime.Status{}, fmt.Errorf("start container %q: %w", spec.ID, err)
		}
		return d.recordFailure(spec, err), fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	created, err := d.engine.ContainerCreate(ctx, plan.options)
	if cerrdefs.IsConflict(err) {
		return runtime.Status{}, errdefs.AlreadyExists("container %q", spec.ID)
	}
	if err != nil {
		err = d.engineErr(err, "create container %q", spec.ID)
		if errors.Is(err, errdefs.ErrUnavailable) || ctx.Err() != nil {
			return runtime.Status{}, err
		}
		return d.recordFailure(spec, err), err
	}
	for _, w := range created.Warnings {
		d.log.Warn("engine warning on create", "id", spec.ID, "warning", w)
	}
	if err := d.startCreated(ctx, created.ID); err != nil {
		st, ierr := d.Inspect(ctx, spec.ID)
		if ierr == nil && st.Error == "" && st.State != runtime.StateRunning {
			// The engine keeps the reason of a failed start; when it did not, say it here.
			st.State, st.ExitCode, st.Error = runtime.StateExited, -1, err.Error()
		}
		return st, fmt.Errorf("start container %q: %w", spec.ID, errdefs.InvalidArgument("%v", err))
	}
	return d.Inspect(ctx, spec.ID)
}

// ambiguousNetworkWait bounds how long a start waits for a duplicate network to go.
const ambiguousNetworkWait = 10 * time.Second

// startCreated starts a created container. Engines before API 1.44 let two drivers that
// create the awsvpc network at one moment create one each; the loser removes its own at once
// (ensureNetwork), but until then the engine refuses to start a container on a network whose
// name is ambiguous, even one created with the network's id. Such a start is tried again.
func (d *Driver) startCreated(ctx context.Context, id string) error {
	deadline := time.Now().Add(ambiguousNetworkWait)
	for {
		_, err := d.engine.ContainerStart(ctx, id, client.ContainerStartOptions{})
		if err == nil || !strings.Contains(err.Error(), "is ambiguous") || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// recordFailure remembers a start that failed before the engine had a container, so that
// Inspect, Wait and List report it exited with the reason.
func (d *Driver) recordFailure(spec runtime.ContainerSpec, err error) runtime.Status {
	reason := errdefs.Message(err)
	var pe *runtime.PullError
	if errors.As(err, &pe) {
		reason = pe.Error()
	}
	now := time.Now()
	st := runtime.Status{
		ID: spec.ID, TaskID: spec.TaskID, Name: spec.Name, State: runtime.StateExited,
		ExitCode: -1, Error: reason, FinishedAt: now, Labels: spec.Labels,
	}
	d.mu.Lock()
	d.failed[spec.ID] = st
	d.mu.Unlock()
	return st
}

// plan is everything Start sends to the engine.
type plan struct {
	options client.ContainerCreateOptions
}

// prepare pulls the image, reads the environment files and joins the task's network.
func (d *Driver) prepare(ctx context.Context, spec runtime.ContainerSpec) (plan, error) {
	if spec.Image == "" {
		return plan{}, errdefs.InvalidArgument("container %q has no image", spec.ID)
	}
	fromFiles, err := runtime.ReadEnvironmentFiles(spec.EnvironmentFiles)
	if err != nil {
		return plan{}, err
	}
	digest, err := d.pull(ctx, spec.Image, spec.RegistryAuth)
	if err != nil {
		return plan{}, err
	}
	net, err := d.network(ctx, spec)
	if err != nil {
		return plan{}, err
	}
	opts, err := createOptions(spec, fromFiles, net, d.cfg.Scope, d.cfg.BindIP)
	if err != nil {
		return plan{}, err
	}
	opts.Name = d.engineName(spec.ID)
	opts.Config.Labels[labelImageDigest] = digest
	return plan{options: opts}, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}
