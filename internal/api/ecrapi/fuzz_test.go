package ecrapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every ECR operation, over a real registry storage.
// No input may panic, and every failure must be a client error (4xx): a 500 would mean the
// server itself broke.
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	st := store.New(mem)
	lookup := func(id string) (string, bool) { return "secret", id == "AKIAFUZZ" }
	reg, err := registry.New(registry.Config{RootDir: f.TempDir()}, registry.Deps{Store: st, Credentials: lookup, RegistryID: apitest.AccountID})
	if err != nil {
		f.Fatal(err)
	}
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	svc := ecrapi.New(scope, ecrapi.Config{RegistryHost: "127.0.0.1:4566"}, ecrapi.Deps{Store: st, Images: reg, Credentials: lookup, Now: time.Now}).Service()
	policy := `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	digest := "sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	seeds := []string{
		`{}`,
		`{"repositoryName":"demo"}`,
		`{"repositoryName":"team/web","imageTagMutability":"IMMUTABLE_WITH_EXCLUSION","imageTagMutabilityExclusionFilters":[{"filterType":"WILDCARD","filter":"dev-*"}],` +
			`"imageScanningConfiguration":{"scanOnPush":true},"encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"k"},"tags":[{"Key":"a","Value":"b"}]}`,
		`{"repositoryNames":["demo"]}`, `{"maxResults":1,"nextToken":"ZGVtbw"}`,
		`{"repositoryName":"demo","force":true}`,
		`{"registryIds":["000000000000"]}`,
		`{"repositoryName":"demo","imageIds":[{"imageTag":"latest"},{"imageDigest":"` + digest + `"}],"filter":{"tagStatus":"UNTAGGED"}}`,
		`{"repositoryName":"demo","imageIds":[{"imageTag":"latest"}],"acceptedMediaTypes":["application/vnd.oci.image.manifest.v1+json"]}`,
		`{"repositoryName":"demo","imageTag":"v1","imageManifest":"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"}`,
		`{"repositoryName":"demo","imageManifest":"{}","imageDigest":"` + digest + `"}`,
		`{"repositoryName":"demo","layerDigests":["` + digest + `","sha256:x",""]}`,
		`{"repositoryName":"demo","lifecyclePolicyText":` + quote(policy) + `}`,
		`{"resourceArn":"arn:aws:ecr:us-east-1:000000000000:repository/demo","tags":[{"Key":"k","Value":"v"}],"tagKeys":["k"]}`,
	}
	apitest.FuzzJSON(f, svc, seeds)
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
