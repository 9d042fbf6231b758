package ecsapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every ECS operation. No input may panic, and every
// failure must be a client error (4xx): a 500 would mean the server itself broke.
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	svc := ecsapi.New(store.New(mem), arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}, time.Now).Service()
	seeds := []string{
		`{}`, `{"clusterName":"a"}`, `{"cluster":"a"}`, `{"clusters":["a","arn:aws:ecs:us-east-1:000000000000:cluster/a"],"include":["TAGS"]}`,
		`{"family":"f","containerDefinitions":[{"name":"c","image":"i","memory":128}]}`,
		`{"family":"f","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"256","memory":"512","containerDefinitions":[{"name":"c","image":"i","portMappings":[{"containerPort":80}],"healthCheck":{"command":["CMD","true"]}}]}`,
		`{"taskDefinition":"f:1","include":["TAGS"]}`, `{"taskDefinitions":["f:1","f"]}`, `{"familyPrefix":"f","sort":"DESC","maxResults":1}`,
		`{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:task-definition/f:1","tags":[{"key":"k","value":"v"}]}`,
		`{"nextToken":"YQ","maxResults":0}`,
		`{"cluster":"a","serviceName":"s","taskDefinition":"f","desiredCount":2,"loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/t/1","containerName":"c","containerPort":80}],"deploymentConfiguration":{"maximumPercent":150,"minimumHealthyPercent":50,"deploymentCircuitBreaker":{"enable":true,"rollback":true}},"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s-1"]}},"clientToken":"t"}`,
		`{"cluster":"a","service":"s","taskDefinition":"f:1","forceNewDeployment":true,"desiredCount":0,"volumeConfigurations":[]}`,
		`{"cluster":"a","services":["s","arn:aws:ecs:us-east-1:000000000000:service/a/s","ghost"],"include":["TAGS"]}`,
		`{"cluster":"a","service":"s","force":true}`, `{"cluster":"a","launchType":"FARGATE","schedulingStrategy":"REPLICA","maxResults":1}`,
		`{"cluster":"a","taskDefinition":"f","count":2,"launchType":"FARGATE","startedBy":"GitHub-Actions","tags":[],"clientToken":"c1","overrides":{"containerOverrides":[{"name":"c","command":["x"]}]},"networkConfiguration":{"awsvpcConfiguration":{"subnets":["s"],"assignPublicIp":"DISABLED"}}}`,
		`{"cluster":"a","taskDefinition":"f","containerInstances":["0123456789abcdef0123456789abcdef"]}`,
		`{"cluster":"a","tasks":["0123456789abcdef0123456789abcdef","arn:aws:ecs:us-east-1:000000000000:task/a/0123456789abcdef0123456789abcdef"],"include":["TAGS"]}`,
		`{"cluster":"a","task":"arn:aws:ecs:us-east-1:000000000000:task/a/0123456789abcdef0123456789abcdef","reason":"r"}`,
		`{"cluster":"a","desiredStatus":"STOPPED","family":"f","serviceName":"s","startedBy":"x"}`,
		`{"cluster":"a","containerInstances":["x"],"include":["TAGS","CONTAINER_INSTANCE_HEALTH"],"status":"DRAINING","filter":""}`,
		`{"resourceArn":"arn:aws:ecs:us-east-1:000000000000:service/a/s","tags":[{"key":"k","value":"v"}]}`,
		`{"cluster":"a","serviceName":"x","desiredCount":2,"deploymentController":{"type":"EXTERNAL"}}`,
		`{"cluster":"a","service":"x","taskDefinition":"f","externalId":"e","scale":{"value":50,"unit":"PERCENT"},"clientToken":"t","loadBalancers":[{"targetGroupArn":"arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/t/1","containerName":"c","containerPort":80}]}`,
		`{"cluster":"a","service":"x","taskSets":["ecs-svc/1","arn:aws:ecs:us-east-1:000000000000:task-set/a/x/ecs-svc/1"],"include":["TAGS"]}`,
		`{"cluster":"a","service":"x","taskSet":"ecs-svc/1","scale":{"value":150,"unit":"FOO"},"primaryTaskSet":"ecs-svc/1","force":true}`,
	}
	apitest.FuzzJSON(f, svc, seeds)
}
