package registry_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	ggcrtypes "github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// ociImage is a random image with OCI media types.
func ociImage(t *testing.T) v1.Image {
	t.Helper()
	img, err := random.Image(512, 2)
	if err != nil {
		t.Fatal(err)
	}
	return mutate.ConfigMediaType(mutate.MediaType(img, ggcrtypes.OCIManifestSchema1), ggcrtypes.OCIConfigJSON)
}

// attested is an OCI index as docker buildx pushes it: a platform image and the attestation
// manifest that describes it.
func attested(t *testing.T) v1.ImageIndex {
	t.Helper()
	img := ociImage(t)
	d, _ := img.Digest()
	statement := static.NewLayer([]byte(`{"_type":"https://in-toto.io/Statement/v0.1"}`), "application/vnd.in-toto+json")
	att, err := mutate.Append(empty.Image, mutate.Addendum{Layer: statement})
	if err != nil {
		t.Fatal(err)
	}
	att = mutate.ConfigMediaType(mutate.MediaType(att, ggcrtypes.OCIManifestSchema1), ggcrtypes.OCIConfigJSON)
	return mutate.AppendManifests(mutate.IndexMediaType(empty.Index, ggcrtypes.OCIImageIndex),
		mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: att, Descriptor: v1.Descriptor{
			Platform:    &v1.Platform{OS: "unknown", Architecture: "unknown"},
			Annotations: map[string]string{"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": d.String()},
		}})
}

// TestManifestKinds pushes every kind of manifest clients push and reads each back through
// the registry and the ECR API.
func TestManifestKinds(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	createRepository(t, env, "kinds", "")
	token := env.Token(t)
	auth := registrytest.Auth(token)
	docker, _ := random.Image(512, 1)
	dockerList := mutate.AppendManifests(mutate.IndexMediaType(empty.Index, ggcrtypes.DockerManifestList),
		mutate.IndexAddendum{Add: docker, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}})

	images := map[string]v1.Image{"docker": docker, "oci": ociImage(t)}
	indexes := map[string]v1.ImageIndex{"list": dockerList, "attested": attested(t)}
	want := map[string]string{
		"docker": string(ggcrtypes.DockerManifestSchema2), "oci": string(ggcrtypes.OCIManifestSchema1),
		"list": string(ggcrtypes.DockerManifestList), "attested": string(ggcrtypes.OCIImageIndex),
	}
	for tag, img := range images {
		env.Push(t, "kinds:"+tag, img, token)
	}
	for tag, idx := range indexes {
		if err := remote.WriteIndex(env.Ref(t, "kinds:"+tag), idx, auth); err != nil {
			t.Fatalf("push %s: %v", tag, err)
		}
		pulled, err := remote.Index(env.Ref(t, "kinds:"+tag), auth)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := pulled.Digest()
		b, _ := idx.Digest()
		if a != b {
			t.Fatalf("%s: pulled %s, pushed %s", tag, a, b)
		}
	}
	tags, err := remote.List(env.Ref(t, "kinds").Context(), auth)
	if err != nil || join(tags) != "attested,docker,list,oci" {
		t.Fatalf("tags list: %v, %v", tags, err)
	}
	for tag, mediaType := range want {
		out, err := env.ECR.DescribeImages(apitest.Context(t), &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("kinds"),
			ImageIds: []types.ImageIdentifier{{ImageTag: aws.String(tag)}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(out.ImageDetails[0].ImageManifestMediaType); got != mediaType {
			t.Errorf("%s: media type %s, want %s", tag, got, mediaType)
		}
		if aws.ToInt64(out.ImageDetails[0].ImageSizeInBytes) <= 0 {
			t.Errorf("%s: size %d", tag, aws.ToInt64(out.ImageDetails[0].ImageSizeInBytes))
		}
	}
	// The attestation and the platform image of the attested index are untagged images that
	// the index holds: deleting one is refused, and the index can be deleted.
	idx, _ := indexes["attested"].IndexManifest()
	child := idx.Manifests[1].Digest.String()
	del, err := env.ECR.BatchDeleteImage(apitest.Context(t), &ecrsdk.BatchDeleteImageInput{RepositoryName: aws.String("kinds"),
		ImageIds: []types.ImageIdentifier{{ImageDigest: aws.String(child)}}})
	if err != nil || len(del.Failures) != 1 || del.Failures[0].FailureCode != types.ImageFailureCodeImageReferencedByManifestList {
		t.Fatalf("delete an attestation the index refers to: %+v, %v", del, err)
	}
	indexDigest, _ := indexes["attested"].Digest()
	if err := remote.Delete(env.Ref(t, "kinds@"+indexDigest.String()), auth); err != nil {
		t.Fatalf("DELETE the index: %v", err)
	}
	if _, ok := imageIDs(t, env, "kinds")[indexDigest.String()]; ok {
		t.Fatal("the deleted index is still listed")
	}
	tags, _ = remote.List(env.Ref(t, "kinds").Context(), auth)
	if join(tags) != "docker,list,oci" {
		t.Fatalf("tags after deleting the index: %v", tags)
	}
}
