package registry_test

import (
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

func putPolicy(t *testing.T, env *registrytest.Env, repo, policy string) {
	t.Helper()
	if _, err := env.ECR.PutLifecyclePolicy(apitest.Context(t), &ecrsdk.PutLifecyclePolicyInput{
		RepositoryName: aws.String(repo), LifecyclePolicyText: aws.String(policy),
	}); err != nil {
		t.Fatal(err)
	}
}

func digestOf(t *testing.T, img interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// TestLifecycleOnPush keeps one untagged image: each push of latest leaves the image before it
// untagged, and Run expires all but the newest of those; the untagged images of a multi-platform
// image stay, because its index holds them.
func TestLifecycleOnPush(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "demo", "")
	putPolicy(t, env, "demo", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`)
	token := env.Token(t)
	idx := attested(t)
	if err := remote.WriteIndex(env.Ref(t, "demo:multi"), idx, registrytest.Auth(token)); err != nil {
		t.Fatal(err)
	}
	var pushed []string
	for range 3 {
		img, _ := random.Image(256, 1)
		env.Push(t, "demo:latest", img, token)
		pushed = append(pushed, digestOf(t, img))
	}
	want := map[string]bool{digestOf(t, idx): true, pushed[1]: true, pushed[2]: true}
	m, _ := idx.IndexManifest()
	for _, c := range m.Manifests {
		want[c.Digest.String()] = true
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		ids := imageIDs(t, env, "demo")
		if _, old := ids[pushed[0]]; !old && len(ids) == len(want) {
			for d := range want {
				if _, ok := ids[d]; !ok {
					t.Fatalf("lifecycle expired %s, which it must keep", d)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("images %v: the oldest untagged image %s was not expired", ids, pushed[0])
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, err := env.ECR.GetLifecyclePolicy(apitest.Context(t), &ecrsdk.GetLifecyclePolicyInput{RepositoryName: aws.String("demo")})
	if err != nil || out.LastEvaluatedAt == nil {
		t.Fatalf("lastEvaluatedAt after a run: %+v, %v", out, err)
	}
}

// TestLifecycleByAge expires untagged images pushed more than a day ago, on the registry's
// clock.
func TestLifecycleByAge(t *testing.T) {
	t.Parallel()
	start := time.Now()
	var days atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(days.Load()) * 24 * time.Hour) }
	env := registrytest.Start(t, registrytest.Options{Now: clock, NoRun: true})
	ctx := apitest.Context(t)
	createRepository(t, env, "demo", "")
	putPolicy(t, env, "demo", `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`)
	token := env.Token(t)
	old, _ := random.Image(256, 1)
	current, _ := random.Image(256, 1)
	env.Push(t, "demo:latest", old, token)
	env.Push(t, "demo:latest", current, token)
	if err := env.Registry.ApplyLifecycle(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	if ids := imageIDs(t, env, "demo"); len(ids) != 2 {
		t.Fatalf("an untagged image younger than a day was expired: %v", ids)
	}
	days.Store(2)
	if err := env.Registry.ApplyLifecycle(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	ids := imageIDs(t, env, "demo")
	if _, ok := ids[digestOf(t, old)]; ok || len(ids) != 1 {
		t.Fatalf("after two days: %v, want only %s", ids, digestOf(t, current))
	}
}

// TestMaintainFinishesDeletes finishes a DeleteRepository that stopped after marking the
// repository: its images go, then its record.
func TestMaintainFinishesDeletes(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{NoRun: true})
	ctx := apitest.Context(t)
	createRepository(t, env, "demo", "")
	img, _ := random.Image(256, 1)
	env.Push(t, "demo:v1", img, env.Token(t))
	if _, err := env.Store.Repositories.Update(ctx, "demo", func(r *ecr.Repository) error { r.Deleting = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(env.Ref(t, "demo:v2"), img, registrytest.Auth(env.Token(t))); err == nil {
		t.Fatal("a push reached a repository being deleted")
	}
	env.Registry.Maintain(ctx)
	if _, err := env.Store.Repositories.Get(ctx, "demo"); err == nil {
		t.Fatal("the record of the deleted repository is still there")
	}
	images, err := env.Registry.Images(ctx, "demo")
	if err != nil || len(images) != 0 {
		t.Fatalf("images left in storage: %v, %v", images, err)
	}
}

// TestMaintainPurgesOldUploads removes an upload older than UploadMaxAge and keeps a fresh one.
func TestMaintainPurgesOldUploads(t *testing.T) {
	t.Parallel()
	start := time.Now()
	var days atomic.Int64
	clock := func() time.Time { return start.Add(time.Duration(days.Load()) * 24 * time.Hour) }
	env := registrytest.Start(t, registrytest.Options{Now: clock, NoRun: true})
	createRepository(t, env, "demo", "")
	c := client{t: t, env: env, token: env.Token(t)}
	loc := c.startUpload("demo")
	env.Registry.Maintain(apitest.Context(t))
	if resp, _ := c.do(http.MethodGet, loc, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("a fresh upload after maintenance: %d", resp.StatusCode)
	}
	days.Store(2)
	env.Registry.Maintain(apitest.Context(t))
	days.Store(0) // the token was made at the start
	if resp, body := c.do(http.MethodGet, loc, nil, nil); resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "BLOB_UPLOAD_UNKNOWN") {
		t.Fatalf("an upload two days old after maintenance: %d %s", resp.StatusCode, body)
	}
}

// TestMaintainEmptyRegistryIsQuiet runs maintenance on a registry nobody pushed to yet: there
// is nothing to purge, and nothing to warn about.
func TestMaintainEmptyRegistryIsQuiet(t *testing.T) {
	t.Parallel()
	var logs strings.Builder
	env := registrytest.Start(t, registrytest.Options{NoRun: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	createRepository(t, env, "demo", "")
	env.Registry.Maintain(apitest.Context(t))
	if logs.Len() > 0 {
		t.Errorf("maintenance of an empty registry logged:\n%s", logs.String())
	}
}
