package ecsapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every ECS operation of a service that holds cluster
// a with task definition f, service s and the EXTERNAL service x, built afresh for each input.
// No input may panic, and every failure must be a client error (4xx): a 500 would mean the
// server itself broke.
func FuzzOperations(f *testing.F) {
	setup := []apitest.Call{
		{Op: "CreateCluster", Body: `{"clusterName":"a"}`},
		{Op: "RegisterTaskDefinition", Body: `{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80}]}]}`},
		{Op: "CreateService", Body: `{"cluster":"a","serviceName":"s","taskDefinition":"f","desiredCount":1}`},
		{Op: "CreateService", Body: `{"cluster":"a","serviceName":"x","desiredCount":1,"deploymentController":{"type":"EXTERNAL"}}`},
	}
	seeds := []apitest.Call{
		{Op: "CreateCluster", Body: `{"clusterName":"b","tags":[{"key":"k","value":"v"}],"settings":[{"name":"containerInsights","value":"enabled"}]}`},
		{Op: "DescribeClusters", Body: `{"clusters":["a","arn:aws:ecs:us-east-1:000000000000:cluster/a"],"include":["TAGS"]}`},
		{Op: "ListClusters", Body: `{"nextToken":"YQ","maxResults":0}`},
		{Op: "UpdateCluster", Body: `{"cluster":"a","settings":[{"name":"containerInsights","value":"disabled"}]}`},
		{Op: "UpdateClusterSettings", Body: `{"cluster":"a","settings":[{"name":"containerInsights","value":"enhanced"}]}`},
		{Op: "DeleteCluster", Body: `{"cluster":"a"}`},
		{Op: "RegisterTaskDefinition", Body: `{"family":"f","containerDefinitions":[{"name":"c","image":"i","memory":128}]}`},
		{Op: "RegisterTaskDefinition", Body: `{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80}],"healthCheck":{"command":["CMD","true"]}}]}`},
		{Op: "DescribeTaskDefinition", Body: `{"taskDefinition":"f:1","include":["TAGS"]}`},
		{Op: "ListTaskDefinitions", Body: `{"familyPrefix":"f","sort":"DESC","maxResults":1}`},
		{Op: "ListTaskDefinitionFamilies", Body: `{"familyPrefix":"f","status":"ACTIVE","maxResults":1}`},
		{Op: "DeregisterTaskDefinition", Body: `{"taskDefinition":"f:1"}`},
		{Op: "DeleteTaskDefinitions", Body: `{"taskDefinitions":["f:1","f"]}`},
		{Op: "CreateService", Body: `{"cluster":"a","serviceName":"t","taskDefinition":"f","desiredCount":2,"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/t/1","containerName":"c","containerPort":80}],"deploymentConfiguration":{"maximumPercent":150,"minimumHealthyPercent":50,"deploymentCircuitBreaker":{"enable":true,"rollback":true}},"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s-1"]}},"clientToken":"t"}`},
		{Op: "CreateService", Body: `{"cluster":"a","serviceName":"y","desiredCount":2,"deploymentController":{"type":"EXTERNAL"}}`},
		{Op: "UpdateService", Body: `{"cluster":"a","service":"s","taskDefinition":"f:1","forceNewDeployment":true,"desiredCount":0,"volumeConfigurations":[]}`},
		{Op: "DescribeServices", Body: `{"cluster":"a","services":["s","arn:aws:ecs:us-east-1:000000000000:service/a/s","ghost"],"include":["TAGS"]}`},
		{Op: "ListServices", Body: `{"cluster":"a","launchType":"FARGATE","schedulingStrategy":"REPLICA","maxResults":1}`},
		{Op: "DeleteService", Body: `{"cluster":"a","service":"s","force":true}`},
		{Op: "RunTask", Body: `{"cluster":"a","taskDefinition":"f","count":2,"launchType":"FARGATE","startedBy":"GitHub-Actions","tags":[],"clientToken":"c1","overrides":{"containerOverrides":[{"name":"c","command":["x"]}]},"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s"],"assignPublicIp":"DISABLED"}}}`},
		{Op: "StartTask", Body: `{"cluster":"a","taskDefinition":"f","containerInstances":["0123456789abcdef0123456789abcdef"]}`},
		{Op: "DescribeTasks", Body: `{"cluster":"a","tasks":["0123456789abcdef0123456789abcdef","arn:aws:ecs:us-east-1:000000000000:task/a/0123456789abcdef0123456789abcdef"],"include":["TAGS"]}`},
		{Op: "ListTasks", Body: `{"cluster":"a","desiredStatus":"STOPPED","family":"f","serviceName":"s","startedBy":"x"}`},
		{Op: "StopTask", Body: `{"cluster":"a","task":"arn:aws:ecs:us-east-1:000000000000:task/a/0123456789abcdef0123456789abcdef","reason":"r"}`},
		{Op: "ListContainerInstances", Body: `{"cluster":"a","status":"DRAINING","filter":"","maxResults":1}`},
		{Op: "DescribeContainerInstances", Body: `{"cluster":"a","containerInstances":["x"],"include":["TAGS","CONTAINER_INSTANCE_HEALTH"]}`},
		{Op: "TagResource", Body: `{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:service/a/s","tags":[{"key":"k","value":"v"}]}`},
		{Op: "TagResource", Body: `{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:task-definition/f:1","tags":[{"key":"k","value":"v"}]}`},
		{Op: "ListTagsForResource", Body: `{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:cluster/a"}`},
		{Op: "UntagResource", Body: `{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:service/a/s","tagKeys":["k"]}`},
		{Op: "CreateTaskSet", Body: `{"cluster":"a","service":"x","taskDefinition":"f","externalId":"e","scale":{"value":50,"unit":"PERCENT"},"clientToken":"t","loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/t/1","containerName":"c","containerPort":80}]}`},
		{Op: "DescribeTaskSets", Body: `{"cluster":"a","service":"x","taskSets":["ecs-svc/1","arn:aws:ecs:us-east-1:000000000000:task-set/a/x/ecs-svc/1"],"include":["TAGS"]}`},
		{Op: "UpdateTaskSet", Body: `{"cluster":"a","service":"x","taskSet":"ecs-svc/1","scale":{"value":150,"unit":"FOO"}}`},
		{Op: "UpdateServicePrimaryTaskSet", Body: `{"cluster":"a","service":"x","primaryTaskSet":"ecs-svc/1"}`},
		{Op: "DeleteTaskSet", Body: `{"cluster":"a","service":"x","taskSet":"ecs-svc/1","force":true}`},
	}
	apitest.FuzzJSON(f, func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = mem.Close() })
		return ecsapi.New(store.New(mem), arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}, time.Now).Service()
	}, setup, seeds)
}
