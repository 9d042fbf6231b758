package ecsapi_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

const clusterARN = "arn:aws:ecs:us-east-1:000000000000:cluster/"

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func TestCreateAndDescribeCluster(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	created, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{
		ClusterName: aws.String("demo"),
		Tags:        []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
		Settings:    []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enabled")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := created.Cluster
	if aws.ToString(c.ClusterArn) != clusterARN+"demo" || aws.ToString(c.Status) != "ACTIVE" || len(c.Tags) != 1 {
		t.Fatalf("created %+v", c)
	}

	again, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")})
	if err != nil || len(again.Cluster.Tags) != 1 {
		t.Fatalf("creating an existing cluster must return it unchanged: %+v, %v", again, err)
	}

	desc, err := env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{
		Clusters: []string{"demo", clusterARN + "demo", "ghost"},
		Include:  []types.ClusterField{types.ClusterFieldTags, types.ClusterFieldSettings, types.ClusterFieldStatistics},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.Clusters) != 2 || len(desc.Failures) != 1 {
		t.Fatalf("clusters %d failures %d", len(desc.Clusters), len(desc.Failures))
	}
	if f := desc.Failures[0]; aws.ToString(f.Arn) != clusterARN+"ghost" || aws.ToString(f.Reason) != "MISSING" {
		t.Fatalf("failure %+v", f)
	}
	got := desc.Clusters[0]
	if len(got.Statistics) == 0 || len(got.Tags) != 1 || aws.ToString(got.Settings[0].Value) != "enabled" {
		t.Fatalf("include not honoured: %+v", got)
	}
	plain, err := env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{Clusters: []string{"demo"}})
	if err != nil || len(plain.Clusters[0].Tags) != 0 || len(plain.Clusters[0].Statistics) != 0 {
		t.Fatalf("tags or statistics without include: %+v %v", plain, err)
	}
}

func TestDescribeClustersDefault(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	out, err := env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{})
	if err != nil || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Arn) != clusterARN+"default" {
		t.Fatalf("%+v %v", out, err)
	}
	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{}); err != nil {
		t.Fatal(err)
	}
	out, err = env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{})
	if err != nil || len(out.Clusters) != 1 || aws.ToString(out.Clusters[0].ClusterName) != "default" {
		t.Fatalf("%+v %v", out, err)
	}
}

func TestListClustersPaginates(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("c%02d", i)
		if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		want = append(want, clusterARN+name)
	}
	var got []string
	pages := ecssdk.NewListClustersPaginator(env.ECS, &ecssdk.ListClustersInput{MaxResults: aws.Int32(3)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n++
		got = append(got, page.ClusterArns...)
	}
	if diff := cmp.Diff(want, got); diff != "" || n != 3 {
		t.Fatalf("pages %d, diff (-want +got):\n%s", n, diff)
	}
	_, err := env.ECS.ListClusters(ctx, &ecssdk.ListClustersInput{NextToken: aws.String("!!!")})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("bad token: %v", err)
	}
	_, err = env.ECS.ListClusters(ctx, &ecssdk.ListClustersInput{MaxResults: aws.Int32(101)})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("maxResults 101: %v", err)
	}
}

func TestDeleteCluster(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("busy")}); err != nil {
		t.Fatal(err)
	}
	svc := ecs.Service{Name: "web", ClusterName: "busy", Status: ecs.ServiceActive}
	if _, err := env.Store.Services.Create(ctx, store.ServiceID("busy", "web"), svc); err != nil {
		t.Fatal(err)
	}
	_, err := env.ECS.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String("busy")})
	if errorCode(err) != "ClusterContainsServicesException" {
		t.Fatalf("delete with an active service: %v", err)
	}
	if _, err := env.Store.Services.Update(ctx, store.ServiceID("busy", "web"), func(s *ecs.Service) error {
		s.Status = ecs.ServiceInactive
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, err := env.ECS.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String(clusterARN + "busy")})
	if err != nil || aws.ToString(out.Cluster.Status) != "INACTIVE" {
		t.Fatalf("delete: %+v %v", out, err)
	}
	list, err := env.ECS.ListClusters(ctx, &ecssdk.ListClustersInput{})
	if err != nil || len(list.ClusterArns) != 0 {
		t.Fatalf("deleted cluster listed: %v %v", list, err)
	}
	desc, err := env.ECS.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{Clusters: []string{"busy"}})
	if err != nil || aws.ToString(desc.Clusters[0].Status) != "INACTIVE" {
		t.Fatalf("describe deleted: %+v %v", desc, err)
	}
	_, err = env.ECS.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String("busy")})
	if errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("second delete: %v", err)
	}
	revived, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("busy")})
	if err != nil || aws.ToString(revived.Cluster.Status) != "ACTIVE" {
		t.Fatalf("recreate: %+v %v", revived, err)
	}
}

func TestUpdateClusterSettings(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	out, err := env.ECS.UpdateClusterSettings(ctx, &ecssdk.UpdateClusterSettingsInput{
		Cluster:  aws.String("c"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("enhanced")}},
	})
	if err != nil || aws.ToString(out.Cluster.Settings[0].Value) != "enhanced" {
		t.Fatalf("%+v %v", out, err)
	}
	_, err = env.ECS.UpdateClusterSettings(ctx, &ecssdk.UpdateClusterSettingsInput{
		Cluster:  aws.String("c"),
		Settings: []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("maybe")}},
	})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("bad value: %v", err)
	}
	_, err = env.ECS.UpdateCluster(ctx, &ecssdk.UpdateClusterInput{Cluster: aws.String("ghost")})
	if errorCode(err) != "ClusterNotFoundException" {
		t.Fatalf("update missing: %v", err)
	}
}

func TestClusterTags(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	if _, err := env.ECS.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("t")}); err != nil {
		t.Fatal(err)
	}
	arn := aws.String(clusterARN + "t")
	if _, err := env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{
		{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("3")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ECS.UntagResource(ctx, &ecssdk.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	out, err := env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil || len(out.Tags) != 1 || aws.ToString(out.Tags[0].Value) != "3" {
		t.Fatalf("tags %+v %v", out, err)
	}
	_, err = env.ECS.TagResource(ctx, &ecssdk.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("1")}}})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("reserved prefix: %v", err)
	}
	_, err = env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: aws.String(clusterARN + "ghost")})
	if errorCode(err) != "ResourceNotFoundException" {
		t.Fatalf("missing resource: %v", err)
	}
	_, err = env.ECS.ListTagsForResource(ctx, &ecssdk.ListTagsForResourceInput{ResourceArn: aws.String("not-an-arn")})
	if errorCode(err) != "InvalidParameterException" {
		t.Fatalf("bad arn: %v", err)
	}
}
