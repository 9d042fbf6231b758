package ecrapi_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

const untaggedPolicy = `{"rules":[{"rulePriority":1,"description":"keep one untagged image","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`

func TestPutImageTagMutability(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	out, err := e.ECR.PutImageTagMutability(ctx, &ecrsdk.PutImageTagMutabilityInput{RepositoryName: aws.String("demo"), ImageTagMutability: types.ImageTagMutabilityImmutable})
	if err != nil || out.ImageTagMutability != types.ImageTagMutabilityImmutable || aws.ToString(out.RegistryId) != "000000000000" {
		t.Fatalf("PutImageTagMutability: %+v, %v", out, err)
	}
	desc, _ := e.ECR.DescribeRepositories(ctx, &ecrsdk.DescribeRepositoriesInput{RepositoryNames: []string{"demo"}})
	if desc.Repositories[0].ImageTagMutability != types.ImageTagMutabilityImmutable {
		t.Fatalf("described %s", desc.Repositories[0].ImageTagMutability)
	}
	e.expectError(t, "InvalidParameterException", func() error {
		_, err := e.ECR.PutImageTagMutability(ctx, &ecrsdk.PutImageTagMutabilityInput{RepositoryName: aws.String("demo"), ImageTagMutability: types.ImageTagMutabilityMutableWithExclusion})
		return err
	})
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.PutImageTagMutability(ctx, &ecrsdk.PutImageTagMutabilityInput{RepositoryName: aws.String("nope"), ImageTagMutability: types.ImageTagMutabilityMutable})
		return err
	})
}

func TestLifecyclePolicyOperations(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	e.create(t, "demo", "")
	get := func() error {
		_, err := e.ECR.GetLifecyclePolicy(ctx, &ecrsdk.GetLifecyclePolicyInput{RepositoryName: aws.String("demo")})
		return err
	}
	del := func() error {
		_, err := e.ECR.DeleteLifecyclePolicy(ctx, &ecrsdk.DeleteLifecyclePolicyInput{RepositoryName: aws.String("demo")})
		return err
	}
	e.expectError(t, "LifecyclePolicyNotFoundException", get)
	e.expectError(t, "LifecyclePolicyNotFoundException", del)
	e.expectError(t, "InvalidParameterException", func() error {
		_, err := e.ECR.PutLifecyclePolicy(ctx, &ecrsdk.PutLifecyclePolicyInput{RepositoryName: aws.String("demo"),
			LifecyclePolicyText: aws.String(strings.Replace(untaggedPolicy, `"countNumber":1`, `"countNumber":0`, 1))})
		return err
	})
	e.expectError(t, "RepositoryNotFoundException", func() error {
		_, err := e.ECR.PutLifecyclePolicy(ctx, &ecrsdk.PutLifecyclePolicyInput{RepositoryName: aws.String("nope"), LifecyclePolicyText: aws.String(untaggedPolicy)})
		return err
	})
	put, err := e.ECR.PutLifecyclePolicy(ctx, &ecrsdk.PutLifecyclePolicyInput{RepositoryName: aws.String("demo"), LifecyclePolicyText: aws.String(untaggedPolicy)})
	if err != nil || aws.ToString(put.LifecyclePolicyText) != untaggedPolicy {
		t.Fatalf("PutLifecyclePolicy: %+v, %v", put, err)
	}
	got, err := e.ECR.GetLifecyclePolicy(ctx, &ecrsdk.GetLifecyclePolicyInput{RepositoryName: aws.String("demo")})
	if err != nil || aws.ToString(got.LifecyclePolicyText) != untaggedPolicy || aws.ToString(got.RepositoryName) != "demo" {
		t.Fatalf("GetLifecyclePolicy: %+v, %v", got, err)
	}
	deleted, err := e.ECR.DeleteLifecyclePolicy(ctx, &ecrsdk.DeleteLifecyclePolicyInput{RepositoryName: aws.String("demo")})
	if err != nil || aws.ToString(deleted.LifecyclePolicyText) != untaggedPolicy {
		t.Fatalf("DeleteLifecyclePolicy: %+v, %v", deleted, err)
	}
	e.expectError(t, "LifecyclePolicyNotFoundException", get)
}

func TestResourceTags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := apitest.Context(t)
	arn := aws.ToString(e.create(t, "demo", "").RepositoryArn)
	list := func() []string {
		out, err := e.ECR.ListTagsForResource(ctx, &ecrsdk.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		if err != nil {
			t.Fatal(err)
		}
		var kv []string
		for _, tag := range out.Tags {
			kv = append(kv, aws.ToString(tag.Key)+"="+aws.ToString(tag.Value))
		}
		return kv
	}
	if _, err := e.ECR.TagResource(ctx, &ecrsdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("web")}, {Key: aws.String("env"), Value: aws.String("dev")},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ECR.TagResource(ctx, &ecrsdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if got := join(list()); got != "team=web,env=prod" {
		t.Fatalf("tags %s", got)
	}
	if _, err := e.ECR.UntagResource(ctx, &ecrsdk.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	if got := join(list()); got != "env=prod" {
		t.Fatalf("tags after untag %s", got)
	}
	many := make([]types.Tag, 50)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(strings.Repeat("k", i+1)), Value: aws.String("v")}
	}
	for _, tc := range []struct {
		name, code string
		call       func() error
	}{
		{"too many", "TooManyTagsException", func() error {
			_, err := e.ECR.TagResource(ctx, &ecrsdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: many})
			return err
		}},
		{"reserved key", "InvalidTagParameterException", func() error {
			_, err := e.ECR.TagResource(ctx, &ecrsdk.TagResourceInput{ResourceArn: aws.String(arn), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
			return err
		}},
		{"not an ARN", "InvalidParameterException", func() error {
			_, err := e.ECR.ListTagsForResource(ctx, &ecrsdk.ListTagsForResourceInput{ResourceArn: aws.String("demo")})
			return err
		}},
		{"another account", "InvalidParameterException", func() error {
			_, err := e.ECR.UntagResource(ctx, &ecrsdk.UntagResourceInput{ResourceArn: aws.String(strings.Replace(arn, "000000000000", "111111111111", 1)), TagKeys: []string{"env"}})
			return err
		}},
		{"missing repository", "RepositoryNotFoundException", func() error {
			_, err := e.ECR.TagResource(ctx, &ecrsdk.TagResourceInput{ResourceArn: aws.String(arn + "x"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) { e.expectError(t, tc.code, tc.call) })
	}
}
