package registry_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// TestPushPull pushes an image with a Go registry client and the token of
// GetAuthorizationToken, pulls it back byte for byte, and finds it through the ECR API.
func TestPushPull(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "team/web", "")
	token := env.Token(t)
	img, err := random.Image(2048, 3)
	if err != nil {
		t.Fatal(err)
	}
	env.Push(t, "team/web:v1", img, token)

	pulled, err := remote.Image(env.Ref(t, "team/web:v1"), registrytest.Auth(token))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	got, err := pulled.Digest()
	if err != nil || got != want {
		t.Fatalf("pulled %v (%v), pushed %v", got, err, want)
	}
	wantLayers, _ := img.Layers()
	gotLayers, err := pulled.Layers()
	if err != nil || len(gotLayers) != len(wantLayers) {
		t.Fatalf("layers %d (%v), want %d", len(gotLayers), err, len(wantLayers))
	}
	var size int64
	for i := range wantLayers {
		a, b := readLayer(t, wantLayers[i]), readLayer(t, gotLayers[i])
		if !bytes.Equal(a, b) {
			t.Fatalf("layer %d differs after the round trip", i)
		}
		s, _ := wantLayers[i].Size()
		size += s
	}

	out, err := env.ECR.DescribeImages(apitest.Context(t), &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("team/web")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ImageDetails) != 1 {
		t.Fatalf("DescribeImages: %d images", len(out.ImageDetails))
	}
	d := out.ImageDetails[0]
	if aws.ToString(d.ImageDigest) != want.String() || len(d.ImageTags) != 1 || d.ImageTags[0] != "v1" ||
		aws.ToInt64(d.ImageSizeInBytes) != size || d.ImagePushedAt == nil ||
		aws.ToString(d.ImageManifestMediaType) != "application/vnd.docker.distribution.manifest.v2+json" {
		t.Fatalf("image detail %+v, want digest %s, tag v1, size %d", d, want, size)
	}
	got2, err := env.ECR.BatchGetImage(apitest.Context(t), &ecrsdk.BatchGetImageInput{
		RepositoryName: aws.String("team/web"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}},
	})
	if err != nil || len(got2.Images) != 1 {
		t.Fatalf("BatchGetImage: %+v, %v", got2, err)
	}
	raw, _ := img.RawManifest()
	if aws.ToString(got2.Images[0].ImageManifest) != string(raw) {
		t.Fatal("BatchGetImage returns another manifest than the one pushed")
	}
}

func readLayer(t *testing.T, l interface{ Compressed() (io.ReadCloser, error) }) []byte {
	t.Helper()
	rc, err := l.Compressed()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
