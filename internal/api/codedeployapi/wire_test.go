package codedeployapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/codedeploy-members.json lists the model's members).
var shapes = map[string]reflect.Type{
	"CreateApplicationInput":           reflect.TypeFor[createApplicationInput](),
	"CreateApplicationOutput":          reflect.TypeFor[createApplicationOutput](),
	"GetApplicationInput":              reflect.TypeFor[applicationNameInput](),
	"GetApplicationOutput":             reflect.TypeFor[getApplicationOutput](),
	"ListApplicationsInput":            reflect.TypeFor[listApplicationsInput](),
	"ListApplicationsOutput":           reflect.TypeFor[listApplicationsOutput](),
	"BatchGetApplicationsInput":        reflect.TypeFor[batchGetApplicationsInput](),
	"BatchGetApplicationsOutput":       reflect.TypeFor[batchGetApplicationsOutput](),
	"DeleteApplicationInput":           reflect.TypeFor[applicationNameInput](),
	"ApplicationInfo":                  reflect.TypeFor[wireApplicationInfo](),
	"CreateDeploymentConfigInput":      reflect.TypeFor[createDeploymentConfigInput](),
	"CreateDeploymentConfigOutput":     reflect.TypeFor[createDeploymentConfigOutput](),
	"GetDeploymentConfigInput":         reflect.TypeFor[deploymentConfigNameInput](),
	"GetDeploymentConfigOutput":        reflect.TypeFor[getDeploymentConfigOutput](),
	"ListDeploymentConfigsInput":       reflect.TypeFor[listDeploymentConfigsInput](),
	"ListDeploymentConfigsOutput":      reflect.TypeFor[listDeploymentConfigsOutput](),
	"DeleteDeploymentConfigInput":      reflect.TypeFor[deploymentConfigNameInput](),
	"DeploymentConfigInfo":             reflect.TypeFor[wireDeploymentConfigInfo](),
	"MinimumHealthyHosts":              reflect.TypeFor[wireMinimumHealthyHosts](),
	"TrafficRoutingConfig":             reflect.TypeFor[wireTrafficRoutingConfig](),
	"TimeBasedCanary":                  reflect.TypeFor[wireTimeBasedCanary](),
	"TimeBasedLinear":                  reflect.TypeFor[wireTimeBasedLinear](),
	"CreateDeploymentGroupInput":       reflect.TypeFor[createDeploymentGroupInput](),
	"CreateDeploymentGroupOutput":      reflect.TypeFor[createDeploymentGroupOutput](),
	"UpdateDeploymentGroupInput":       reflect.TypeFor[updateDeploymentGroupInput](),
	"UpdateDeploymentGroupOutput":      reflect.TypeFor[hooksOutput](),
	"GetDeploymentGroupInput":          reflect.TypeFor[groupNameInput](),
	"GetDeploymentGroupOutput":         reflect.TypeFor[getDeploymentGroupOutput](),
	"ListDeploymentGroupsInput":        reflect.TypeFor[listDeploymentGroupsInput](),
	"ListDeploymentGroupsOutput":       reflect.TypeFor[listDeploymentGroupsOutput](),
	"BatchGetDeploymentGroupsInput":    reflect.TypeFor[batchGetDeploymentGroupsInput](),
	"BatchGetDeploymentGroupsOutput":   reflect.TypeFor[batchGetDeploymentGroupsOutput](),
	"DeleteDeploymentGroupInput":       reflect.TypeFor[groupNameInput](),
	"DeleteDeploymentGroupOutput":      reflect.TypeFor[hooksOutput](),
	"AutoScalingGroup":                 reflect.TypeFor[wireAutoScalingGroup](),
	"DeploymentGroupInfo":              reflect.TypeFor[wireDeploymentGroupInfo](),
	"LastDeploymentInfo":               reflect.TypeFor[wireLastDeploymentInfo](),
	"Tag":                              reflect.TypeFor[wireTag](),
	"AutoRollbackConfiguration":        reflect.TypeFor[wireAutoRollbackConfiguration](),
	"DeploymentStyle":                  reflect.TypeFor[wireDeploymentStyle](),
	"BlueGreenDeploymentConfiguration": reflect.TypeFor[wireBlueGreenDeploymentConfiguration](),
	"BlueInstanceTerminationOption":    reflect.TypeFor[wireBlueInstanceTerminationOption](),
	"DeploymentReadyOption":            reflect.TypeFor[wireDeploymentReadyOption](),
	"LoadBalancerInfo":                 reflect.TypeFor[wireLoadBalancerInfo](),
	"ELBInfo":                          reflect.TypeFor[wireELBInfo](),
	"TargetGroupPairInfo":              reflect.TypeFor[wireTargetGroupPairInfo](),
	"TargetGroupInfo":                  reflect.TypeFor[wireTargetGroupInfo](),
	"TrafficRoute":                     reflect.TypeFor[wireTrafficRoute](),
	"ECSService":                       reflect.TypeFor[wireECSService](),
	"RevisionLocation":                 reflect.TypeFor[wireRevisionLocation](),
	"AppSpecContent":                   reflect.TypeFor[wireAppSpecContent](),
	"RawString":                        reflect.TypeFor[wireAppSpecContent](),
	"CreateDeploymentInput":            reflect.TypeFor[createDeploymentInput](),
	"CreateDeploymentOutput":           reflect.TypeFor[createDeploymentOutput](),
	"GetDeploymentInput":               reflect.TypeFor[deploymentIDInput](),
	"GetDeploymentOutput":              reflect.TypeFor[getDeploymentOutput](),
	"BatchGetDeploymentsInput":         reflect.TypeFor[batchGetDeploymentsInput](),
	"BatchGetDeploymentsOutput":        reflect.TypeFor[batchGetDeploymentsOutput](),
	"ListDeploymentsInput":             reflect.TypeFor[listDeploymentsInput](),
	"ListDeploymentsOutput":            reflect.TypeFor[listDeploymentsOutput](),
	"TimeRange":                        reflect.TypeFor[wireTimeRange](),
	"StopDeploymentInput":              reflect.TypeFor[stopDeploymentInput](),
	"StopDeploymentOutput":             reflect.TypeFor[stopDeploymentOutput](),
	"ContinueDeploymentInput":          reflect.TypeFor[continueDeploymentInput](),
	"DeploymentInfo":                   reflect.TypeFor[wireDeploymentInfo](),
	"ErrorInformation":                 reflect.TypeFor[wireErrorInformation](),
	"DeploymentOverview":               reflect.TypeFor[wireDeploymentOverview](),
	"RollbackInfo":                     reflect.TypeFor[wireRollbackInfo](),
	"ListDeploymentTargetsInput":       reflect.TypeFor[listDeploymentTargetsInput](),
	"ListDeploymentTargetsOutput":      reflect.TypeFor[listDeploymentTargetsOutput](),
	"BatchGetDeploymentTargetsInput":   reflect.TypeFor[batchGetDeploymentTargetsInput](),
	"BatchGetDeploymentTargetsOutput":  reflect.TypeFor[batchGetDeploymentTargetsOutput](),
	"GetDeploymentTargetInput":         reflect.TypeFor[getDeploymentTargetInput](),
	"GetDeploymentTargetOutput":        reflect.TypeFor[getDeploymentTargetOutput](),
	"DeploymentTarget":                 reflect.TypeFor[wireDeploymentTarget](),
	"ECSTarget":                        reflect.TypeFor[wireECSTarget](),
	"LifecycleEvent":                   reflect.TypeFor[wireLifecycleEvent](),
	"Diagnostics":                      reflect.TypeFor[wireDiagnostics](),
	"ECSTaskSet":                       reflect.TypeFor[wireECSTaskSet](),
	"RegisterApplicationRevisionInput": reflect.TypeFor[registerApplicationRevisionInput](),
	"GetApplicationRevisionInput":      reflect.TypeFor[getApplicationRevisionInput](),
	"GetApplicationRevisionOutput":     reflect.TypeFor[getApplicationRevisionOutput](),
	"GenericRevisionInfo":              reflect.TypeFor[wireGenericRevisionInfo](),
	"ListApplicationRevisionsInput":    reflect.TypeFor[listApplicationRevisionsInput](),
	"ListApplicationRevisionsOutput":   reflect.TypeFor[listApplicationRevisionsOutput](),
	"AlarmConfiguration":               reflect.TypeFor[wireAlarmConfiguration](),
	"Alarm":                            reflect.TypeFor[wireAlarm](),
}

