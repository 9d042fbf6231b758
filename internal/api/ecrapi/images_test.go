package ecrapi_test

import (
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

func TestDescribeAndListImages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	one := digestOf(t, e.push(t, "demo:v1"))
	e.Push(t, "demo:latest", mustRemoteImage(t, e, "demo:v1"), e.token)
	untagged, _ := random.Image(512, 1)
	e.Push(t, "demo@"+digestOf(t, untagged), untagged, e.token)

	for _, tc := range []struct {
		status types.TagStatus
		want   int
	}{{types.TagStatusTagged, 1}, {types.TagStatusUntagged, 1}, {types.TagStatusAny, 2}} {
		out, err := e.ECR.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("demo"), Filter: &types.DescribeImagesFilter{TagStatus: tc.status}})
		if err != nil || len(out.ImageDetails) != tc.want {
			t.Fatalf("DescribeImages %s: %+v, %v", tc.status, out, err)
		}
	}
	out, err := e.ECR.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("latest")}}})
	if err != nil || len(out.ImageDetails) != 1 || aws.ToString(out.ImageDetails[0].ImageDigest) != one {
		t.Fatalf("DescribeImages by tag: %+v, %v", out, err)
	}
	if tags := out.ImageDetails[0].ImageTags; len(tags) != 2 {
		t.Fatalf("tags %v, want latest and v1", tags)
	}

	var ids []string
	var token *string
	for {
		page, err := e.ECR.ListImages(ctx, &ecrsdk.ListImagesInput{RepositoryName: aws.String("demo"), MaxResults: aws.Int32(1), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range page.ImageIds {
			ids = append(ids, aws.ToString(id.ImageDigest)+":"+aws.ToString(id.ImageTag))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	sort.Strings(ids)
	if len(ids) != 3 {
		t.Fatalf("ListImages paged through %v: want one id per tag and the untagged digest", ids)
	}

	for _, tc := range []struct {
		name, code string
		call       func() error
	}{
		{"missing image", "ImageNotFoundException", func() error {
			_, err := e.ECR.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v9")}}})
			return err
		}},
		{"missing repository", "RepositoryNotFoundException", func() error {
			_, err := e.ECR.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("nope")})
			return err
		}},
		{"bad filter", "InvalidParameterException", func() error {
			_, err := e.ECR.ListImages(ctx, &ecrsdk.ListImagesInput{RepositoryName: aws.String("demo"), Filter: &types.ListImagesFilter{TagStatus: "SOME"}})
			return err
		}},
		{"list of a missing repository", "RepositoryNotFoundException", func() error {
			_, err := e.ECR.ListImages(ctx, &ecrsdk.ListImagesInput{RepositoryName: aws.String("nope")})
			return err
		}},
		{"ids with a page size", "InvalidParameterException", func() error {
			_, err := e.ECR.DescribeImages(ctx, &ecrsdk.DescribeImagesInput{RepositoryName: aws.String("demo"), MaxResults: aws.Int32(1), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { e.expectError(t, tc.code, tc.call) })
	}
}

func mustRemoteImage(t *testing.T, e *env, ref string) v1.Image {
	t.Helper()
	img, err := remote.Image(e.Ref(t, ref), registrytest.Auth(e.token))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestBatchGetAndDeleteImage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	img := e.push(t, "demo:v1")
	raw, _ := img.RawManifest()
	d := digestOf(t, img)

	got, err := e.ECR.BatchGetImage(ctx, &ecrsdk.BatchGetImageInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{
		{ImageTag: aws.String("v1")}, {ImageDigest: aws.String(d)}, {ImageTag: aws.String("nope")},
		{ImageDigest: aws.String("sha256:bad")}, {ImageDigest: aws.String(d), ImageTag: aws.String("nope")}, {},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Images) != 2 || aws.ToString(got.Images[0].ImageManifest) != string(raw) || aws.ToString(got.Images[0].ImageId.ImageDigest) != d {
		t.Fatalf("images %+v", got.Images)
	}
	var codes []string
	for _, f := range got.Failures {
		codes = append(codes, string(f.FailureCode))
	}
	if want := "ImageNotFound,InvalidImageDigest,ImageTagDoesNotMatchDigest,MissingDigestAndTag"; join(codes) != want {
		t.Fatalf("failures %v, want %s", codes, want)
	}
	e.expectError(t, "InvalidParameterException", func() error {
		_, err := e.ECR.BatchGetImage(ctx, &ecrsdk.BatchGetImageInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{}})
		return err
	})

	// Retag with PutImage, as CI scripts do, then delete: one tag, then the image by digest.
	if _, err := e.ECR.PutImage(ctx, &ecrsdk.PutImageInput{RepositoryName: aws.String("demo"), ImageManifest: aws.String(string(raw)), ImageTag: aws.String("prod")}); err != nil {
		t.Fatal(err)
	}
	del, err := e.ECR.BatchDeleteImage(ctx, &ecrsdk.BatchDeleteImageInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}, {ImageTag: aws.String("v1")}}})
	if err != nil || len(del.ImageIds) != 1 || len(del.Failures) != 1 || del.Failures[0].FailureCode != types.ImageFailureCodeImageNotFound {
		t.Fatalf("delete a tag twice: %+v, %v", del, err)
	}
	if images, _ := e.Registry.Images(ctx, "demo"); len(images) != 1 || join(images[0].Tags) != "prod" {
		t.Fatalf("images after untagging v1: %+v", images)
	}
	del, err = e.ECR.BatchDeleteImage(ctx, &ecrsdk.BatchDeleteImageInput{RepositoryName: aws.String("demo"), ImageIds: []types.ImageIdentifier{{ImageDigest: aws.String(d)}}})
	if err != nil || len(del.ImageIds) != 1 || aws.ToString(del.ImageIds[0].ImageTag) != "prod" {
		t.Fatalf("delete by digest: %+v, %v", del, err)
	}
	if images, _ := e.Registry.Images(ctx, "demo"); len(images) != 0 {
		t.Fatalf("images after deleting the digest: %+v", images)
	}
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.BatchDeleteImage(ctx, &ecrsdk.BatchDeleteImageInput{RepositoryName: aws.String("nope"), ImageIds: []types.ImageIdentifier{{ImageTag: aws.String("v1")}}})
		return err
	})
}

