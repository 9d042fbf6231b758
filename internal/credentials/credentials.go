package credentials

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/fsutil"
)

// FileName is the name of the credentials file inside a data directory.
const FileName = "credentials.json"

// Credentials is an access key pair.
type Credentials struct {
	AccessKeyID     string    `json:"accessKeyId"`
	SecretAccessKey string    `json:"secretAccessKey"`
	CreatedAt       time.Time `json:"createdAt"`
}

// Path returns the credentials file of dataDir.
func Path(dataDir string) string { return filepath.Join(dataDir, FileName) }

// Load reads the credentials of dataDir, or returns an error of kind errdefs.ErrNotFound when
// the server never started there.
func Load(dataDir string) (Credentials, error) {
	data, err := os.ReadFile(Path(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return Credentials{}, errdefs.NotFound("no credentials in %s: start `fargo server --data-dir %s` once first", dataDir, dataDir)
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("read credentials: %w", err)
	}
	var c Credentials
	if err := json.Unmarshal(data, &c); err != nil {
		return Credentials{}, fmt.Errorf("parse %s: %w", Path(dataDir), err)
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return Credentials{}, fmt.Errorf("parse %s: access key id or secret missing", Path(dataDir))
	}
	return c, nil
}

// Ensure returns the credentials of dataDir, generating them first if there are none.
func Ensure(dataDir string, now time.Time) (Credentials, error) {
	c, err := Load(dataDir)
	if !errors.Is(err, errdefs.ErrNotFound) {
		return c, err
	}
	return write(dataDir, now)
}

// Rotate replaces the credentials of dataDir with a new pair and returns it. The old pair stops
// working as soon as the server sees the new file.
func Rotate(dataDir string, now time.Time) (Credentials, error) {
	if _, err := Load(dataDir); err != nil {
		return Credentials{}, err
	}
	return write(dataDir, now)
}

func write(dataDir string, now time.Time) (Credentials, error) {
	c, err := Generate(now)
	if err != nil {
		return Credentials{}, err
	}
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return Credentials{}, err
	}
	if err := fsutil.WriteFileAtomic(Path(dataDir), append(data, '\n'), 0o600); err != nil {
		return Credentials{}, fmt.Errorf("write credentials: %w", err)
	}
	return c, nil
}

const (
	keyIDAlphabet  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// Generate returns a new random pair in AWS's formats: a 20-character key id starting with AKIA
// and a 40-character secret.
func Generate(now time.Time) (Credentials, error) {
	id, err := randomString(keyIDAlphabet, 16)
	if err != nil {
		return Credentials{}, err
	}
	secret, err := randomString(secretAlphabet, 40)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{AccessKeyID: "AKIA" + id, SecretAccessKey: secret, CreatedAt: now.UTC()}, nil
}

func randomString(alphabet string, n int) (string, error) {
	out := make([]byte, n)
	limit := big.NewInt(int64(len(alphabet)))
	for i := range out {
		v, err := rand.Int(rand.Reader, limit)
		if err != nil {
			return "", fmt.Errorf("generate credentials: %w", err)
		}
		out[i] = alphabet[v.Int64()]
	}
	return string(out), nil
}

// Keyring answers the secret of an access key id from a data directory's credentials file. It
// reads the file again when it was replaced (atomic writes rename a new file in) or modified, so a rotation takes effect
// without a restart.
type Keyring struct {
	dataDir string

	mu      sync.Mutex
	current Credentials
	file    os.FileInfo // of the file current was read from; rotation renames a new file in
}

// NewKeyring returns a Keyring over dataDir's credentials, which must exist.
func NewKeyring(dataDir string) (*Keyring, error) {
	k := &Keyring{dataDir: dataDir}
	if err := k.refresh(); err != nil {
		return nil, err
	}
	return k, nil
}

// Lookup returns the secret of accessKeyID if it is the current key.
func (k *Keyring) Lookup(accessKeyID string) (string, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	// A failed refresh keeps the last good pair: a half-written file must not lock clients out.
	_ = k.refreshLocked()
	if accessKeyID != k.current.AccessKeyID {
		return "", false
	}
	return k.current.SecretAccessKey, true
}

func (k *Keyring) refresh() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.refreshLocked()
}

func (k *Keyring) refreshLocked() error {
	st, err := os.Stat(Path(k.dataDir))
	if err != nil {
		return err
	}
	if k.file != nil && os.SameFile(st, k.file) && st.ModTime().Equal(k.file.ModTime()) {
		return nil
	}
	c, err := Load(k.dataDir)
	if err != nil {
		return err
	}
	k.current, k.file = c, st
	return nil
}
