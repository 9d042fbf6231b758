package codedeployapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every CodeDeploy operation. No input may panic, and
// every failure must be a client error (4xx): a 500 would mean the server itself broke.
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	svc := codedeployapi.New(store.New(mem), arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}, time.Now).Service()
	group := `"applicationName":"a","deploymentGroupName":"g","serviceRoleArn":"r","deploymentStyle":{"deploymentType":"BLUE_GREEN","deploymentOption":"WITH_TRAFFIC_CONTROL"},` +
		`"ecsServices":[{"serviceName":"s","clusterName":"c"}],"loadBalancerInfo":{"targetGroupPairInfoList":[{"targetGroups":[{"name":"b"},{"name":"g"}],` +
		`"prodTrafficRoute":{"listenerArns":["arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/1/2"]}}]}`
	seeds := []string{
		`{}`, `{"applicationName":"a","computePlatform":"ECS"}`, `{"applicationNames":["a","b"]}`, `{"nextToken":"YQ"}`,
		`{"deploymentConfigName":"c","computePlatform":"ECS","trafficRoutingConfig":{"type":"TimeBasedLinear","timeBasedLinear":{"linearPercentage":10,"linearInterval":1}}}`,
		`{"deploymentConfigName":"CodeDeployDefault.ECSAllAtOnce"}`,
		`{` + group + `}`,
		`{` + group + `,"blueGreenDeploymentConfiguration":{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":5},"deploymentReadyOption":{"actionOnTimeout":"STOP_DEPLOYMENT","waitTimeInMinutes":1}}}`,
		`{"applicationName":"a","currentDeploymentGroupName":"g","newDeploymentGroupName":"h"}`,
		`{"applicationName":"a","deploymentGroupNames":["g","h"]}`,
		`{"applicationName":"a","deploymentGroupName":"g","revision":{"revisionType":"AppSpecContent","appSpecContent":{"content":"{\"version\":0,\"Resources\":[{\"s\":{\"Type\":\"AWS::ECS::Service\",\"Properties\":{\"TaskDefinition\":\"td\",\"LoadBalancerInfo\":{\"ContainerName\":\"w\",\"ContainerPort\":80}}}}]}"}},"description":"d"}`,
		`{"applicationName":"a","deploymentGroupName":"g","revision":{"revisionType":"AppSpecContent","appSpecContent":{"content":"version: 0.0\nResources: [{s: {Type: AWS::ECS::Service}}]","sha256":"00"}}}`,
		`{"deploymentId":"d-AAAAAAAAA","autoRollbackEnabled":true,"deploymentWaitType":"TERMINATION_WAIT","targetIds":["c:s"],"targetId":"c:s"}`,
		`{"deploymentIds":["d-AAAAAAAAA"]}`,
		`{"applicationName":"a","deploymentGroupName":"g","includeOnlyStatuses":["Created"],"createTimeRange":{"start":1,"end":2}}`,
	}
	apitest.FuzzJSON(f, svc, seeds)
}
