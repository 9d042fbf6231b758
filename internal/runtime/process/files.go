package process

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/fargohq/fargo/internal/fsutil"
	"github.com/fargohq/fargo/internal/runtime"
)

// The files of a container's directory.
const (
	recordFile  = "container.json"
	stateFile   = "state.json"
	logFile     = "log"
	shimLogFile = "shim.log"
	workDir     = "work"
)

// formatVersion is the version of container.json and state.json.
const formatVersion = 1

// Container statuses in state.json.
const (
	statusStarting = "starting"
	statusRunning  = "running"
	statusExited   = "exited"
)

// record is container.json: how the container was started. The driver writes it once, before
// the shim runs; the shim reads its command line from it.
type record struct {
	Version   int               `json:"version"`
	ID        string            `json:"id"`
	TaskID    string            `json:"taskId,omitempty"`
	Name      string            `json:"name,omitempty"`
	Image     string            `json:"image,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	Ports     []port            `json:"ports,omitempty"`
	HostIP    string            `json:"hostIp"`
	CreatedAt time.Time         `json:"createdAt"`
	// Error is set when the driver refused to start the container (no shim ever ran).
	Error string `json:"error,omitempty"`

	Argv   []string    `json:"argv,omitempty"`
	Env    []string    `json:"env,omitempty"`
	Dir    string      `json:"dir,omitempty"`
	User   *credential `json:"user,omitempty"`
	Cgroup string      `json:"cgroup,omitempty"`

	LogMaxBytes int64    `json:"logMaxBytes"`
	LogMaxFiles int      `json:"logMaxFiles"`
	Shim        []string `json:"shim,omitempty"`
}

type port struct {
	ContainerPort int    `json:"containerPort"`
	HostPort      int    `json:"hostPort"`
	Protocol      string `json:"protocol"`
}

type credential struct {
	UID    uint32   `json:"uid"`
	GID    uint32   `json:"gid"`
	Groups []uint32 `json:"groups,omitempty"`
}

// state is state.json: what became of the container.
type state struct {
	Version int    `json:"version"`
	Status  string `json:"status"`
	// ShimPID and ShimStart identify the shim; PID and PIDStart the container's main process
	// (and its process group). The start times (clock ticks after boot, from /proc/<pid>/stat)
	// tell a live process from a later one that reuses the pid.
	ShimPID    int       `json:"shimPid,omitempty"`
	ShimStart  uint64    `json:"shimStart,omitempty"`
	PID        int       `json:"pid,omitempty"`
	PIDStart   uint64    `json:"pidStart,omitempty"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	FinishedAt time.Time `json:"finishedAt,omitzero"`
	ExitCode   int       `json:"exitCode"`
	Error      string    `json:"error,omitempty"`
}

func (r record) ports() []runtime.PortMapping {
	var out []runtime.PortMapping
	for _, p := range r.Ports {
		out = append(out, runtime.PortMapping{ContainerPort: p.ContainerPort, HostPort: p.HostPort, Protocol: p.Protocol})
	}
	return out
}

var plainID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)

// dirName is the directory name of container id: the id itself when it is a plain, short file
// name, else "_" and a hash (ids of ECS tasks can be longer than a file name may be).
func dirName(id string) string {
	if plainID.MatchString(id) {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	return "_" + hex.EncodeToString(sum[:20])
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := fsutil.WriteFileAtomic(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func readRecord(dir string) (record, error) {
	var r record
	if err := readJSON(filepath.Join(dir, recordFile), &r); err != nil {
		return r, err
	}
	if r.Version != formatVersion || r.ID == "" {
		return r, fmt.Errorf("%s: unknown format (version %d, id %q)", filepath.Join(dir, recordFile), r.Version, r.ID)
	}
	return r, nil
}

// readState returns the container's state, and false when the shim has not written one yet.
func readState(dir string) (state, bool, error) {
	var s state
	err := readJSON(filepath.Join(dir, stateFile), &s)
	if errors.Is(err, fs.ErrNotExist) {
		return s, false, nil
	}
	if err != nil {
		return s, false, err
	}
	return s, true, nil
}

func writeState(dir string, s state) error {
	s.Version = formatVersion
	return writeJSON(filepath.Join(dir, stateFile), s)
}
