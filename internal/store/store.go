package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// keyRoot prefixes every key fargo writes, so an external etcd can be shared with other users.
const keyRoot = "/fargo/v1/"

// Store holds one Collection per kind of object.
type Store struct {
	kv kv.KV

	// Clusters are ECS clusters by name.
	Clusters Collection[ecs.Cluster]
	// TaskDefinitionFamilies are task definition families by name; they hold the last revision
	// number handed out, which ECS never reuses.
	TaskDefinitionFamilies Collection[ecs.TaskDefinitionFamily]
	// TaskDefinitions are task definitions by TaskDefinitionID(family, revision).
	TaskDefinitions Collection[ecs.TaskDefinition]
	// Services are ECS services by ServiceID(cluster, name).
	Services Collection[ecs.Service]
	// Tasks are ECS tasks by TaskID(cluster, id), stopped ones included until they expire.
	Tasks Collection[ecs.Task]
	// ContainerInstances are container instances by ContainerInstanceID(cluster, id).
	ContainerInstances Collection[ecs.ContainerInstance]
	// ServiceDeployments are the service deployments of ECS-controller services by
	// ServiceChildID(cluster, service, id); ServicePrefix lists one service's.
	ServiceDeployments Collection[ecs.ServiceDeployment]
	// ServiceRevisions are service revisions by ServiceChildID(cluster, service, id).
	ServiceRevisions Collection[ecs.ServiceRevision]

	// LoadBalancers are ELBv2 load balancers by name (names are unique per region).
	LoadBalancers Collection[elb.LoadBalancer]
	// Listeners are listeners by ListenerID; LoadBalancerPrefix lists one load balancer's.
	Listeners Collection[elb.Listener]
	// ListenerPorts claim each port for one listener, by ListenerPortID.
	ListenerPorts Collection[elb.PortClaim]
	// Rules are listener rules, each listener's default rule included, by RuleID;
	// ListenerPrefix lists one listener's, LoadBalancerPrefix one load balancer's.
	Rules Collection[elb.Rule]
	// TargetGroups are target groups by name (names are unique per region).
	TargetGroups Collection[elb.TargetGroup]
	// TargetRegistrations are the targets of target groups by TargetRegistrationID;
	// TargetGroupPrefix lists one group's.
	TargetRegistrations Collection[elb.Registration]
	// DataPlaneNodes are the data-plane nodes serving the region's listeners, by node name:
	// each writes its own report (elb.Node).
	DataPlaneNodes Collection[elb.Node]

	// Applications are CodeDeploy applications by name.
	Applications Collection[codedeploy.Application]
	// DeploymentGroups are deployment groups by DeploymentGroupID(application, name).
	DeploymentGroups Collection[codedeploy.DeploymentGroup]
	// DeploymentConfigs are the deployment configurations users created, by name.
	DeploymentConfigs Collection[codedeploy.DeploymentConfig]
	// Deployments are CodeDeploy deployments by id.
	Deployments Collection[codedeploy.Deployment]
	// Revisions are the revisions registered with applications, by RevisionID(application,
	// sha256); ApplicationPrefix lists one application's (and those of the applications whose
	// names begin with it and a '/').
	Revisions Collection[codedeploy.ApplicationRevision]

	// Repositories are ECR repositories by name. Their images are in the registry's storage.
	Repositories Collection[ecr.Repository]

	// LogGroups are the CloudWatch Logs groups that clients created or configured, by name.
	LogGroups Collection[logs.Group]
	// LogStreams are the log streams that clients created or wrote to, by LogStreamID;
	// LogGroupPrefix lists one group's.
	LogStreams Collection[logs.Stream]

	// ScalableTargets are Application Auto Scaling targets by ScalableTargetID.
	ScalableTargets Collection[autoscaling.Target]
	// ScalingPolicies are scaling policies by ScalingPolicyID; ScalableTargetPrefix lists one
	// target's.
	ScalingPolicies Collection[autoscaling.Policy]

	// Alarms are CloudWatch metric alarms by name, their history with them.
	Alarms Collection[cloudwatch.Alarm]

	// IAMUsers are IAM users by iam.Key(name): names are unique regardless of case.
	IAMUsers Collection[iam.User]
	// IAMGroups are IAM groups by iam.Key(name).
	IAMGroups Collection[iam.Group]
	// IAMRoles are IAM roles by iam.Key(name).
	IAMRoles Collection[iam.Role]
	// IAMPolicies are the customer managed policies by iam.Key(name); AWS managed policies
	// are not stored (iam.AWSPolicies).
	IAMPolicies Collection[iam.ManagedPolicy]
	// IAMAccessKeys are IAM users' access keys by key id, their secrets sealed.
	IAMAccessKeys Collection[iam.AccessKey]
	// IAMKeyUsage is when each access key was last used, by key id; written in batches, apart
	// from the keys so that it does not wake the keys' watchers.
	IAMKeyUsage Collection[iam.KeyUse]
	// HookExecutions are deployments' lifecycle hook runs by hooks.ExecutionID.
	HookExecutions Collection[hooks.Execution]
	// HookFunctions are the registered hook functions by name; regional, as Lambda functions are.
	HookFunctions Collection[hooks.Function]

	// Regions are the regions other than the home region that hold objects, by name; global.
	Regions Collection[Region]
}

