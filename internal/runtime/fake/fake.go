package fake

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
)

// Exit codes of stopped containers, as Docker reports them.
const (
	exitTerm = 128 + 15
	exitKill = 128 + 9
)

// Config configures a fake driver. The zero value works: every container runs until stopped.
type Config struct {
	// Scripts are the scripts of images, by image name.
	Scripts map[string]Script
	// ScriptFor, when set, chooses each container's script; when it returns false, Scripts
	// decides.
	ScriptFor func(runtime.ContainerSpec) (Script, bool)
	// State holds the containers. Drivers that share one see the same containers. Nil means a
	// State of the driver's own.
	State *State
	// BindIP is the address of host ports. Default 127.0.0.1.
	BindIP string
}

// State is the containers of one fake node.
type State struct {
	mu         sync.Mutex
	containers map[string]*container
	nextPID    int
	nextPort   int
}

// NewState returns an empty node.
func NewState() *State {
	return &State{containers: map[string]*container{}, nextPID: 1000, nextPort: 20000}
}

// Driver is the fake runtime driver.
type Driver struct {
	cfg   Config
	state *State
}

var _ runtime.Driver = (*Driver)(nil)

// New returns a fake driver.
func New(cfg Config) *Driver {
	if cfg.State == nil {
		cfg.State = NewState()
	}
	cfg.BindIP = cmp.Or(cfg.BindIP, "127.0.0.1")
	return &Driver{cfg: cfg, state: cfg.State}
}

// Name returns "fake".
func (d *Driver) Name() string { return "fake" }

func (d *Driver) scriptFor(spec runtime.ContainerSpec) Script {
	if d.cfg.ScriptFor != nil {
		if s, ok := d.cfg.ScriptFor(spec); ok {
			return s
		}
	}
	return d.cfg.Scripts[spec.Image]
}

// Start creates the container and starts it at once, or records its failure to start.
func (d *Driver) Start(_ context.Context, spec runtime.ContainerSpec) (runtime.Status, error) {
	if spec.ID == "" {
		return runtime.Status{}, errdefs.InvalidArgument("container id is empty")
	}
	script := d.scriptFor(spec)
	now := time.Now()
	c := &container{
		status: runtime.Status{
			ID: spec.ID, TaskID: spec.TaskID, Name: spec.Name, HostIP: d.cfg.BindIP,
			Labels: maps(spec.Labels), StartedAt: now,
		},
		script:   script,
		startErr: script.StartError,
	}
	if script.ExitAfter > 0 {
		c.exitAt, c.exitCode = now.Add(script.ExitAfter), script.ExitCode
	}
	ports, err := c.listen(d.cfg.BindIP, spec.PortMappings)
	if err != nil {
		return runtime.Status{}, fmt.Errorf("start container %q: %w", spec.ID, err)
	}
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.containers[spec.ID]; ok {
		c.closeListeners()
		return runtime.Status{}, errdefs.AlreadyExists("container %q", spec.ID)
	}
	for i, p := range ports {
		if p.HostPort == 0 {
			ports[i].HostPort = s.port()
		}
	}
	c.status.Ports = ports
	if c.startErr == "" {
		if c.lines, err = outputLines(spec, script, ports, d.cfg.BindIP, now); err != nil {
			c.startErr = err.Error()
		}
	}
	if c.startErr == "" {
		s.nextPID++
		c.status.PID = s.nextPID
		c.scheduleClose(now)
	} else {
		c.closeListeners()
		c.status.StartedAt = time.Time{}
		c.status.FinishedAt = now
	}
	s.containers[spec.ID] = c
	st := c.statusAt(now)
	if c.startErr != "" {
		return st, errdefs.InvalidArgument("start container %q: %s", spec.ID, c.startErr)
	}
	return st, nil
}

// port returns the next fake host port. The caller holds s.mu.
func (s *State) port() int {
	s.nextPort++
	if s.nextPort > 60999 {
		s.nextPort = 20001
	}
	return s.nextPort
}

// outputLines expands the script's output for this container.
func outputLines(spec runtime.ContainerSpec, script Script, ports []runtime.PortMapping, hostIP string, start time.Time) ([]runtime.LogLine, error) {
	fromFiles, err := runtime.ReadEnvironmentFiles(spec.EnvironmentFiles)
	if err != nil {
		return nil, err
	}
	if len(script.Output) == 0 {
		return nil, nil
	}
	env := map[string]string{"PWD": cmp.Or(spec.WorkingDirectory, "/")}
	for _, v := range append(fromFiles, spec.Environment...) {
		env[v.Name] = v.Value
	}
	for i, p := range ports {
		if i == 0 {
			env["PORT"] = strconv.Itoa(p.HostPort)
		}
		env["FARGO_PORT_"+strconv.Itoa(p.ContainerPort)] = strconv.Itoa(p.HostPort)
	}
	if len(ports) > 0 {
		env["FARGO_HOST_IP"] = hostIP
	}
	lines := make([]runtime.LogLine, 0, len(script.Output))
	for _, l := range script.Output {
		text := l.Text
		if strings.Contains(text, "$") {
			text = os.Expand(text, func(name string) string { return env[name] })
		}
		lines = append(lines, runtime.LogLine{Time: start.Add(l.After), Stream: cmp.Or(l.Stream, "stdout"), Text: text})
	}
	slices.SortStableFunc(lines, func(a, b runtime.LogLine) int { return a.Time.Compare(b.Time) })
	return lines, nil
}

