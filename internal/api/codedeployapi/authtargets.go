package codedeployapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the resources and passed roles of a CodeDeploy request, for its
// authorization: the applications, deployment groups and configs of the operation's resource
// type in the authorization table. Operations that name a deployment by its id name it as a
// deployment, whose group the authorizer looks up.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	app := in.String("applicationName")
	switch op {
	case "CreateApplication", "GetApplication", "DeleteApplication", "ListDeploymentGroups",
		"RegisterApplicationRevision", "GetApplicationRevision", "ListApplicationRevisions":
		t.Add(app)
	case "BatchGetApplications":
		for _, a := range in.Strings("applicationNames") {
			t.Add(a)
		}
	case "CreateDeploymentConfig", "GetDeploymentConfig", "DeleteDeploymentConfig":
		t.Add(in.String("deploymentConfigName"))
	case "CreateDeploymentGroup":
		t.Add(app, in.String("deploymentGroupName"))
		t.Pass(in.String("serviceRoleArn"))
	case "UpdateDeploymentGroup":
		t.Add(app, in.String("currentDeploymentGroupName"))
		if n := in.String("newDeploymentGroupName"); n != "" {
			t.Add(app, n)
		}
		t.Pass(in.String("serviceRoleArn"))
	case "GetDeploymentGroup", "DeleteDeploymentGroup", "CreateDeployment", "ListDeployments":
		t.Add(app, in.String("deploymentGroupName"))
	case "GetDeployment", "StopDeployment", "ContinueDeployment", "ListDeploymentTargets", "GetDeploymentTarget",
		"BatchGetDeploymentTargets", "PutLifecycleEventHookExecutionStatus":
		t.Deploy(in.String("deploymentId"))
	case "BatchGetDeployments":
		t.Deploy(in.Strings("deploymentIds")...)
	case "BatchGetDeploymentGroups":
		for _, g := range in.Strings("deploymentGroupNames") {
			t.Add(app, g)
		}
	}
	return t
}
