package registry_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// createRepository creates repository name with mutability ("" for MUTABLE).
func createRepository(t *testing.T, env *registrytest.Env, name string, mutability types.ImageTagMutability) {
	t.Helper()
	if _, err := env.ECR.CreateRepository(apitest.Context(t), &ecrsdk.CreateRepositoryInput{
		RepositoryName: aws.String(name), ImageTagMutability: mutability,
	}); err != nil {
		t.Fatal(err)
	}
}

// imageIDs returns the ListImages answer of repo as digest → tags.
func imageIDs(t *testing.T, env *registrytest.Env, repo string) map[string][]string {
	t.Helper()
	out, err := env.ECR.ListImages(apitest.Context(t), &ecrsdk.ListImagesInput{RepositoryName: aws.String(repo)})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	for _, id := range out.ImageIds {
		ids[aws.ToString(id.ImageDigest)] = append(ids[aws.ToString(id.ImageDigest)], aws.ToString(id.ImageTag))
	}
	return ids
}

// registryError returns the first OCI error code and the status of a go-containerregistry
// error.
func registryError(err error) (string, int) {
	var terr *transport.Error
	if !errors.As(err, &terr) {
		return "", 0
	}
	if len(terr.Errors) == 0 {
		return "", terr.StatusCode
	}
	return string(terr.Errors[0].Code), terr.StatusCode
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