func maps(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// get returns container id. The caller holds s.mu.
func (s *State) get(id string) (*container, error) {
	c, ok := s.containers[id]
	if !ok {
		return nil, errdefs.NotFound("container %q", id)
	}
	return c, nil
}

// Inspect returns the container's status now.
func (d *Driver) Inspect(_ context.Context, id string) (runtime.Status, error) {
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.get(id)
	if err != nil {
		return runtime.Status{}, err
	}
	return c.statusAt(time.Now()), nil
}

// List returns every container, sorted by ID.
func (d *Driver) List(_ context.Context) ([]runtime.Status, error) {
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	all := make([]runtime.Status, 0, len(s.containers))
	for _, c := range s.containers {
		all = append(all, c.statusAt(now))
	}
	slices.SortFunc(all, func(a, b runtime.Status) int { return strings.Compare(a.ID, b.ID) })
	return all, nil
}

// Wait blocks until the container exited.
func (d *Driver) Wait(ctx context.Context, id string) (runtime.Status, error) {
	s := d.state
	for {
		s.mu.Lock()
		c, err := s.get(id)
		if err != nil {
			s.mu.Unlock()
			return runtime.Status{}, err
		}
		now := time.Now()
		st := c.statusAt(now)
		if st.State == runtime.StateExited {
			s.mu.Unlock()
			return st, nil
		}
		exitAt, changed := c.exitAt, c.changedChan()
		s.mu.Unlock()
		if err := sleepUntil(ctx, exitAt, changed); err != nil {
			return st, err
		}
	}
}

// Stop sends the stop signal: the container exits now, or when its script stops ignoring it,
// or with SIGKILL after grace, whichever comes first. It returns once the container exited.
func (d *Driver) Stop(ctx context.Context, id string, grace time.Duration) error {
	s := d.state
	s.mu.Lock()
	c, err := s.get(id)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	now := time.Now()
	if c.exited(now) {
		s.mu.Unlock()
		return nil
	}
	at, code := now.Add(c.script.IgnoreStop), exitTerm
	if kill := now.Add(max(grace, 0)); kill.Before(at) {
		at, code = kill, exitKill
	}
	if c.exitAt.IsZero() || at.Before(c.exitAt) {
		c.setExit(now, at, code)
	}
	at = c.exitAt
	s.mu.Unlock()
	return sleepUntil(ctx, at, nil)
}

// Exit makes a running container exit now with code, as if it crashed or finished.
func (d *Driver) Exit(id string, code int) error {
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.get(id)
	if err != nil {
		return err
	}
	now := time.Now()
	if !c.exited(now) {
		c.setExit(now, now, code)
	}
	return nil
}

// Remove forgets an exited container.
func (d *Driver) Remove(_ context.Context, id string) error {
	s := d.state
	s.mu.Lock()
	defer s.mu.Unlock()
	c, err := s.get(id)
	if err != nil {
		return err
	}
	if !c.exited(time.Now()) {
		return errdefs.FailedPrecondition("container %q is running; stop it first", id)
	}
	delete(s.containers, id)
	c.removed = true
	c.notify()
	return nil
}

// Exec answers with the script's Exec, or with its health: 0, or 1 once UnhealthyAfter passed.
func (d *Driver) Exec(ctx context.Context, id string, cmd []string, timeout time.Duration) (runtime.ExecResult, error) {
	s := d.state
	s.mu.Lock()
	c, err := s.get(id)
	if err != nil {
		s.mu.Unlock()
		return runtime.ExecResult{}, err
	}
	now := time.Now()
	running := !c.exited(now)
	script, started := c.script, c.status.StartedAt
	s.mu.Unlock()
	if !running {
		return runtime.ExecResult{}, errdefs.FailedPrecondition("container %q is not running", id)
	}
	if script.Exec == nil {
		if script.UnhealthyAfter > 0 && !now.Before(started.Add(script.UnhealthyAfter)) {
			return runtime.ExecResult{ExitCode: 1, Output: "unhealthy"}, nil
		}
		return runtime.ExecResult{}, nil
	}
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if timeout > 0 {
		runCtx, cancel = context.WithTimeout(ctx, timeout)
	}
	defer cancel()
	res, err := script.Exec(runCtx, cmd)
	switch {
	case ctx.Err() != nil:
		return res, ctx.Err()
	case runCtx.Err() != nil:
		return runtime.ExecResult{ExitCode: -1, Output: res.Output}, fmt.Errorf("exec in container %q: still running after %v: %w", id, timeout, context.DeadlineExceeded)
	}
	return res, err
}

// sleepUntil waits until at (never, when zero), changed is closed or ctx ends.
func sleepUntil(ctx context.Context, at time.Time, changed <-chan struct{}) error {
	var timeout <-chan time.Time
	if !at.IsZero() {
		if !at.After(time.Now()) {
			return nil
		}
		t := time.NewTimer(time.Until(at))
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
		return nil
	case <-changed:
		return nil
	}
}
