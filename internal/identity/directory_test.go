package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

const rootKey, rootSecret = "AKIAROOTROOTROOTROOT", "root-secret"

// newDirectory returns a running Directory over a store holding user ci with an Active key
// (id AKIACI, secret ci-secret) and an Inactive one (AKIAOLD), a policy attached and one
// inline.
func newDirectory(t testing.TB) *identity.Directory {
	t.Helper()
	ctx := context.Background()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	box, err := credentials.NewBox(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	u := iam.User{Name: "ci", Path: "/", ID: "AIDACI", AccessKeys: []string{"AKIACI", "AKIAOLD"},
		Policies: iam.Policies{Attached: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}, Inline: []iam.InlinePolicy{{Name: "own", Document: "{}"}}}}
	if _, err := st.IAMUsers.Create(ctx, "ci", u); err != nil {
		t.Fatal(err)
	}
	for id, status := range map[string]iam.KeyStatus{"AKIACI": iam.KeyActive, "AKIAOLD": iam.KeyInactive} {
		sealed, err := box.Seal([]byte("ci-secret"), []byte(id))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.IAMAccessKeys.Create(ctx, id, iam.AccessKey{ID: id, UserName: "ci", Status: status, SealedSecret: sealed}); err != nil {
			t.Fatal(err)
		}
	}
	root := func(id string) (string, bool) { return rootSecret, id == rootKey }
	dir := identity.New(identity.Config{}, identity.Deps{Store: st, Root: root, Secrets: box, Now: time.Now})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dir.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	<-dir.Synced()
	return dir
}

func TestLookups(t *testing.T) {
	t.Parallel()
	dir := newDirectory(t)
	for _, tc := range []struct {
		key, secret, arn string
		policies         int
		ok               bool
	}{
		{rootKey, rootSecret, "arn:aws:iam::000000000000:root", 0, true},
		{"AKIACI", "ci-secret", "arn:aws:iam::000000000000:user/ci", 2, true},
		{"AKIAOLD", "", "", 0, false},
		{"AKIANONE", "", "", 0, false},
	} {
		secret, ok := dir.Secret(tc.key)
		p, pok := dir.Principal(tc.key)
		if secret != tc.secret || ok != tc.ok || pok != tc.ok || p.ARN != tc.arn || len(p.Policies) != tc.policies {
			t.Errorf("%s: secret %q %v, principal %+v %v", tc.key, secret, ok, p, pok)
		}
	}
}

// BenchmarkPrincipal is the lookup every authenticated call of an IAM user makes: its secret
// and its principal with every policy document.
func BenchmarkPrincipal(b *testing.B) {
	dir := newDirectory(b)
	for b.Loop() {
		if _, ok := dir.Secret("AKIACI"); !ok {
			b.Fatal("no secret")
		}
		if _, ok := dir.Principal("AKIACI"); !ok {
			b.Fatal("no principal")
		}
	}
}

// stalledWatch is a store whose watches never deliver: a server whose copy of the store lags
// behind a write another server had acknowledged.
type stalledWatch struct{ kv.KV }

func (s stalledWatch) Watch(ctx context.Context, _ string, _ int64) <-chan kv.WatchResponse {
	ch := make(chan kv.WatchResponse)
	go func() {
		<-ctx.Done()
		close(ch)
	}()
	return ch
}

// TestKeyCreatedElsewhere: a key created after the directory loaded the store, which its
// watch has not delivered, works at once: the lookup reads the store.
func TestKeyCreatedElsewhere(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	box, err := credentials.NewBox(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	dir := identity.New(identity.Config{}, identity.Deps{Store: store.New(stalledWatch{mem}), Secrets: box})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dir.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	<-dir.Synced()

	elsewhere := store.New(mem)
	if _, err := elsewhere.IAMUsers.Create(ctx, "late", iam.User{Name: "late", Path: "/", ID: "AIDALATE", AccessKeys: []string{"AKIALATE"}}); err != nil {
		t.Fatal(err)
	}
	sealed, err := box.Seal([]byte("late-secret"), []byte("AKIALATE"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := elsewhere.IAMAccessKeys.Create(ctx, "AKIALATE", iam.AccessKey{ID: "AKIALATE", UserName: "late", Status: iam.KeyActive, SealedSecret: sealed}); err != nil {
		t.Fatal(err)
	}
	if secret, ok := dir.Secret("AKIALATE"); !ok || secret != "late-secret" {
		t.Fatalf("secret of a key created elsewhere = %q, %v", secret, ok)
	}
	if p, ok := dir.Principal("AKIALATE"); !ok || p.UserName != "late" {
		t.Fatalf("principal of a key created elsewhere = %+v, %v", p, ok)
	}
	if _, ok := dir.Secret("AKIANONE"); ok {
		t.Fatal("a key the store lacks has a secret")
	}
}
