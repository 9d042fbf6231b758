package ecsapi_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
)

const taskDefARN = "arn:aws:ecs:us-east-1:000000000000:task-definition/"

// fargateInput is a minimal Fargate task definition as a user would register it.
func fargateInput(family string) *ecssdk.RegisterTaskDefinitionInput {
	return &ecssdk.RegisterTaskDefinitionInput{
		Family:                  aws.String(family),
		NetworkMode:             types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"),
		Memory:                  aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name:         aws.String("web"),
			Image:        aws.String("hello:v1"),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}},
		}},
	}
}

func register(t *testing.T, env *apitest.Env, in *ecssdk.RegisterTaskDefinitionInput) *types.TaskDefinition {
	t.Helper()
	out, err := env.ECS.RegisterTaskDefinition(apitest.Context(t), in)
	if err != nil {
		t.Fatalf("register %s: %v", aws.ToString(in.Family), err)
	}
	return out.TaskDefinition
}

func TestRegisterAndDescribeTaskDefinition(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	in := fargateInput("web")
	in.Tags = []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}
	td := register(t, env, in)
	if aws.ToString(td.TaskDefinitionArn) != taskDefARN+"web:1" || td.Revision != 1 || td.Status != types.TaskDefinitionStatusActive {
		t.Fatalf("registered %+v", td)
	}
	if aws.ToString(td.RegisteredBy) != "arn:aws:iam::000000000000:root" || td.RegisteredAt == nil {
		t.Fatalf("registeredBy %q at %v", aws.ToString(td.RegisteredBy), td.RegisteredAt)
	}
	if !slices.Contains(td.Compatibilities, types.CompatibilityFargate) {
		t.Fatalf("compatibilities %v", td.Compatibilities)
	}
	c := td.ContainerDefinitions[0]
	if c.Essential == nil || !*c.Essential || c.PortMappings[0].Protocol != types.TransportProtocolTcp {
		t.Fatalf("defaults not applied: %+v", c)
	}
	if got := register(t, env, fargateInput("web")); got.Revision != 2 {
		t.Fatalf("second revision %d", got.Revision)
	}

	for _, ref := range []string{"web", "web:1", taskDefARN + "web:1", taskDefARN + "web"} {
		out, err := env.ECS.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{
			TaskDefinition: aws.String(ref), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags},
		})
		if err != nil {
			t.Fatalf("describe %s: %v", ref, err)
		}
		wantRev := int32(1)
		if ref == "web" || ref == taskDefARN+"web" {
			wantRev = 2
		}
		if out.TaskDefinition.Revision != wantRev {
			t.Errorf("describe %s: revision %d, want %d", ref, out.TaskDefinition.Revision, wantRev)
		}
		if wantRev == 1 && len(out.Tags) != 1 {
			t.Errorf("describe %s with TAGS: tags %v", ref, out.Tags)
		}
	}
	for _, ref := range []string{"nope", "web:9", "web:x", "web:0", ""} {
		_, err := env.ECS.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String(ref)})
		if errorCode(err) != "ClientException" {
			t.Errorf("describe %q: %v, want ClientException", ref, err)
		}
	}
}

func TestRegisterTaskDefinitionRejectsBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	tests := []struct {
		name   string
		mutate func(*ecssdk.RegisterTaskDefinitionInput)
	}{
		{"bad family", func(in *ecssdk.RegisterTaskDefinitionInput) { in.Family = aws.String("a b") }},
		{"empty containers", func(in *ecssdk.RegisterTaskDefinitionInput) { in.ContainerDefinitions = []types.ContainerDefinition{} }},
		{"no image", func(in *ecssdk.RegisterTaskDefinitionInput) { in.ContainerDefinitions[0].Image = nil }},
		{"fargate size", func(in *ecssdk.RegisterTaskDefinitionInput) { in.Memory = aws.String("4096") }},
		{"fargate bridge", func(in *ecssdk.RegisterTaskDefinitionInput) { in.NetworkMode = types.NetworkModeBridge }},
		{"awsvpc host port", func(in *ecssdk.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].PortMappings[0].HostPort = aws.Int32(9999)
		}},
		{"duplicate container", func(in *ecssdk.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions = append(in.ContainerDefinitions, in.ContainerDefinitions[0])
		}},
		{"health check interval", func(in *ecssdk.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].HealthCheck = &types.HealthCheck{Command: []string{"CMD", "true"}, Interval: aws.Int32(1)}
		}},
		{"unknown dependency", func(in *ecssdk.RegisterTaskDefinitionInput) {
			in.ContainerDefinitions[0].DependsOn = []types.ContainerDependency{{ContainerName: aws.String("ghost"), Condition: types.ContainerConditionStart}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := fargateInput("bad")
			tt.mutate(in)
			_, err := env.ECS.RegisterTaskDefinition(ctx, in)
			if code := errorCode(err); code != "ClientException" {
				t.Fatalf("err = %v, want ClientException", err)
			}
		})
	}
	// Members the SDK itself insists on can only be left out by a hand-made request.
	for _, body := range []string{`{"containerDefinitions":[{"name":"c","image":"i","memory":128}]}`, `{"family":"bad"}`} {
		resp, b := env.RawJSON(t, "ecs", "AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition", []byte(body))
		if resp.StatusCode != 400 || !strings.Contains(string(b), "ClientException") {
			t.Errorf("%s: status %d body %s", body, resp.StatusCode, b)
		}
	}
	t.Cleanup(func() {
		out, err := env.ECS.ListTaskDefinitionFamilies(ctx, &ecssdk.ListTaskDefinitionFamiliesInput{})
		if err != nil || len(out.Families) != 0 {
			t.Errorf("rejected registrations left families: %v %v", out, err)
		}
	})
}

func TestConcurrentRegistrationsGetDistinctRevisions(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	const n = 12
	revs := make(chan int32, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			out, err := env.ECS.RegisterTaskDefinition(apitest.Context(t), fargateInput("race"))
			if err != nil {
				t.Error(err)
				return
			}
			revs <- out.TaskDefinition.Revision
		})
	}
	wg.Wait()
	close(revs)
	var got []int
	for r := range revs {
		got = append(got, int(r))
	}
	slices.Sort(got)
	var want []int
	for i := 1; i <= n; i++ {
		want = append(want, i)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("revisions (-want +got):\n%s", diff)
	}
}

func TestListTaskDefinitions(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	for _, fam := range []string{"api", "web", "api", "web", "web"} {
		register(t, env, fargateInput(fam))
	}
	if _, err := env.ECS.DeregisterTaskDefinition(ctx, &ecssdk.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("web:1")}); err != nil {
		t.Fatal(err)
	}
	arns := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, taskDefARN+n)
		}
		return out
	}
	tests := []struct {
		name string
		in   ecssdk.ListTaskDefinitionsInput
		want []string
	}{
		{"all active", ecssdk.ListTaskDefinitionsInput{}, arns("api:1", "api:2", "web:2", "web:3")},
		{"family", ecssdk.ListTaskDefinitionsInput{FamilyPrefix: aws.String("web")}, arns("web:2", "web:3")},
		{"family is not a prefix", ecssdk.ListTaskDefinitionsInput{FamilyPrefix: aws.String("we")}, nil},
		{"inactive", ecssdk.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusInactive}, arns("web:1")},
		{"descending", ecssdk.ListTaskDefinitionsInput{Sort: types.SortOrderDesc}, arns("web:3", "web:2", "api:2", "api:1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, pageSize := range []int32{1, 3, 100} {
				in := tt.in
				in.MaxResults = aws.Int32(pageSize)
				var got []string
				pages := ecssdk.NewListTaskDefinitionsPaginator(env.ECS, &in)
				for pages.HasMorePages() {
					page, err := pages.NextPage(ctx)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, page.TaskDefinitionArns...)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("page size %d (-want +got):\n%s", pageSize, diff)
				}
			}
		})
	}
	_, err := env.ECS.ListTaskDefinitions(ctx, &ecssdk.ListTaskDefinitionsInput{Status: "BOGUS"})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("bad status: %v", err)
	}
}

func TestTaskDefinitionLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	register(t, env, fargateInput("app"))
	register(t, env, fargateInput("app"))
	register(t, env, fargateInput("other"))

	families := func(status types.TaskDefinitionFamilyStatus) []string {
		t.Helper()
		out, err := env.ECS.ListTaskDefinitionFamilies(ctx, &ecssdk.ListTaskDefinitionFamiliesInput{Status: status})
		if err != nil {
			t.Fatal(err)
		}
		return out.Families
	}
	if diff := cmp.Diff([]string{"app", "other"}, families("")); diff != "" {
		t.Fatalf("families: %s", diff)
	}

	del, err := env.ECS.DeleteTaskDefinitions(ctx, &ecssdk.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"app:1"}})
	if err != nil || len(del.Failures) != 1 || len(del.TaskDefinitions) != 0 {
		t.Fatalf("deleting an ACTIVE revision must fail per item: %+v %v", del, err)
	}
	for _, ref := range []string{"app:1", taskDefARN + "app:2"} {
		out, err := env.ECS.DeregisterTaskDefinition(ctx, &ecssdk.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(ref)})
		if err != nil || out.TaskDefinition.Status != types.TaskDefinitionStatusInactive || out.TaskDefinition.DeregisteredAt == nil {
			t.Fatalf("deregister %s: %+v %v", ref, out, err)
		}
	}
	if diff := cmp.Diff([]string{"app"}, families(types.TaskDefinitionFamilyStatusInactive)); diff != "" {
		t.Fatalf("inactive families: %s", diff)
	}
	if diff := cmp.Diff([]string{"other"}, families(types.TaskDefinitionFamilyStatusActive)); diff != "" {
		t.Fatalf("active families: %s", diff)
	}
	_, err = env.ECS.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app")})
	if errorCode(err) != "ClientException" {
		t.Fatalf("family without ACTIVE revisions must not resolve: %v", err)
	}
	old, err := env.ECS.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String("app:1")})
	if err != nil || old.TaskDefinition.Status != types.TaskDefinitionStatusInactive {
		t.Fatalf("inactive revisions stay describable: %+v %v", old, err)
	}

	del, err = env.ECS.DeleteTaskDefinitions(ctx, &ecssdk.DeleteTaskDefinitionsInput{TaskDefinitions: []string{"app:1", "app:7"}})
	if err != nil || len(del.TaskDefinitions) != 1 || len(del.Failures) != 1 {
		t.Fatalf("delete: %+v %v", del, err)
	}
	if del.TaskDefinitions[0].Status != types.TaskDefinitionStatusDeleteInProgress || aws.ToString(del.Failures[0].Arn) != taskDefARN+"app:7" {
		t.Fatalf("delete result: %+v", del)
	}
	// Revisions are never reused, even after the family's revisions were all deregistered.
	if got := register(t, env, fargateInput("app")); got.Revision != 3 {
		t.Fatalf("next revision %d, want 3", got.Revision)
	}
	_, err = env.ECS.DeregisterTaskDefinition(ctx, &ecssdk.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("app")})
	if errorCode(err) != "ClientException" {
		t.Fatalf("deregister without revision: %v", err)
	}
}

func TestTaskDefinitionTags(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	register(t, env, fargateInput("tagged"))
	arn := aws.String(taskDefARN + "tagged:1")
	if _, err := env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}}); err != nil {
		t.Fatal(err)
	}
	out, err := env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil || len(out.Tags) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	many := make([]types.Tag, 51)
	for i := range many {
		many[i] = types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")}
	}
	if _, err := env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: arn, Tags: many}); errorCode(err) != "InvalidParameterException" {
		t.Fatalf("51 tags: %v", err)
	}
}
