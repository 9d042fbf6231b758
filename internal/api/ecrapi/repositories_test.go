package ecrapi_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestCreateAndDescribeRepositories(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	r := e.create(t, "demo", "")
	if aws.ToString(r.RepositoryArn) != "arn:aws:ecr:us-east-1:000000000000:repository/demo" || aws.ToString(r.RegistryId) != "000000000000" ||
		aws.ToString(r.RepositoryUri) != e.Host+"/demo" || r.ImageTagMutability != types.ImageTagMutabilityMutable ||
		r.EncryptionConfiguration == nil || r.EncryptionConfiguration.EncryptionType != types.EncryptionTypeAes256 ||
		r.ImageScanningConfiguration == nil || r.ImageScanningConfiguration.ScanOnPush || r.CreatedAt == nil {
		t.Fatalf("created repository %+v", r)
	}
	out, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{
		RepositoryName: aws.String("team/api"), ImageTagMutability: types.ImageTagMutabilityImmutableWithExclusion,
		ImageTagMutabilityExclusionFilters: []types.ImageTagMutabilityExclusionFilter{{FilterType: types.ImageTagMutabilityExclusionFilterTypeWildcard, Filter: aws.String("dev-*")}},
		ImageScanningConfiguration:         &types.ImageScanningConfiguration{ScanOnPush: true},
		EncryptionConfiguration:            &types.EncryptionConfiguration{EncryptionType: types.EncryptionTypeKms, KmsKey: aws.String("alias/mine")},
		Tags:                               []types.Tag{{Key: aws.String("team"), Value: aws.String("api")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"team/api"}})
	if err != nil || len(desc.Repositories) != 1 {
		t.Fatalf("DescribeRepositories: %+v, %v", desc, err)
	}
	got := desc.Repositories[0]
	if got.ImageTagMutability != types.ImageTagMutabilityImmutableWithExclusion || len(got.ImageTagMutabilityExclusionFilters) != 1 ||
		!got.ImageScanningConfiguration.ScanOnPush || got.EncryptionConfiguration.EncryptionType != types.EncryptionTypeKms ||
		aws.ToString(got.EncryptionConfiguration.KmsKey) != "alias/mine" || aws.ToString(got.RepositoryArn) != aws.ToString(out.Repository.RepositoryArn) {
		t.Fatalf("described %+v", got)
	}

	e.create(t, "zeta", "")
	var names []string
	var token *string
	for {
		page, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{MaxResults: aws.Int32(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Repositories {
			names = append(names, aws.ToString(r.RepositoryName))
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if strings.Join(names, ",") != "demo,team/api,zeta" {
		t.Fatalf("paged through %v", names)
	}

	for _, tc := range []struct {
		name, code string
		call       func() error
	}{
		{"existing name", "RepositoryAlreadyExistsException", func() error {
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("demo")})
			return err
		}},
		{"bad name", "InvalidParameterException", func() error {
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("Demo")})
			return err
		}},
		{"bad mutability", "InvalidParameterException", func() error {
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("x1"), ImageTagMutability: "SOMETIMES"})
			return err
		}},
		{"reserved tag", "InvalidTagParameterException", func() error {
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("x2"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
			return err
		}},
		{"too many tags", "TooManyTagsException", func() error {
			tags := make([]types.Tag, 51)
			for i := range tags {
				tags[i] = types.Tag{Key: aws.String(strings.Repeat("k", i+1)), Value: aws.String("v")}
			}
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("x3"), Tags: tags})
			return err
		}},
		{"other registry", "InvalidParameterException", func() error {
			_, err := e.ECR.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String("x4"), RegistryId: aws.String("111111111111")})
			return err
		}},
		{"missing repository", "RepositoryNotFoundException", func() error {
			_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"demo", "nope"}})
			return err
		}},
		{"names with a page size", "InvalidParameterException", func() error {
			_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"demo"}, MaxResults: aws.Int32(1)})
			return err
		}},
		{"page size too large", "InvalidParameterException", func() error {
			_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{MaxResults: aws.Int32(1001)})
			return err
		}},
		{"page size zero", "InvalidParameterException", func() error {
			_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{MaxResults: aws.Int32(0)})
			return err
		}},
		{"bad token", "InvalidParameterException", func() error {
			_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{NextToken: aws.String("!!")})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { e.expectError(t, tc.code, tc.call) })
	}
}

func TestDeleteRepository(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	img := e.push(t, "demo:v1")
	e.expectError(t, "RepositoryNotEmptyException", func() error {
		_, err := e.ECR.DeleteRepository(ctx, &ecrsdk.DeleteRepositoryInput{RepositoryName: aws.String("demo")})
		return err
	})
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.DeleteRepository(ctx, &ecrsdk.DeleteRepositoryInput{RepositoryName: aws.String("nope")})
		return err
	})
	out, err := e.ECR.DeleteRepository(ctx, &ecrsdk.DeleteRepositoryInput{RepositoryName: aws.String("demo"), Force: true})
	if err != nil || aws.ToString(out.Repository.RepositoryName) != "demo" {
		t.Fatalf("forced delete: %+v, %v", out, err)
	}
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"demo"}})
		return err
	})
	// A repository of the same name starts empty: the old image is gone from storage.
	e.create(t, "demo", "")
	images, err := e.Registry.Images(ctx, "demo")
	if err != nil || len(images) != 0 {
		t.Fatalf("images of the new repository: %v, %v (old image %s)", images, err, digestOf(t, img))
	}
	// An empty repository goes without force.
	if _, err := e.ECR.DeleteRepository(ctx, &ecrsdk.DeleteRepositoryInput{RepositoryName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
}

func TestGetAuthorizationToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	before := time.Now()
	out, err := e.ECR.GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil || len(out.AuthorizationData) != 1 {
		t.Fatalf("GetAuthorizationToken: %+v, %v", out, err)
	}
	data := out.AuthorizationData[0]
	raw, err := base64.StdEncoding.DecodeString(aws.ToString(data.AuthorizationToken))
	if err != nil || !strings.HasPrefix(string(raw), "AWS:") {
		t.Fatalf("token %q (%v)", raw, err)
	}
	if aws.ToString(data.ProxyEndpoint) != e.URL {
		t.Fatalf("proxyEndpoint %q, want %s", aws.ToString(data.ProxyEndpoint), e.URL)
	}
	if d := data.ExpiresAt.Sub(before); d < 12*time.Hour-time.Second || d > 12*time.Hour+time.Minute {
		t.Fatalf("expiresAt %v is %v from now, want 12h", data.ExpiresAt, d)
	}
	// registryIds is deprecated in the SDK, but aws-actions/amazon-ecr-login sends it when its
	// registries input is set.
	two, err := e.ECR.GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{RegistryIds: []string{"000000000000", "000000000000"}}) //nolint:staticcheck // see above
	if err != nil || len(two.AuthorizationData) != 2 {
		t.Fatalf("two registry ids: %+v, %v", two, err)
	}
	for _, ids := range [][]string{{"12"}, {"111111111111"}} {
		e.expectError(t, "InvalidParameterException", func() error {
			_, err := e.ECR.GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{RegistryIds: ids}) //nolint:staticcheck // as above
			return err
		})
	}
}