// New returns a Store over kv: the home region's objects and the global ones. The Store does
// not own kv.
func New(store kv.KV) *Store {
	s := newStore(store, keyRoot)
	s.Regions = newCollection[Region](store, keyRoot, "regions")
	return s
}

// newStore returns a Store whose collections live under root.
func newStore(store kv.KV, root string) *Store {
	return &Store{
		kv:                     store,
		Clusters:               newCollection[ecs.Cluster](store, root, "ecs/clusters"),
		TaskDefinitionFamilies: newCollection[ecs.TaskDefinitionFamily](store, root, "ecs/taskdef-families"),
		TaskDefinitions:        newCollection[ecs.TaskDefinition](store, root, "ecs/taskdefs"),
		Services:               newCollection[ecs.Service](store, root, "ecs/services"),
		Tasks:                  newCollection[ecs.Task](store, root, "ecs/tasks"),
		ContainerInstances:     newCollection[ecs.ContainerInstance](store, root, "ecs/container-instances"),
		ServiceDeployments:     newCollection[ecs.ServiceDeployment](store, root, "ecs/service-deployments"),
		ServiceRevisions:       newCollection[ecs.ServiceRevision](store, root, "ecs/service-revisions"),
		LoadBalancers:          newCollection[elb.LoadBalancer](store, root, "elb/load-balancers"),
		Listeners:              newCollection[elb.Listener](store, root, "elb/listeners"),
		ListenerPorts:          newCollection[elb.PortClaim](store, root, "elb/listener-ports"),
		Rules:                  newCollection[elb.Rule](store, root, "elb/rules"),
		TargetGroups:           newCollection[elb.TargetGroup](store, root, "elb/target-groups"),
		TargetRegistrations:    newCollection[elb.Registration](store, root, "elb/targets"),
		DataPlaneNodes:         newCollection[elb.Node](store, root, "elb/dataplane-nodes"),
		Applications:           newCollection[codedeploy.Application](store, root, "codedeploy/applications"),
		DeploymentGroups:       newCollection[codedeploy.DeploymentGroup](store, root, "codedeploy/deployment-groups"),
		DeploymentConfigs:      newCollection[codedeploy.DeploymentConfig](store, root, "codedeploy/deployment-configs"),
		Deployments:            newCollection[codedeploy.Deployment](store, root, "codedeploy/deployments"),
		Revisions:              newCollection[codedeploy.ApplicationRevision](store, root, "codedeploy/revisions"),
		Repositories:           newCollection[ecr.Repository](store, root, "ecr/repositories"),
		LogGroups:              newCollection[logs.Group](store, root, "logs/groups"),
		LogStreams:             newCollection[logs.Stream](store, root, "logs/streams"),
		ScalableTargets:        newCollection[autoscaling.Target](store, root, "autoscaling/targets"),
		ScalingPolicies:        newCollection[autoscaling.Policy](store, root, "autoscaling/policies"),
		Alarms:                 newCollection[cloudwatch.Alarm](store, root, "cloudwatch/alarms"),
		IAMUsers:               newCollection[iam.User](store, root, "iam/users"),
		IAMGroups:              newCollection[iam.Group](store, root, "iam/groups"),
		IAMRoles:               newCollection[iam.Role](store, root, "iam/roles"),
		IAMPolicies:            newCollection[iam.ManagedPolicy](store, root, "iam/policies"),
		IAMAccessKeys:          newCollection[iam.AccessKey](store, root, "iam/access-keys"),
		IAMKeyUsage:            newCollection[iam.KeyUse](store, root, "iam/key-usage"),
		HookExecutions:         newCollection[hooks.Execution](store, root, "hooks/executions"),
		HookFunctions:          newCollection[hooks.Function](store, root, "hooks/functions"),
	}
}

// Commit applies txn atomically; see Txn.Commit.
func (s *Store) Commit(ctx context.Context, txn *Txn) (int64, error) {
	return txn.Commit(ctx, s.kv)
}

