package ecrapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every ECR operation of a service that holds the
// repository demo with a lifecycle policy, over a real registry storage, built afresh for each
// input. No input may panic, and every failure must be a client error (4xx): a 500 would mean
// the server itself broke.
func FuzzOperations(f *testing.F) {
	newService := func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		st := store.New(mem)
		lookup := func(id string) (string, bool) { return "secret", id == "AKIAFUZZ" }
		reg, err := registry.New(registry.Config{RootDir: t.TempDir()}, registry.Deps{Store: st, Credentials: lookup, RegistryID: apitest.AccountID})
		if err != nil {
			t.Fatal(err)
		}
		scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
		return ecrapi.New(scope, ecrapi.Config{RegistryHost: "127.0.0.1:4566"}, ecrapi.Deps{Store: st, Images: reg, Credentials: lookup, Now: time.Now}).Service()
	}
	policy := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	digest := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	setup := []apitest.Call{
		{Op: "CreateRepository", Body: `{"repositoryName":"demo"}`},
		{Op: "PutLifecyclePolicy", Body: `{"repositoryName":"demo","lifecyclePolicyText":` + quote(policy) + `}`},
	}
	seeds := []apitest.Call{
		{Op: "CreateRepository", Body: `{"repositoryName":"team/web","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"dev-*"}],` +
			`"imageScanningConfiguration":{"scanOnPush":true},"encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"k"},"tags":[{"Key":"a","Value":"b"}]}`},
		{Op: "DescribeRepositories", Body: `{"repositoryNames":["demo"]}`},
		{Op: "DescribeRepositories", Body: `{"maxResults":1,"nextToken":"ZGVtbw"}`},
		{Op: "DeleteRepository", Body: `{"repositoryName":"demo","force":true}`},
		{Op: "GetAuthorizationToken", Body: `{"registryIds":["000000000000"]}`},
		{Op: "DescribeImages", Body: `{"repositoryName":"demo","imageIds":[{"imageTag":"latest"},{"imageDigest":"` + digest + `"}]}`},
		{Op: "ListImages", Body: `{"repositoryName":"demo","filter":{"tagStatus":"UNTAGGED"}}`},
		{Op: "BatchGetImage", Body: `{"repositoryName":"demo","imageIds":[{"imageTag":"latest"}],"acceptedMediaTypes":["application/vnd.oci.image.manifest.v1+json"]}`},
		{Op: "BatchDeleteImage", Body: `{"repositoryName":"demo","imageIds":[{"imageDigest":"` + digest + `"}]}`},
		{Op: "PutImage", Body: `{"repositoryName":"demo","imageTag":"v1","imageManifest":"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"}`},
		{Op: "PutImage", Body: `{"repositoryName":"demo","imageManifest":"{}","imageDigest":"` + digest + `"}`},
		{Op: "PutImageTagMutability", Body: `{"repositoryName":"demo","imageTagMutability":"IMMUTABLE"}`},
		{Op: "BatchCheckLayerAvailability", Body: `{"repositoryName":"demo","layerDigests":["` + digest + `","sha256:x",""]}`},
		{Op: "PutLifecyclePolicy", Body: `{"repositoryName":"demo","lifecyclePolicyText":` + quote(policy) + `}`},
		{Op: "GetLifecyclePolicy", Body: `{"repositoryName":"demo"}`},
		{Op: "DeleteLifecyclePolicy", Body: `{"repositoryName":"demo"}`},
		{Op: "TagResource", Body: `{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/demo","tags":[{"Key":"k","Value":"v"}]}`},
		{Op: "UntagResource", Body: `{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/demo","tagKeys":["k"]}`},
		{Op: "ListTagsForResource", Body: `{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/demo"}`},
	}
	apitest.FuzzJSON(f, newService, setup, seeds)
}

func quote(s string) string {
	out := []byte{'"'}
	for _, c := range []byte(s) {
		if c == '"' {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return string(append(out, '"'))
}
