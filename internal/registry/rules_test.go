package registry_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

func TestPushToMissingRepository(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	img, _ := random.Image(256, 1)
	err := remote.Write(env.Ref(t, "nowhere:v1"), img, registrytest.Auth(env.Token(t)))
	code, status := registryError(err)
	if code != "NAME_UNKNOWN" || status != http.StatusNotFound {
		t.Fatalf("push to a repository ECR does not have: %v (%s %d)", err, code, status)
	}
	if !strings.Contains(err.Error(), "The repository with name 'nowhere' does not exist in the registry with id '000000000000'") {
		t.Fatalf("message: %v", err)
	}
	if _, err := remote.Image(env.Ref(t, "nowhere:v1"), registrytest.Auth(env.Token(t))); err == nil {
		t.Fatal("pull from a missing repository succeeded")
	}
}

func TestWrongTokenWritesNothing(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "demo", "")
	img, _ := random.Image(256, 1)
	err := remote.Write(env.Ref(t, "demo:v1"), img, registrytest.Auth("fargo1.AKIAX.1.forged"))
	if _, status := registryError(err); status != http.StatusUnauthorized {
		t.Fatalf("push with a wrong token: %v", err)
	}
	c := client{t: t, env: env, token: "wrong"}
	resp, _ := c.do(http.MethodPost, "/v2/demo/blobs/uploads/", nil, nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("upload with a wrong token: %d", resp.StatusCode)
	}
	if ids := imageIDs(t, env, "demo"); len(ids) != 0 {
		t.Fatalf("images after refused pushes: %v", ids)
	}
	layers, _ := img.Layers()
	d, _ := layers[0].Digest()
	out, err := env.ECR.BatchCheckLayerAvailability(apitest.Context(t), &ecrsdk.BatchCheckLayerAvailabilityInput{
		RepositoryName: aws.String("demo"), LayerDigests: []string{d.String()},
	})
	if err != nil || out.Layers[0].LayerAvailability != types.LayerAvailabilityUnavailable {
		t.Fatalf("a layer of the refused push is there: %+v, %v", out, err)
	}
}

// TestImmutableTag pushes a tag twice to an IMMUTABLE repository: the second push, of another
// image or of the same one, is refused as ECR refuses it, and the tag keeps its image.
func TestImmutableTag(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "locked", types.ImageTagMutabilityImmutable)
	token := env.Token(t)
	first, _ := random.Image(256, 1)
	second, _ := random.Image(256, 1)
	env.Push(t, "locked:v1", first, token)
	const refused = "The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable."
	err := remote.Write(env.Ref(t, "locked:v1"), second, registrytest.Auth(token))
	if code, status := registryError(err); code != "TAG_INVALID" || status != http.StatusBadRequest || !strings.Contains(err.Error(), refused) {
		t.Fatalf("second push of v1 with another image: %v", err)
	}
	// go-containerregistry skips a manifest the tag already has; docker sends it again.
	raw, _ := first.RawManifest()
	mt, _ := first.MediaType()
	c := client{t: t, env: env, token: token}
	resp, body := c.do(http.MethodPut, "/v2/locked/manifests/v1", raw, map[string]string{"Content-Type": string(mt)})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "TAG_INVALID") || !strings.Contains(string(body), refused) {
		t.Fatalf("second push of v1 with the same image: %d %s", resp.StatusCode, body)
	}
	want, _ := first.Digest()
	ids := imageIDs(t, env, "locked")
	if len(ids) != 1 || ids[want.String()] == nil {
		t.Fatalf("images after refused pushes: %v, want only %s", ids, want)
	}
	// Other tags still go in, and a MUTABLE repository again lets the tag move.
	env.Push(t, "locked:v2", second, token)
	if _, err := env.ECR.PutImageTagMutability(apitest.Context(t), &ecrsdk.PutImageTagMutabilityInput{
		RepositoryName: aws.String("locked"), ImageTagMutability: types.ImageTagMutabilityMutable,
	}); err != nil {
		t.Fatal(err)
	}
	env.Push(t, "locked:v1", second, token)
}
