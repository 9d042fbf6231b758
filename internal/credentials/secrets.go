package credentials

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fargohq/fargo/internal/fsutil"
)

// SecretsKeyFileName is the file in a data directory that holds the key sealing the secrets
// kept in the store (IAM users' secret access keys). It lives next to the server's own
// credentials, outside the store: a copy of the store alone reveals no secret. Servers that
// share a store need the same file.
const SecretsKeyFileName = "secrets.key"

// SecretsKeyPath returns the secrets key file of dataDir.
func SecretsKeyPath(dataDir string) string { return filepath.Join(dataDir, SecretsKeyFileName) }

// Box seals and opens secrets with AES-256-GCM. A sealed secret is bound to the context it
// was sealed with (an access key id), so it cannot be moved to another record.
type Box struct {
	aead cipher.AEAD
}

// NewBox returns a Box over a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secrets key: %d bytes, want 32", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// EnsureSecretsKey returns the Box of dataDir's secrets key, generating the key (0600) on
// first use.
func EnsureSecretsKey(dataDir string) (*Box, error) {
	data, err := os.ReadFile(SecretsKeyPath(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("generate secrets key: %w", err)
		}
		if err := fsutil.WriteFileAtomic(SecretsKeyPath(dataDir), []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write secrets key: %w", err)
		}
		return NewBox(key)
	}
	if err != nil {
		return nil, fmt.Errorf("read secrets key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", SecretsKeyPath(dataDir), err)
	}
	return NewBox(key)
}

// Seal encrypts secret for context: a random nonce followed by the ciphertext and its tag.
func (b *Box) Seal(secret, context []byte) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(secret)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return b.aead.Seal(nonce, nonce, secret, context), nil
}

// Open decrypts what Seal returned for the same context; it fails for a sealed secret of
// another key or context, or one that was changed.
func (b *Box) Open(sealed, context []byte) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return nil, errors.New("open: sealed secret too short")
	}
	out, err := b.aead.Open(nil, sealed[:n], sealed[n:], context)
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	return out, nil
}
