package dataplane

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/fargohq/fargo/internal/fsutil"
	"github.com/fargohq/fargo/internal/lb"
)

// stateVersion is the format of state.json; a later format migrates or ignores older ones.
const stateVersion = 1

// State is what a data plane carries over its restarts: the routing it last applied and what
// it knew of the targets.
type State struct {
	Version int `json:"version"`
	// Revision counts the distinct configurations applied, across restarts.
	Revision int64     `json:"revision"`
	Config   lb.Config `json:"config"`
	Memory   lb.Memory `json:"memory"`
	SavedAt  time.Time `json:"savedAt"`
}

// LoadState reads the state of dataDir; ok is false when there is none (a first start).
func LoadState(dataDir string) (s State, ok bool, err error) {
	data, err := os.ReadFile(statePath(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("dataplane: read state: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return State{}, false, fmt.Errorf("dataplane: state %s: %w", statePath(dataDir), err)
	}
	if s.Version != stateVersion {
		return State{}, false, fmt.Errorf("dataplane: state %s has format %d, want %d", statePath(dataDir), s.Version, stateVersion)
	}
	return s, true, nil
}

// SaveState writes s as the state of dataDir, atomically.
func SaveState(dataDir string, s State) error {
	s.Version = stateVersion
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("dataplane: encode state: %w", err)
	}
	if err := os.MkdirAll(Dir(dataDir), 0o700); err != nil {
		return fmt.Errorf("dataplane: %w", err)
	}
	if err := fsutil.WriteFileAtomic(statePath(dataDir), data, 0o600); err != nil {
		return fmt.Errorf("dataplane: write state: %w", err)
	}
	return nil
}

// stickinessSecret returns the key of the stickiness cookies, created on first use: a new
// data plane must accept the cookies its predecessor handed out.
func stickinessSecret(dataDir string) ([]byte, error) {
	path := secretPath(dataDir)
	if key, err := os.ReadFile(path); err == nil && len(key) == 32 {
		return key, nil
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := fsutil.WriteFileAtomic(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("dataplane: write stickiness key: %w", err)
	}
	return key, nil
}