// serverOnly are the members of the EC2/on-premises, Lambda and CloudFormation platforms, and
// the alarm, trigger and GitHub features that fargo leaves out of ECS deployment groups.
var serverOnly = []string{
	"autoScalingGroups", "ec2TagFilters", "ec2TagSet", "onPremisesInstanceTagFilters",
	"onPremisesTagSet", "outdatedInstancesStrategy", "terminationHookEnabled", "triggerConfigurations",
}

// notImplemented are the model members fargo neither reads nor sends, by shape. Request
// members left out are accepted and ignored; response members left out are never sent.
var notImplemented = map[string][]string{
	"CreateDeploymentConfigInput": {"zonalConfig"},
	"DeploymentConfigInfo":        {"zonalConfig"},
	"CreateDeploymentGroupInput":  serverOnly,
	"UpdateDeploymentGroupInput":  serverOnly,
	"DeploymentGroupInfo": {
		"autoScalingGroups", "ec2TagFilters", "ec2TagSet", "onPremisesInstanceTagFilters",
		"onPremisesTagSet", "outdatedInstancesStrategy", "targetRevision", "triggerConfigurations",
	},
	"AutoScalingGroup":                 {"terminationHook"},
	"BlueGreenDeploymentConfiguration": {"greenFleetProvisioningOption"},
	"RevisionLocation":                 {"gitHubLocation", "s3Location"},
	"ApplicationInfo":                  {"gitHubAccountName"},
	"CreateDeploymentInput": {
		"fileExistsBehavior", "ignoreApplicationStopFailures", "overrideAlarmConfiguration", "targetInstances",
		"updateOutdatedInstancesOnly",
	},
	"DeploymentInfo": {
		"additionalDeploymentStatusInfo", "externalId", "fileExistsBehavior", "overrideAlarmConfiguration",
		"relatedDeployments", "targetInstances",
	},
	"ListDeploymentsInput":       {"externalId"},
	"ListDeploymentTargetsInput": {"targetFilters"},
	"DeploymentTarget":           {"cloudFormationTarget", "instanceTarget", "lambdaTarget"},
	"Diagnostics":                {"errorCode", "logTail", "scriptName"},
}

// TestWireShapesMatchModel checks every wire struct against the botocore model: each JSON name
// is a member of the shape with the Go type its kind calls for, and the members left out are
// exactly those notImplemented lists (so that a new member in the model, or a typo, shows up).
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/codedeploy-members.json")
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, ok := names[typ]; !ok || name < names[typ] {
			names[typ] = name
		}
	}
	// One wire type serves RawString and AppSpecContent, which have the same members.
	names[reflect.TypeFor[wireAppSpecContent]()] = "AppSpecContent"
	for name, typ := range shapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		for member, kind := range members {
			members[member] = strings.ReplaceAll(kind, "RawString", "AppSpecContent")
		}
		wiretest.Check(t, name, typ, members, names, notImplemented[name])
	}
}
