package embedetcd

import (
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The defaults of Config.
const (
	DefaultName                = "fargo"
	DefaultStartTimeout        = 30 * time.Second
	DefaultCompactionRetention = time.Hour
)

// Config describes the member. Dir is required; every other zero value means its default.
type Config struct {
	// Dir is the data directory. It is created (mode 0700) if missing, and a member restarted on
	// the same Dir keeps its data. Only one member at a time may use a Dir.
	Dir string
	// Name is the member name; default DefaultName.
	Name string
	// StartTimeout bounds how long Start waits for the member to serve; default
	// DefaultStartTimeout.
	StartTimeout time.Duration
	// CompactionRetention is how much history etcd keeps before compacting older revisions, so
	// that its database stops growing; default DefaultCompactionRetention. A watch that resumes
	// from a compacted revision gets kv.ErrCompacted and lists again.
	CompactionRetention time.Duration
	// Logger receives etcd's warnings and errors; default none.
	Logger *slog.Logger
	// ClientSocket, when set, is the absolute path of a unix socket on which the member also
	// serves clients, so that another process of this machine (the data plane) can use the
	// store. Keep it in a directory only the owner can enter: the socket has no other guard.
	ClientSocket string
}

// Validate reports whether c can start a member.
func (c Config) Validate() error {
	switch {
	case c.Dir == "":
		return errdefs.InvalidArgument("embedetcd: data directory is required")
	case strings.ContainsAny(c.Name, "=,"):
		// The name is spliced into etcd's initial-cluster string, which these characters split.
		return errdefs.InvalidArgument("embedetcd: member name %q contains '=' or ','", c.Name)
	case c.StartTimeout < 0:
		return errdefs.InvalidArgument("embedetcd: start timeout %s is negative", c.StartTimeout)
	case c.ClientSocket != "" && !filepath.IsAbs(c.ClientSocket):
		return errdefs.InvalidArgument("embedetcd: client socket %q is not an absolute path", c.ClientSocket)
	case c.CompactionRetention < 0:
		return errdefs.InvalidArgument("embedetcd: compaction retention %s is negative", c.CompactionRetention)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = DefaultName
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = DefaultStartTimeout
	}
	if c.CompactionRetention == 0 {
		c.CompactionRetention = DefaultCompactionRetention
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
