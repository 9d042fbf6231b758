package ecsapi

import (
	"reflect"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// serviceShapes maps the botocore shapes of the service, task, container instance and task set
// operations to their wire types (testdata/services-members.json lists the model's members).
var serviceShapes = map[string]reflect.Type{
	"CreateServiceRequest":                        reflect.TypeFor[createServiceInput](),
	"CreateServiceResponse":                       reflect.TypeFor[serviceOutput](),
	"UpdateServiceRequest":                        reflect.TypeFor[updateServiceInput](),
	"UpdateServiceResponse":                       reflect.TypeFor[serviceOutput](),
	"DeleteServiceRequest":                        reflect.TypeFor[deleteServiceInput](),
	"DeleteServiceResponse":                       reflect.TypeFor[serviceOutput](),
	"DescribeServicesRequest":                     reflect.TypeFor[describeServicesInput](),
	"DescribeServicesResponse":                    reflect.TypeFor[describeServicesOutput](),
	"ListServicesRequest":                         reflect.TypeFor[listServicesInput](),
	"ListServicesResponse":                        reflect.TypeFor[listServicesOutput](),
	"RunTaskRequest":                              reflect.TypeFor[runTaskInput](),
	"RunTaskResponse":                             reflect.TypeFor[tasksOutput](),
	"StartTaskRequest":                            reflect.TypeFor[startTaskInput](),
	"StartTaskResponse":                           reflect.TypeFor[tasksOutput](),
	"StopTaskRequest":                             reflect.TypeFor[stopTaskInput](),
	"StopTaskResponse":                            reflect.TypeFor[stopTaskOutput](),
	"DescribeTasksRequest":                        reflect.TypeFor[describeTasksInput](),
	"DescribeTasksResponse":                       reflect.TypeFor[tasksOutput](),
	"ListTasksRequest":                            reflect.TypeFor[listTasksInput](),
	"ListTasksResponse":                           reflect.TypeFor[listTasksOutput](),
	"ListContainerInstancesRequest":               reflect.TypeFor[listContainerInstancesInput](),
	"ListContainerInstancesResponse":              reflect.TypeFor[listContainerInstancesOutput](),
	"DescribeContainerInstancesRequest":           reflect.TypeFor[describeContainerInstancesInput](),
	"DescribeContainerInstancesResponse":          reflect.TypeFor[describeContainerInstancesOutput](),
	"CreateTaskSetRequest":                        reflect.TypeFor[createTaskSetInput](),
	"CreateTaskSetResponse":                       reflect.TypeFor[taskSetOutput](),
	"DescribeTaskSetsRequest":                     reflect.TypeFor[describeTaskSetsInput](),
	"DescribeTaskSetsResponse":                    reflect.TypeFor[describeTaskSetsOutput](),
	"UpdateTaskSetRequest":                        reflect.TypeFor[updateTaskSetInput](),
	"UpdateTaskSetResponse":                       reflect.TypeFor[taskSetOutput](),
	"UpdateServicePrimaryTaskSetRequest":          reflect.TypeFor[updateServicePrimaryTaskSetInput](),
	"UpdateServicePrimaryTaskSetResponse":         reflect.TypeFor[taskSetOutput](),
	"DeleteTaskSetRequest":                        reflect.TypeFor[deleteTaskSetInput](),
	"DeleteTaskSetResponse":                       reflect.TypeFor[taskSetOutput](),
	"TaskSet":                                     reflect.TypeFor[wireTaskSet](),
	"Scale":                                       reflect.TypeFor[wireScale](),
	"Service":                                     reflect.TypeFor[wireService](),
	"Deployment":                                  reflect.TypeFor[wireDeployment](),
	"DeploymentConfiguration":                     reflect.TypeFor[wireDeploymentConfiguration](),
	"DeploymentCircuitBreaker":                    reflect.TypeFor[wireDeploymentCircuitBreaker](),
	"DeploymentAlarms":                            reflect.TypeFor[wireDeploymentAlarms](),
	"DeploymentController":                        reflect.TypeFor[wireDeploymentController](),
	"LoadBalancer":                                reflect.TypeFor[wireLoadBalancer](),
	"AdvancedConfiguration":                       reflect.TypeFor[wireAdvancedConfiguration](),
	"LinearConfiguration":                         reflect.TypeFor[wireLinearConfiguration](),
	"CanaryConfiguration":                         reflect.TypeFor[wireCanaryConfiguration](),
	"DeploymentLifecycleHook":                     reflect.TypeFor[wireLifecycleHook](),
	"DeploymentLifecycleHookTimeoutConfiguration": reflect.TypeFor[wireHookTimeout](),
	"ServiceCurrentRevisionSummary":               reflect.TypeFor[wireCurrentRevisionSummary](),
	"NetworkConfiguration":                        reflect.TypeFor[wireNetworkConfiguration](),
	"AwsVpcConfiguration":                         reflect.TypeFor[wireAwsVpcConfiguration](),
	"PlacementConstraint":                         reflect.TypeFor[wirePlacementConstraint](),
	"PlacementStrategy":                           reflect.TypeFor[wirePlacementStrategy](),
	"ServiceEvent":                                reflect.TypeFor[wireServiceEvent](),
	"ServiceRegistry":                             reflect.TypeFor[wireServiceRegistry](),
	"Task":                                        reflect.TypeFor[wireTask](),
	"Container":                                   reflect.TypeFor[wireContainer](),
	"NetworkBinding":                              reflect.TypeFor[wireNetworkBinding](),
	"NetworkInterface":                            reflect.TypeFor[wireNetworkInterface](),
	"TaskOverride":                                reflect.TypeFor[wireTaskOverride](),
	"ContainerOverride":                           reflect.TypeFor[wireContainerOverride](),
	"InferenceAcceleratorOverride":                reflect.TypeFor[wireInferenceAcceleratorOverride](),
	"EphemeralStorage":                            reflect.TypeFor[wireEphemeralStorage](),
	"Attachment":                                  reflect.TypeFor[wireAttachment](),
	"Attribute":                                   reflect.TypeFor[wireAttribute](),
	"KeyValuePair":                                reflect.TypeFor[wireKeyValuePair](),
	"EnvironmentFile":                             reflect.TypeFor[wireEnvironmentFile](),
	"ResourceRequirement":                         reflect.TypeFor[wireResourceRequirement](),
	"Failure":                                     reflect.TypeFor[wireFailure](),
	"Tag":                                         reflect.TypeFor[wireTag](),
	"ContainerInstance":                           reflect.TypeFor[wireContainerInstance](),
	"Resource":                                    reflect.TypeFor[wireResource](),
	"VersionInfo":                                 reflect.TypeFor[wireVersionInfo](),
	"ContainerInstanceHealthStatus":               reflect.TypeFor[wireContainerInstanceHealthStatus](),
	"InstanceHealthCheckResult":                   reflect.TypeFor[wireInstanceHealthCheckResult](),
}

// notImplemented are the model members fargo neither reads nor sends, by shape. Request
// members left out are accepted and ignored; response members left out are never sent.
var notImplemented = map[string][]string{
	"CreateServiceRequest":    {"serviceConnectConfiguration", "volumeConfigurations", "vpcLatticeConfigurations"},
	"UpdateServiceRequest":    {"serviceConnectConfiguration", "volumeConfigurations", "vpcLatticeConfigurations"},
	"RunTaskRequest":          {"volumeConfigurations"},
	"StartTaskRequest":        {"volumeConfigurations"},
	"ListServicesRequest":     {},
	"DescribeServicesRequest": {},
	"Service":                 {},
	"Deployment": {
		"fargateEphemeralStorage", "serviceConnectConfiguration", "serviceConnectResources",
		"volumeConfigurations", "vpcLatticeConfigurations",
	},
	"DeploymentConfiguration": {},
	"LoadBalancer":            {},
	"TaskSet":                 {"fargateEphemeralStorage"},
	"Task":                    {"fargateEphemeralStorage", "inferenceAccelerators"},
	"Container":               {"gpuIds", "managedAgents"},
	"NetworkBinding":          {"containerPortRange", "hostPortRange"},
	"ContainerInstance":       {"agentUpdateStatus", "capacityProviderName", "ec2InstanceId", "statusReason"},
}

// fargoMembers are members fargo sends of its own, by shape: named fargo…, left out while
// empty, and skipped by the SDKs and the aws CLI, which ignore members they do not know.
var fargoMembers = map[string][]string{
	"Service": {"fargoListenerErrors"},
}

// TestServiceWireShapesMatchModel checks every wire struct of the service, task, container
// instance and task set operations against the botocore model: each JSON name is a member of
// the shape with the Go type its kind calls for, and the members left out are exactly those
// notImplemented lists (so that a new member in the model, or a typo, shows up here).
func TestServiceWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/services-members.json")
	shapeNames := map[reflect.Type]string{}
	for name, typ := range serviceShapes {
		shapeNames[typ] = name
	}
	// The clusters' wire type serves the capacity provider strategies too; its members are the
	// clusters' to check.
	shapeNames[reflect.TypeFor[wireCapacityProviderStrategyItem]()] = "CapacityProviderStrategyItem"
	// A document member is any JSON value; the model names its shape without members.
	shapeNames[reflect.TypeFor[wireDocument]()] = "HookDetails"
	for name, typ := range serviceShapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		wiretest.Check(t, name, typ, members, shapeNames, notImplemented[name], fargoMembers[name]...)
	}
}
