package codedeployapi_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every CodeDeploy operation of a service that holds
// application a with deployment group g, built afresh for each input. No input may panic, and
// every failure must be a client error (4xx): a 500 would mean the server itself broke.
func FuzzOperations(f *testing.F) {
	group := func(name string) string {
		return `"applicationName":"a","deploymentGroupName":"` + name + `","serviceRoleArn":"r","deploymentStyle":{"deploymentType":"BLUE_GREEN","deploymentOption":"WITH_TRAFFIC_CONTROL"},` +
			`"ecsServices":[{"serviceName":"s","clusterName":"c"}],"loadBalancerInfo":{"targetGroupPairInfoList":[{"targetGroups":[{"name":"b"},{"name":"g"}],` +
			`"prodTrafficRoute":{"listenerArns":["arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/lb/1/2"]}}]}`
	}
	const blueGreen = `"blueGreenDeploymentConfiguration":{"terminateBlueInstancesOnDeploymentSuccess":{"action":"TERMINATE","terminationWaitTimeInMinutes":5},"deploymentReadyOption":{"actionOnTimeout":"STOP_DEPLOYMENT","waitTimeInMinutes":1}}`
	setup := []apitest.Call{
		{Op: "CreateApplication", Body: `{"applicationName":"a","computePlatform":"ECS"}`},
		{Op: "CreateDeploymentGroup", Body: `{` + group("g") + `}`},
	}
	seeds := []apitest.Call{
		{Op: "CreateApplication", Body: `{"applicationName":"b","computePlatform":"ECS","tags":[{"Key":"k","Value":"v"}]}`},
		{Op: "GetApplication", Body: `{"applicationName":"a"}`},
		{Op: "BatchGetApplications", Body: `{"applicationNames":["a","b"]}`},
		{Op: "ListApplications", Body: `{"nextToken":"YQ"}`},
		{Op: "DeleteApplication", Body: `{"applicationName":"a"}`},
		{Op: "CreateDeploymentConfig", Body: `{"deploymentConfigName":"c","computePlatform":"ECS","trafficRoutingConfig":{"type":"TimeBasedLinear","timeBasedLinear":{"linearPercentage":10,"linearInterval":1}}}`},
		{Op: "GetDeploymentConfig", Body: `{"deploymentConfigName":"CodeDeployDefault.ECSAllAtOnce"}`},
		{Op: "ListDeploymentConfigs", Body: `{"nextToken":"YQ"}`},
		{Op: "DeleteDeploymentConfig", Body: `{"deploymentConfigName":"CodeDeployDefault.ECSAllAtOnce"}`},
		{Op: "CreateDeploymentGroup", Body: `{` + group("h") + `,` + blueGreen + `}`},
		{Op: "GetDeploymentGroup", Body: `{"applicationName":"a","deploymentGroupName":"g"}`},
		{Op: "BatchGetDeploymentGroups", Body: `{"applicationName":"a","deploymentGroupNames":["g","h"]}`},
		{Op: "ListDeploymentGroups", Body: `{"applicationName":"a","nextToken":"YQ"}`},
		{Op: "UpdateDeploymentGroup", Body: `{"applicationName":"a","currentDeploymentGroupName":"g","newDeploymentGroupName":"h",` + blueGreen + `}`},
		{Op: "DeleteDeploymentGroup", Body: `{"applicationName":"a","deploymentGroupName":"g"}`},
		{Op: "CreateDeployment", Body: `{"applicationName":"a","deploymentGroupName":"g","revision":{"revisionType":"AppSpecContent","appSpecContent":{"content":"{\"version\":0,\"Resources\":[{\"s\":{\"Type\":\"AWS::ECS::Service\",\"Properties\":{\"TaskDefinition\":\"td\",\"LoadBalancerInfo\":{\"ContainerName\":\"w\",\"ContainerPort\":80}}}}]}"}},"description":"d"}`},
		{Op: "CreateDeployment", Body: `{"applicationName":"a","deploymentGroupName":"g","revision":{"revisionType":"AppSpecContent","appSpecContent":{"content":"version: 0.0\nResources: [{s: {Type: AWS::ECS::Service}}]","sha256":"00"}}}`},
		{Op: "GetDeployment", Body: `{"deploymentId":"d-AAAAAAAAA"}`},
		{Op: "BatchGetDeployments", Body: `{"deploymentIds":["d-AAAAAAAAA"]}`},
		{Op: "ListDeployments", Body: `{"applicationName":"a","deploymentGroupName":"g","includeOnlyStatuses":["Created"],"createTimeRange":{"start":1,"end":2}}`},
		{Op: "StopDeployment", Body: `{"deploymentId":"d-AAAAAAAAA","autoRollbackEnabled":true}`},
		{Op: "ContinueDeployment", Body: `{"deploymentId":"d-AAAAAAAAA","deploymentWaitType":"TERMINATION_WAIT"}`},
		{Op: "ListDeploymentTargets", Body: `{"deploymentId":"d-AAAAAAAAA","nextToken":"YQ"}`},
		{Op: "BatchGetDeploymentTargets", Body: `{"deploymentId":"d-AAAAAAAAA","targetIds":["c:s"]}`},
		{Op: "GetDeploymentTarget", Body: `{"deploymentId":"d-AAAAAAAAA","targetId":"c:s"}`},
	}
	apitest.FuzzJSON(f, func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = mem.Close() })
		return codedeployapi.New(store.New(mem), arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}, time.Now).Service()
	}, setup, seeds)
}
