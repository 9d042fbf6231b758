package fake

import (
	"context"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// Script says how a fake container behaves. The zero Script runs until it is stopped, exits on
// SIGTERM, writes nothing and is healthy.
type Script struct {
	// Output is what the container writes, each line After the container's start. A Text may
	// use $NAME or ${NAME} for the container's environment variables (the port variables
	// PORT and FARGO_PORT_<containerPort> included) and $PWD for its working directory.
	Output []Line
	// ExitAfter, when positive, makes the container exit by itself with ExitCode that long
	// after its start.
	ExitAfter time.Duration
	ExitCode  int
	// StartError makes Start fail with this message.
	StartError string
	// UnhealthyAfter, when positive, makes Exec report exit code 1 from that long after the
	// start on (and 0 before).
	UnhealthyAfter time.Duration
	// IgnoreStop is how long the container ignores SIGTERM before it exits with 143; Stop's
	// grace ends it sooner, with SIGKILL (137).
	IgnoreStop time.Duration
	// Listen makes the container accept TCP connections on its host ports (real ones, on
	// Config.BindIP) while it runs. Without it host ports are numbers nobody listens on.
	Listen bool
	// Exec, when set, answers Exec instead of the health behaviour above. It gets a context
	// that ends at Exec's timeout.
	Exec func(ctx context.Context, cmd []string) (runtime.ExecResult, error)
}

// Line is one line of a Script's output.
type Line struct {
	After time.Duration
	// Stream is "stdout" (the default) or "stderr".
	Stream string
	Text   string
}
