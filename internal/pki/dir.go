package pki

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/fsutil"
)

// The CA's files in its directory.
const (
	CACertFile = "ca.crt"
	CAKeyFile  = "ca.key"
)

// Files are where a certificate and its key were written, and the CA that signed them.
type Files struct {
	CA, Cert, Key string
}

// InitDir creates dir (mode 0700) and a new CA in it. It refuses a directory that already
// holds a CA: every certificate issued by it would stop verifying.
func InitDir(dir string, now time.Time) (Files, error) {
	f := Files{CA: filepath.Join(dir, CACertFile), Cert: filepath.Join(dir, CACertFile), Key: filepath.Join(dir, CAKeyFile)}
	for _, p := range []string{f.Cert, f.Key} {
		if _, err := os.Stat(p); err == nil {
			return Files{}, errdefs.AlreadyExists("pki: %s exists: a CA is there already; rotate it by creating one in another directory (docs/tls.md)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Files{}, fmt.Errorf("pki: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Files{}, fmt.Errorf("pki: create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return Files{}, fmt.Errorf("pki: %w", err)
	}
	cert, key, err := NewCA(now)
	if err != nil {
		return Files{}, err
	}
	// The key first: a directory with ca.crt alone would look like a CA that cannot issue.
	if err := fsutil.WriteFileAtomic(f.Key, key, 0o600); err != nil {
		return Files{}, fmt.Errorf("pki: write CA key: %w", err)
	}
	if err := fsutil.WriteFileAtomic(f.Cert, cert, 0o644); err != nil {
		return Files{}, fmt.Errorf("pki: write CA certificate: %w", err)
	}
	return f, nil
}

// IssueDir issues a certificate for req with the CA in dir and writes it to dir as
// req.Name.crt and req.Name.key, replacing an earlier one of that name (how certificates are
// rotated).
func IssueDir(dir string, req Request, now time.Time) (Files, error) {
	if err := req.Validate(); err != nil {
		return Files{}, err
	}
	f := Files{CA: filepath.Join(dir, CACertFile), Cert: filepath.Join(dir, req.Name+".crt"), Key: filepath.Join(dir, req.Name+".key")}
	caCert, err := os.ReadFile(f.CA)
	if errors.Is(err, fs.ErrNotExist) {
		return Files{}, errdefs.NotFound("pki: no CA in %s: create it with `fargo cert init --dir %s`", dir, dir)
	}
	if err != nil {
		return Files{}, fmt.Errorf("pki: %w", err)
	}
	caKey, err := os.ReadFile(filepath.Join(dir, CAKeyFile))
	if err != nil {
		return Files{}, fmt.Errorf("pki: the CA key: %w", err)
	}
	cert, key, err := Issue(caCert, caKey, req, now)
	if err != nil {
		return Files{}, err
	}
	if err := fsutil.WriteFileAtomic(f.Key, key, 0o600); err != nil {
		return Files{}, fmt.Errorf("pki: write key: %w", err)
	}
	if err := fsutil.WriteFileAtomic(f.Cert, cert, 0o644); err != nil {
		return Files{}, fmt.Errorf("pki: write certificate: %w", err)
	}
	return f, nil
}
