package runtime

import (
	"context"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// ContainerSpec is everything a driver needs to start one container of a task.
type ContainerSpec struct {
	// ID is unique on the node and stable across restarts: "<task id>-<container name>".
	ID string
	// TaskID and Name are the container's task and its name in the task definition.
	TaskID string
	Name   string
	Image  string
	// EntryPoint and Command are the task definition's (after overrides); the process driver
	// runs EntryPoint followed by Command, or Command alone.
	EntryPoint []string
	Command    []string
	// Environment holds the container's variables (task definition, overrides, and those the
	// agent adds such as ECS_CONTAINER_METADATA_URI_V4), in order; later entries win.
	Environment []EnvVar
	// EnvironmentFiles are local paths of KEY=VALUE files, read at start; Environment wins.
	EnvironmentFiles []string
	WorkingDirectory string
	User             string
	// PortMappings are the container ports to expose; the driver picks a free host port for
	// each one whose HostPort is 0.
	PortMappings []PortMapping
	// CPU is in CPU units (1024 = one core), Memory and MemoryReservation in MiB; 0 = no limit.
	CPU               int
	Memory            int
	MemoryReservation int
	// Labels are kept with the container and returned by List (task ARN, cluster, ...).
	Labels map[string]string

	// Driver names the driver that must run the container ("process", "docker"); empty lets a
	// routing driver choose from this container alone. The agent chooses once per task, so that
	// all containers of a task run on one driver.
	Driver string
	// NetworkMode is the task definition's: "awsvpc" (the default when empty), "bridge",
	// "host" or "none". The process driver runs every container on the host and ignores it.
	NetworkMode string
	// StopTimeout is the container's grace between SIGTERM and SIGKILL, kept with the container
	// for whoever stops it outside fargo; 0 leaves the driver's default. The agent passes the
	// grace to Stop as well.
	StopTimeout time.Duration
	// Ulimits, ReadonlyRootFilesystem, InitProcessEnabled and DockerLabels are the task
	// definition's; drivers that cannot honour them ignore them (the process driver does).
	Ulimits                []Ulimit
	ReadonlyRootFilesystem bool
	InitProcessEnabled     bool
	DockerLabels           map[string]string
	// RegistryAuth, when set, is used to pull Image. Drivers never store it.
	RegistryAuth *RegistryAuth
}

// Ulimit is one resource limit of the container's processes (ECS's ulimits: "nofile", ...).
type Ulimit struct {
	Name string
	Soft int64
	Hard int64
}

// RegistryAuth are the credentials of the registry an image is pulled from.
type RegistryAuth struct {
	Username string
	Password string
	// ServerAddress is the registry's host[:port], as in the image name.
	ServerAddress string
}

// PullError is the error of a Start whose image could not be pulled; ECS reports it as
// "CannotPullContainerError: <Message>".
type PullError struct {
	Image string
	// Message is the registry's or engine's explanation.
	Message string
}

func (e *PullError) Error() string { return "pull " + e.Image + ": " + e.Message }

// EnvVar is one environment variable.
type EnvVar struct {
	Name  string
	Value string
}

// PortMapping is a container port and, after start, the host port it is reachable on.
type PortMapping struct {
	ContainerPort int
	HostPort      int
	// Protocol is "tcp" or "udp".
	Protocol string
}

// State is what a driver knows about a container.
type State string

// Container states.
const (
	StateCreated State = "created" // known, not started yet (or failed to start)
	StateRunning State = "running"
	StateExited  State = "exited"
)

// Status is a container as the driver sees it now.
type Status struct {
	ID     string
	TaskID string
	Name   string
	State  State
	// PID is the container's main process on the host, 0 when not running (or unknown).
	PID int
	// ExitCode is valid when State is StateExited; -1 if the driver could not learn it.
	ExitCode int
	// Error says why a container could not start (StateExited with no process ever run).
	Error      string
	StartedAt  time.Time
	FinishedAt time.Time
	// Ports are the port mappings with the host ports actually bound.
	Ports []PortMapping
	// HostIP is the address the host ports are bound on.
	HostIP string
	Labels map[string]string
	// RuntimeID is the container's id in its runtime (the Docker container id); empty when it
	// has none besides ID.
	RuntimeID string
	// ImageDigest is the digest of the image the container runs, when the driver knows it.
	ImageDigest string
}

// LogOptions select a part of a container's output.
type LogOptions struct {
	// Since skips lines written before it; zero means from the start.
	Since time.Time
	// Tail, when > 0, starts with the last Tail lines.
	Tail int
	// Follow keeps the reader open and streams new lines until ctx ends or the container's
	// log is removed.
	Follow bool
}

// LogLine is one line of a container's output.
type LogLine struct {
	Time   time.Time
	Stream string // "stdout" or "stderr"
	Text   string
}

// ExecResult is the outcome of a command run inside a running container.
type ExecResult struct {
	ExitCode int
	Output   string // combined output, truncated to a few KiB
}

// Driver runs containers on this node. Methods are safe for concurrent use. An unknown
// container ID gives an error of kind errdefs.ErrNotFound.
type Driver interface {
	// Name is the driver's name ("process", "docker", "fake").
	Name() string
	// Start creates and starts a container. It returns when the container runs (or failed to
	// start: then the error says why and Inspect reports StateExited with Error set). Starting
	// an ID that exists is an error of kind errdefs.ErrAlreadyExists.
	Start(ctx context.Context, spec ContainerSpec) (Status, error)
	// Inspect returns the container's current status.
	Inspect(ctx context.Context, id string) (Status, error)
	// Wait blocks until the container exited (or ctx ends) and returns its final status.
	Wait(ctx context.Context, id string) (Status, error)
	// Stop asks the container to stop (SIGTERM to its process group, or the image's stop
	// signal) and kills it (SIGKILL) if it still runs after grace. It returns once the
	// container exited. Stopping an exited container does nothing.
	Stop(ctx context.Context, id string, grace time.Duration) error
	// Remove forgets an exited container and deletes what the driver kept for it (its logs
	// included). Removing a running container is an error of kind errdefs.ErrFailedPrecondition.
	Remove(ctx context.Context, id string) error
	// List returns every container the driver knows on this node, including those a previous
	// process started, so the agent can re-adopt them or stop the ones it no longer tracks.
	List(ctx context.Context) ([]Status, error)
	// Exec runs cmd inside the running container with a timeout; for health checks.
	// ["CMD-SHELL", "..."] runs through the container's shell, ["CMD", args...] and a bare argv
	// run args. A command still running after timeout is killed and the error wraps
	// context.DeadlineExceeded; a container that is not running gives ErrFailedPrecondition.
	Exec(ctx context.Context, id string, cmd []string, timeout time.Duration) (ExecResult, error)
	// Logs returns the container's output from its start, as selected by opts.
	Logs(ctx context.Context, id string, opts LogOptions) (LogReader, error)
}

// LogReader yields log lines. Next returns io.EOF at the end (never, while following, until
// ctx ends).
type LogReader interface {
	Next(ctx context.Context) (LogLine, error)
	io.Closer
}

// ReadEnvironmentFiles reads the KEY=VALUE lines of files, in order, as ECS reads
// environmentFiles: blank lines and lines starting with # are skipped, the value is everything
// after the first "=", and a later file wins over an earlier one. Every driver uses it so that
// the files mean the same on every node.
func ReadEnvironmentFiles(files []string) ([]EnvVar, error) {
	var vars []EnvVar
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, errdefs.InvalidArgument("environment file: %v", err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSuffix(line, "\r")
			trimmed := strings.TrimSpace(line)
			if trimmed == "" || strings.HasPrefix(trimmed, "#") {
				continue
			}
			key, value, ok := strings.Cut(line, "=")
			key = strings.TrimSpace(key)
			if !ok || key == "" {
				return nil, errdefs.InvalidArgument("environment file %s, line %d: want KEY=VALUE", name, i+1)
			}
			vars = append(vars, EnvVar{Name: key, Value: value})
		}
	}
	return vars, nil
}
