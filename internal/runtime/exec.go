package runtime

import (
	"bytes"
	"strings"
	"sync"

	"github.com/fargohq/fargo/internal/errdefs"
)

// ExecArgv turns a health-check command into a command line, the same on every driver:
// ["CMD-SHELL", s...] runs s (its words joined by spaces) with /bin/sh -c, ["CMD", args...]
// and a bare command line run as they are, and ["NONE"] or an empty command is refused.
func ExecArgv(cmd []string) ([]string, error) {
	if len(cmd) > 0 {
		switch cmd[0] {
		case "CMD-SHELL":
			if len(cmd) < 2 {
				return nil, errdefs.InvalidArgument("exec %q: no command", cmd)
			}
			return []string{"/bin/sh", "-c", strings.Join(cmd[1:], " ")}, nil
		case "CMD":
			cmd = cmd[1:]
		case "NONE":
			return nil, errdefs.InvalidArgument("exec %q: nothing to run", cmd)
		}
	}
	if len(cmd) == 0 || cmd[0] == "" {
		return nil, errdefs.InvalidArgument("exec %q: no command", cmd)
	}
	return cmd, nil
}

// CappedBuffer keeps the first Max bytes written to it and drops the rest, so that a chatty
// health check cannot make a driver buffer without limit. It is safe for concurrent writes.
type CappedBuffer struct {
	Max int

	mu  sync.Mutex
	buf bytes.Buffer
}

// Write keeps what fits under Max and reports every byte written.
func (b *CappedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := b.Max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// String returns what was kept.
func (b *CappedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
