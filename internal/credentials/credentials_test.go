package credentials_test

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/errdefs"
)

func TestEnsureCreatesOnceWithPrivateMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, err := credentials.Load(dir); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("Load before Ensure: %v", err)
	}
	first, err := credentials.Ensure(dir, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(first.AccessKeyID) || len(first.SecretAccessKey) != 40 {
		t.Fatalf("unexpected format: %+v", first)
	}
	again, err := credentials.Ensure(dir, time.Unix(0, 0))
	if err != nil || again != first {
		t.Fatalf("second Ensure = %+v, %v; want the same pair", again, err)
	}
	st, err := os.Stat(credentials.Path(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v, %v", st.Mode().Perm(), err)
	}
}

func TestKeyringFollowsRotation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old, err := credentials.Ensure(dir, time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	k, err := credentials.NewKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := k.Lookup(old.AccessKeyID); !ok || s != old.SecretAccessKey {
		t.Fatal("current key not found")
	}
	if _, ok := k.Lookup("AKIAUNKNOWN"); ok {
		t.Fatal("unknown key found")
	}
	rotated, err := credentials.Rotate(dir, time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := k.Lookup(rotated.AccessKeyID); !ok || s != rotated.SecretAccessKey {
		t.Fatal("rotated key not found")
	}
	if _, ok := k.Lookup(old.AccessKeyID); ok {
		t.Fatal("old key still accepted after rotation")
	}
}

func TestRotateNeedsExistingCredentials(t *testing.T) {
	t.Parallel()
	if _, err := credentials.Rotate(t.TempDir(), time.Now()); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("Rotate on empty dir: %v", err)
	}
}

func TestSecretsKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	box, err := credentials.EnsureSecretsKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(credentials.SecretsKeyPath(dir))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets key file: %v, %v; want mode 0600", st, err)
	}
	sealed, err := box.Seal([]byte("wJalrXUtnFEMI/K7MDENG"), []byte("AKIA1"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("wJalrXUtnFEMI")) {
		t.Fatal("sealed secret holds the plain text")
	}
	again, err := credentials.EnsureSecretsKey(dir) // the same key, read back from the file
	if err != nil {
		t.Fatal(err)
	}
	if got, err := again.Open(sealed, []byte("AKIA1")); err != nil || string(got) != "wJalrXUtnFEMI/K7MDENG" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, err := credentials.EnsureSecretsKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func() ([]byte, error){
		"other context": func() ([]byte, error) { return box.Open(sealed, []byte("AKIA2")) },
		"other key":     func() ([]byte, error) { return other.Open(sealed, []byte("AKIA1")) },
		"truncated":     func() ([]byte, error) { return box.Open(sealed[:10], []byte("AKIA1")) },
	} {
		if _, err := open(); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}
