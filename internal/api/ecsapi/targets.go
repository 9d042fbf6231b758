package ecsapi

import (
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// targets names the resources and passed roles of an ECS request, for its authorization: the
// clusters, services, tasks, task definitions, container instances and task sets of the
// operation's resource type in the authorization table, by name or ARN.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	// A cluster named by its ARN is named by its name where it is the parent of another resource.
	cluster := in.String("cluster")
	if i := strings.Index(cluster, ":cluster/"); i >= 0 && strings.HasPrefix(cluster, "arn:") {
		cluster = cluster[i+len(":cluster/"):]
	}
	if cluster == "" {
		cluster = "default"
	}
	switch op {
	case "CreateCluster":
		name := in.String("clusterName")
		if name == "" {
			name = "default"
		}
		t.Add(name)
	case "DescribeClusters":
		names := in.Strings("clusters")
		if len(names) == 0 {
			names = []string{"default"}
		}
		for _, c := range names {
			t.Add(c)
		}
	case "DeleteCluster", "UpdateCluster", "UpdateClusterSettings", "ListContainerInstances":
		t.Add(cluster)
	case "TagResource", "UntagResource", "ListTagsForResource":
		t.Add(in.String("resourceArn"))
	case "RegisterTaskDefinition":
		t.Add(in.String("family"), "*")
		t.Pass(in.String("taskRoleArn"), in.String("executionRoleArn"))
	case "DeleteTaskDefinitions":
		for _, td := range in.Strings("taskDefinitions") {
			t.Add(taskDefinitionNames(td)...)
		}
	case "CreateService":
		t.Add(cluster, in.String("serviceName"))
		t.Pass(in.String("role"))
	case "UpdateService", "DeleteService", "UpdateServicePrimaryTaskSet":
		t.Add(cluster, in.String("service"))
	case "DescribeServices":
		for _, s := range in.Strings("services") {
			t.Add(cluster, s)
		}
	case "RunTask", "StartTask":
		t.Add(taskDefinitionNames(in.String("taskDefinition"))...)
		o := in.Object("overrides")
		t.Pass(o.String("taskRoleArn"), o.String("executionRoleArn"))
	case "StopTask":
		t.Add(cluster, in.String("task"))
	case "DescribeTasks":
		for _, task := range in.Strings("tasks") {
			t.Add(cluster, task)
		}
	case "ListTasks":
		t.Add(cluster, in.String("containerInstance"))
	case "DescribeContainerInstances", "UpdateContainerInstancesState":
		for _, ci := range in.Strings("containerInstances") {
			t.Add(cluster, ci)
		}
	case "PutAttributes", "DeleteAttributes":
		for _, attr := range in.Objects("attributes") {
			t.Add(cluster, attr.String("targetId"))
		}
	case "ListAttributes":
		t.Add(cluster)
	case "CreateTaskSet":
		t.Add(cluster, in.String("service"), "*")
	case "DescribeTaskSets":
		for _, ts := range in.Strings("taskSets") {
			t.Add(cluster, in.String("service"), ts)
		}
		if len(t.Resources) == 0 {
			t.Add(cluster, in.String("service"), "*")
		}
	case "UpdateTaskSet", "DeleteTaskSet":
		t.Add(cluster, in.String("service"), in.String("taskSet"))
	case "ListServiceDeployments":
		t.Add(cluster, in.String("service"))
	case "DescribeServiceDeployments":
		for _, a := range in.Strings("serviceDeploymentArns") {
			t.Add(a)
		}
	case "DescribeServiceRevisions":
		for _, a := range in.Strings("serviceRevisionArns") {
			t.Add(a)
		}
	case "StopServiceDeployment", "ContinueServiceDeployment":
		t.Add(in.String("serviceDeploymentArn"))
	}
	if clusterScoped[op] {
		t.Key("ecs:cluster", cluster)
	}
	return t
}

// clusterScoped are the operations on a cluster's services, tasks, task sets and container
// instances, whose requests set the condition key ecs:cluster to the cluster.
var clusterScoped = map[string]bool{
	"CreateService": true, "UpdateService": true, "DeleteService": true, "DescribeServices": true, "ListServices": true,
	"UpdateServicePrimaryTaskSet": true, "RunTask": true, "StartTask": true, "StopTask": true, "DescribeTasks": true,
	"ListTasks": true, "CreateTaskSet": true, "UpdateTaskSet": true, "DeleteTaskSet": true, "DescribeTaskSets": true,
	"DescribeContainerInstances": true, "ListContainerInstances": true,
}

// taskDefinitionNames are the family and revision of a task definition named as family,
// family:revision or its ARN; a family alone stands for any of its revisions.
func taskDefinitionNames(td string) []string {
	if td == "" || strings.HasPrefix(td, "arn:") {
		return []string{td}
	}
	family, revision, ok := strings.Cut(td, ":")
	if !ok {
		revision = "*"
	}
	return []string{family, revision}
}
