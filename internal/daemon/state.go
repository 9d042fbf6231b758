package daemon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/fsutil"
)

// stateFileName is the file in which a running server tells clients (`fargo env`, the other
// commands) where it listens.
const stateFileName = "server.json"

// State is what a server publishes about itself in its data directory.
type State struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region"`
	AccountID string `json:"accountId"`
	PID       int    `json:"pid"`
}

func writeState(dataDir string, s State) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(filepath.Join(dataDir, stateFileName), append(data, '\n'), 0o600)
}

// ReadState returns the state the server of dataDir last published, or an error of kind
// errdefs.ErrNotFound when no server ever started there.
func ReadState(dataDir string) (State, error) {
	data, err := os.ReadFile(filepath.Join(dataDir, stateFileName))
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, errdefs.NotFound("no fargo server has run with data dir %s", dataDir)
	}
	if err != nil {
		return State{}, err
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return State{}, fmt.Errorf("parse %s: %w", stateFileName, err)
	}
	return s, nil
}
