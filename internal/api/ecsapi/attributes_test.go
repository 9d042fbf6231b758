package ecsapi_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
)

func TestUpdateContainerInstancesState(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	putInstance(t, env, "c", inst1, ecs.InstanceActive)
	putInstance(t, env, "c", inst3, ecs.InstanceInactive)
	out, err := env.ECS.UpdateContainerInstancesState(ctx, &ecssdk.UpdateContainerInstancesStateInput{
		Cluster: aws.String("c"), ContainerInstances: []string{inst1, inst3}, Status: types.ContainerInstanceStatusDraining,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ContainerInstances) != 1 || aws.ToString(out.ContainerInstances[0].Status) != "DRAINING" || out.ContainerInstances[0].Version != 4 {
		t.Errorf("updated: %+v", out.ContainerInstances)
	}
	if len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" {
		t.Errorf("failures: %+v", out.Failures)
	}
	draining, err := env.ECS.ListContainerInstances(ctx, &ecssdk.ListContainerInstancesInput{Cluster: aws.String("c"), Status: types.ContainerInstanceStatusDraining})
	if err != nil || len(draining.ContainerInstanceArns) != 1 {
		t.Fatalf("DRAINING instances: %+v, %v", draining, err)
	}
	if _, err := env.ECS.UpdateContainerInstancesState(ctx, &ecssdk.UpdateContainerInstancesStateInput{
		Cluster: aws.String("c"), ContainerInstances: []string{inst1}, Status: types.ContainerInstanceStatusActive,
	}); err != nil {
		t.Fatal(err)
	}
	for _, status := range []types.ContainerInstanceStatus{types.ContainerInstanceStatusRegistering, "BOGUS"} {
		_, err := env.ECS.UpdateContainerInstancesState(ctx, &ecssdk.UpdateContainerInstancesStateInput{
			Cluster: aws.String("c"), ContainerInstances: []string{inst1}, Status: status,
		})
		var invalid *types.InvalidParameterException
		if !errors.As(err, &invalid) {
			t.Errorf("status %s: %v, want InvalidParameterException", status, err)
		}
	}
}

func TestAttributes(t *testing.T) {
	t.Parallel()
	env := serviceEnv(t)
	ctx := apitest.Context(t)
	putInstance(t, env, "c", inst1, ecs.InstanceActive)
	put := func(attrs ...types.Attribute) error {
		_, err := env.ECS.PutAttributes(ctx, &ecssdk.PutAttributesInput{Cluster: aws.String("c"), Attributes: attrs})
		return err
	}
	attr := func(name, value, target string) types.Attribute {
		a := types.Attribute{Name: aws.String(name), TargetId: aws.String(target), TargetType: types.TargetTypeContainerInstance}
		if value != "" {
			a.Value = aws.String(value)
		}
		return a
	}
	if err := put(attr("stack", "prod", inst1), attr("gpu", "", instanceARN+"c/"+inst1)); err != nil {
		t.Fatal(err)
	}
	if err := put(attr("stack", "test", inst1)); err != nil {
		t.Fatal(err)
	}
	list := func(name, value string) []types.Attribute {
		t.Helper()
		in := &ecssdk.ListAttributesInput{Cluster: aws.String("c"), TargetType: types.TargetTypeContainerInstance}
		if name != "" {
			in.AttributeName = aws.String(name)
		}
		if value != "" {
			in.AttributeValue = aws.String(value)
		}
		out, err := env.ECS.ListAttributes(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Attributes
	}
	if got := list("", ""); len(got) != 3 {
		t.Errorf("all attributes: %+v", got)
	}
	if got := list("stack", "test"); len(got) != 1 || aws.ToString(got[0].TargetId) != instanceARN+"c/"+inst1 {
		t.Errorf("stack=test: %+v", got)
	}
	if got := list("stack", "prod"); len(got) != 0 {
		t.Errorf("stack=prod after the overwrite: %+v", got)
	}
	if _, err := env.ECS.DeleteAttributes(ctx, &ecssdk.DeleteAttributesInput{Cluster: aws.String("c"), Attributes: []types.Attribute{attr("stack", "", inst1)}}); err != nil {
		t.Fatal(err)
	}
	if got := list("stack", ""); len(got) != 0 {
		t.Errorf("stack after DeleteAttributes: %+v", got)
	}
	var notFound *types.TargetNotFoundException
	if err := put(attr("x", "1", inst2)); !errors.As(err, &notFound) {
		t.Errorf("unknown target: %v, want TargetNotFoundException", err)
	}
	var invalid *types.InvalidParameterException
	if err := put(attr("ecs.os-type", "windows", inst1)); !errors.As(err, &invalid) {
		t.Errorf("reserved name: %v, want InvalidParameterException", err)
	}
	var limit *types.AttributeLimitExceededException
	for i := range 10 {
		err := put(attr(string(rune('a'+i))+"-custom", "v", inst1))
		if i < 9 && err != nil {
			t.Fatal(err)
		}
		if i == 9 && !errors.As(err, &limit) {
			t.Errorf("an 11th custom attribute: %v, want AttributeLimitExceededException", err)
		}
	}
}
