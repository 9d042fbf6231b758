package daemon

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/ecr"
)

// Images of fargo's own registry are pulled with a token of the server's key that the registry
// accepts; images of other registries get no credentials from fargo.
func TestOwnRegistryAuth(t *testing.T) {
	dir := t.TempDir()
	c, err := credentials.Ensure(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	auth := ownRegistryAuth(dir, func() string { return "127.0.0.1:4566" }, "")
	lookup := func(id string) (string, bool) { return c.SecretAccessKey, id == c.AccessKeyID }

	got, err := auth(context.Background(), "127.0.0.1:4566/demo:latest")
	if err != nil || got == nil {
		t.Fatalf("own registry image: auth %v, %v; want credentials", got, err)
	}
	if got.Username != ecr.TokenUser || got.ServerAddress != "127.0.0.1:4566" {
		t.Errorf("credentials %+v, want user %s for 127.0.0.1:4566", got, ecr.TokenUser)
	}
	if tok, err := ecr.VerifyToken(got.Password, lookup, time.Now()); err != nil || tok.AccessKeyID != c.AccessKeyID {
		t.Errorf("the registry does not accept the password: %v", err)
	}

	for _, image := range []string{"hello:latest", "127.0.0.1:5000/demo:latest", "127.0.0.1:45660/demo", "example.com/127.0.0.1:4566/x"} {
		if got, err := auth(context.Background(), image); err != nil || got != nil {
			t.Errorf("%s: auth %+v, %v; want none", image, got, err)
		}
	}
}

// A worker signs tokens for fargo's registry with the access key it was given, never the
// server's; without a registry or a key it gives no credentials.
func TestWorkerRegistryAuth(t *testing.T) {
	cfg := WorkerConfig{RegistryHost: "10.0.0.5:4566", RegistryKeyID: "AKIAWORKER", RegistrySecret: "worker-secret"}
	got, err := cfg.registryAuth()(context.Background(), "10.0.0.5:4566/app:1")
	if err != nil || got == nil {
		t.Fatalf("auth %v, %v; want credentials", got, err)
	}
	lookup := func(id string) (string, bool) { return "worker-secret", id == "AKIAWORKER" }
	if tok, err := ecr.VerifyToken(got.Password, lookup, time.Now()); err != nil || tok.AccessKeyID != "AKIAWORKER" {
		t.Errorf("the registry does not accept the worker's token: %v", err)
	}
	if none := (WorkerConfig{RegistryHost: "10.0.0.5:4566"}).registryAuth(); none != nil {
		t.Error("credentials without a key")
	}
}
