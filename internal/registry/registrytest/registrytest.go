// Package registrytest starts fargo's API front door with the ECR API and the registry on an
// httptest server over an in-memory store and a temporary registry directory, and hands tests
// a real aws-sdk-go-v2 ECR client and a registry client (go-containerregistry). Import it only
// from tests.
package registrytest

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// Options change the environment.
type Options struct {
	// Registry is the registry's configuration; RootDir is set to a temporary directory.
	Registry registry.Config
	// Now is the clock of the ECR API and the registry; time.Now when nil.
	Now func() time.Time
	// NoRun leaves the registry's Run loop (lifecycle, cleanup) stopped.
	NoRun bool
	// Logger receives the registry's logs; none when nil.
	Logger *slog.Logger
}

// Env is a running front door with the ECR API and the registry.
type Env struct {
	// URL is the endpoint, http://127.0.0.1:<port>; Host is 127.0.0.1:<port>.
	URL, Host   string
	DataDir     string
	Store       *store.Store
	Registry    *registry.Registry
	Credentials credentials.Credentials
	ECR         *ecrsdk.Client
}

// Start starts the environment; it stops when the test ends.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	dir := t.TempDir()
	creds, err := credentials.Ensure(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := credentials.NewKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	srv := httptest.NewUnstartedServer(nil)
	host := srv.Listener.Addr().String()
	cfg := opts.Registry
	cfg.RootDir = t.TempDir()
	reg, err := registry.New(cfg, registry.Deps{Store: st, Credentials: keys.Lookup, RegistryID: apitest.AccountID, Now: opts.Now, Logger: opts.Logger})
	if err != nil {
		t.Fatal(err)
	}
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	ecrAPI := ecrapi.New(scope, ecrapi.Config{RegistryHost: host}, ecrapi.Deps{Store: st, Images: reg, Credentials: keys.Lookup, Now: opts.Now})
	mux := http.NewServeMux()
	mux.Handle("/v2/", reg)
	front, err := api.New(api.Config{AccountID: apitest.AccountID}, api.Deps{Credentials: keys.Lookup, Fallback: mux}, ecrAPI.Service())
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = front
	srv.Start()
	t.Cleanup(srv.Close)
	if !opts.NoRun {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := reg.Run(ctx); err != nil {
				t.Errorf("registry run: %v", err)
			}
		})
		t.Cleanup(func() { cancel(); wg.Wait() })
	}
	return &Env{
		URL: srv.URL, Host: host, DataDir: dir, Store: st, Registry: reg, Credentials: creds,
		ECR: ecrsdk.NewFromConfig(apitest.Config(srv.URL, creds.AccessKeyID, creds.SecretAccessKey)),
	}
}

// Token returns the registry password of a fresh GetAuthorizationToken.
func (e *Env) Token(t testing.TB) string {
	t.Helper()
	out, err := e.ECR.GetAuthorizationToken(apitest.Context(t), &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.StdEncoding.DecodeString(*out.AuthorizationData[0].AuthorizationToken)
	if err != nil {
		t.Fatal(err)
	}
	user, password, ok := strings.Cut(string(raw), ":")
	if !ok || user != "AWS" {
		t.Fatalf("authorization token %q is not AWS:<password>", raw)
	}
	return password
}

// Ref returns the reference of repo:tag (or repo@digest) in the registry.
func (e *Env) Ref(t testing.TB, ref string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(e.Host+"/"+ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Auth returns the go-containerregistry credentials of password.
func Auth(password string) remote.Option {
	return remote.WithAuth(&authn.Basic{Username: "AWS", Password: password})
}

// Push pushes img to ref with password.
func (e *Env) Push(t testing.TB, ref string, img v1.Image, password string) {
	t.Helper()
	if err := remote.Write(e.Ref(t, ref), img, Auth(password), remote.WithContext(apitest.Context(t))); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
}
