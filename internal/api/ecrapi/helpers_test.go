package ecrapi_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/smithy-go"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// env is the ECR API and the registry with a client and a registry password.
type env struct {
	*registrytest.Env
	token string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := registrytest.Start(t, registrytest.Options{NoRun: true})
	return &env{Env: e, token: e.Token(t)}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// state is what a failed call must leave as it was: the store's revision and every image.
func (e *env) state(t *testing.T) (int64, map[string]int) {
	t.Helper()
	items, rev, err := e.Store.Repositories.List(apitest.Context(t), "")
	if err != nil {
		t.Fatal(err)
	}
	images := map[string]int{}
	for _, it := range items {
		imgs, err := e.Registry.Images(apitest.Context(t), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, img := range imgs {
			images[it.ID+"@"+img.Digest] = len(img.Tags)
		}
	}
	return rev, images
}

// expectError checks that call fails with code and changes nothing.
func (e *env) expectError(t *testing.T, code string, call func() error) {
	t.Helper()
	rev, images := e.state(t)
	err := call()
	if got := errorCode(err); got != code {
		t.Fatalf("error %q (%v), want %s", got, err, code)
	}
	rev2, images2 := e.state(t)
	if rev2 != rev || len(images2) != len(images) {
		t.Fatalf("a failed call changed state: revision %d → %d, images %v → %v", rev, rev2, images, images2)
	}
	for k, v := range images {
		if images2[k] != v {
			t.Fatalf("a failed call changed image %s: %d → %d tags", k, v, images2[k])
		}
	}
}

func (e *env) create(t *testing.T, name string, mutability types.ImageTagMutability) *types.Repository {
	t.Helper()
	out, err := e.ECR.CreateRepository(apitest.Context(t), &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String(name), ImageTagMutability: mutability})
	if err != nil {
		t.Fatal(err)
	}
	return out.Repository
}

// push pushes a new random image to ref and returns it.
func (e *env) push(t *testing.T, ref string) v1.Image {
	t.Helper()
	img, err := random.Image(1024, 2)
	if err != nil {
		t.Fatal(err)
	}
	e.Push(t, ref, img, e.token)
	return img
}

func digestOf(t *testing.T, img v1.Image) string {
	t.Helper()
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}