func TestPutImage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	e.create(t, "locked", types.ImageTagMutabilityImmutable)
	img := e.push(t, "demo:v1")
	other := e.push(t, "locked:v1")
	raw, _ := img.RawManifest()
	otherRaw, _ := other.RawManifest()
	put := func(repo, tag, manifest, digest string) error {
		in := &ecrsdk.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest)}
		if tag != "" {
			in.ImageTag = aws.String(tag)
		}
		if digest != "" {
			in.ImageDigest = aws.String(digest)
		}
		_, err := e.ECR.PutImage(ctx, in)
		return err
	}
	if err := put("locked", "v2", string(otherRaw), digestOf(t, other)); err != nil {
		t.Fatalf("a new tag in an immutable repository: %v", err)
	}
	missingLayers := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":2},"layers":[]}`
	missingImages := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":2}]}`
	for _, tc := range []struct {
		name, code string
		call       func() error
	}{
		{"same image and tag", "ImageAlreadyExistsException", func() error { return put("demo", "v1", string(raw), "") }},
		{"same image by digest", "ImageAlreadyExistsException", func() error { return put("demo", "", string(raw), "") }},
		{"immutable tag", "ImageTagAlreadyExistsException", func() error { return put("locked", "v1", string(raw), "") }},
		{"digest mismatch", "ImageDigestDoesNotMatchException", func() error { return put("demo", "v2", string(raw), digestOf(t, other)) }},
		{"missing layers", "LayersNotFoundException", func() error { return put("demo", "v2", missingLayers, "") }},
		{"missing images", "ReferencedImagesNotFoundException", func() error { return put("demo", "v2", missingImages, "") }},
		{"not a manifest", "InvalidParameterException", func() error { return put("demo", "v2", "{", "") }},
		{"bad tag", "InvalidParameterException", func() error { return put("demo", ".v2", string(raw), "") }},
		{"missing repository", "RepositoryNotFoundException", func() error { return put("nope", "v2", string(raw), "") }},
	} {
		t.Run(tc.name, func(t *testing.T) { e.expectError(t, tc.code, tc.call) })
	}
}

func TestBatchCheckLayerAvailability(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	img := e.push(t, "demo:v1")
	layers, _ := img.Layers()
	ld, _ := layers[0].Digest()
	size, _ := layers[0].Size()
	absent := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	out, err := e.ECR.BatchCheckLayerAvailability(ctx, &ecrsdk.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String("demo"), LayerDigests: []string{ld.String(), absent, "nodigest"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Layers) != 2 || out.Layers[0].LayerAvailability != types.LayerAvailabilityAvailable || aws.ToInt64(out.Layers[0].LayerSize) != size ||
		out.Layers[1].LayerAvailability != types.LayerAvailabilityUnavailable {
		t.Fatalf("layers %+v", out.Layers)
	}
	if len(out.Failures) != 1 || out.Failures[0].FailureCode != types.LayerFailureCodeInvalidLayerDigest {
		t.Fatalf("failures %+v", out.Failures)
	}
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.BatchCheckLayerAvailability(ctx, &ecrsdk.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String("nope"), LayerDigests: []string{absent}})
		return err
	})
	e.expectError(t, "InvalidParameterException", func() error {
		_, err := e.ECR.BatchCheckLayerAvailability(ctx, &ecrsdk.BatchCheckLayerAvailabilityInput{RepositoryName: aws.String("demo"), LayerDigests: []string{}})
		return err
	})
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}