// FindTaskDefinition returns revision rev of family or, when rev is 0, the family's newest
// ACTIVE revision, as ECS resolves a task definition named by its family alone. It returns an
// error of kind errdefs.ErrNotFound when there is none.
func (s *Store) FindTaskDefinition(ctx context.Context, family string, rev int) (ecs.TaskDefinition, error) {
	if rev > 0 {
		it, err := s.TaskDefinitions.Get(ctx, TaskDefinitionID(family, rev))
		return it.Value, err
	}
	items, _, err := s.TaskDefinitions.List(ctx, family+"/")
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].Value.Status == ecs.TaskDefinitionStatusActive {
			return items[i].Value, nil
		}
	}
	return ecs.TaskDefinition{}, errdefs.NotFound("no ACTIVE revision of task definition family %s", family)
}

// TaskDefinitionID is the ID of revision rev of family. The revision is zero-padded so that IDs
// sort by revision.
func TaskDefinitionID(family string, rev int) string {
	return fmt.Sprintf("%s/%010d", family, rev)
}

// ServiceID is the ID of service name in cluster.
func ServiceID(cluster, name string) string { return cluster + "/" + name }

// ServicePrefix is the ID prefix of a service's service deployments and revisions.
func ServicePrefix(cluster, name string) string { return cluster + "/" + name + "/" }

// ServiceChildID is the ID of service deployment or revision id of service name in cluster.
func ServiceChildID(cluster, name, id string) string { return ServicePrefix(cluster, name) + id }

// TaskID is the ID of task id in cluster.
func TaskID(cluster, id string) string { return cluster + "/" + id }

// ContainerInstanceID is the ID of container instance id in cluster.
func ContainerInstanceID(cluster, id string) string { return cluster + "/" + id }

// LoadBalancerPrefix is the ID prefix of a load balancer's listeners and rules.
func LoadBalancerPrefix(lb elb.LoadBalancerRef) string { return lb.Name + "/" + lb.ID + "/" }

// ListenerID is the ID of a listener: <lb-name>/<lb-id>/<id>, the end of its ARN.
func ListenerID(l elb.ListenerRef) string { return LoadBalancerPrefix(l.LoadBalancer) + l.ID }

// ListenerPrefix is the ID prefix of a listener's rules.
func ListenerPrefix(l elb.ListenerRef) string { return ListenerID(l) + "/" }

// RuleID is the ID of a rule: <lb-name>/<lb-id>/<listener-id>/<id>, the end of its ARN.
func RuleID(r elb.RuleRef) string { return ListenerPrefix(r.Listener) + r.ID }

// ListenerPortID is the ID of a port's claim, zero-padded so that claims sort by port.
func ListenerPortID(port int) string { return fmt.Sprintf("%05d", port) }

// TargetGroupPrefix is the ID prefix of a target group's registrations.
func TargetGroupPrefix(group string) string { return group + "/" }

// TargetRegistrationID is the ID of target t in the target group named group:
// <group>/<target-id>/<port>. Target ids hold no '/'.
func TargetRegistrationID(group string, t elb.Target) string {
	return TargetGroupPrefix(group) + t.ID + "/" + strconv.Itoa(t.Port)
}

// DeploymentGroupID is the ID of deployment group name of application.
func DeploymentGroupID(application, name string) string { return application + "/" + name }

// ApplicationPrefix is the ID prefix of an application's revisions.
func ApplicationPrefix(application string) string { return application + "/" }

// RevisionID is the ID of the revision with content sha256 of application.
func RevisionID(application, sha256 string) string { return ApplicationPrefix(application) + sha256 }

// LogGroupPrefix is the ID prefix of a log group's streams. Group names hold no ':'.
func LogGroupPrefix(group string) string { return group + ":" }

// LogStreamID is the ID of stream name of group: <group>:<stream>.
func LogStreamID(group, name string) string { return LogGroupPrefix(group) + name }

// ScalableTargetID is the ID of a scalable target: <namespace>/<dimension>/<resource id>.
func ScalableTargetID(k autoscaling.TargetKey) string {
	return k.Namespace + "/" + k.Dimension + "/" + k.ResourceID
}

// ScalableTargetPrefix is the ID prefix of a target's scaling policies. ECS resource ids have
// exactly two '/', so no other target's policies share it.
func ScalableTargetPrefix(k autoscaling.TargetKey) string { return ScalableTargetID(k) + "/" }

// ScalingPolicyID is the ID of the policy named name of the target k.
func ScalingPolicyID(k autoscaling.TargetKey, name string) string {
	return ScalableTargetPrefix(k) + name
}
