package authz

import (
	"maps"
	"slices"
)

// Rule says how one operation is authorized.
type Rule struct {
	// Action is the IAM action the operation needs, for example "ecs:UpdateService".
	Action string
	// Resource is the type of the resources the action is checked on: the API hands over the
	// ARN of each resource the request names, of this type; Any checks the action on "*".
	Resource ResourceType
	// PassRoleTo, when set, is the service principal to which the operation passes the roles
	// that the request names: each is checked with iam:PassRole on the role's ARN, with the
	// condition key iam:PassedToService set to it.
	PassRoleTo string
	// Public operations need no permission (sts:GetCallerIdentity).
	Public bool
}

// The service principals roles are passed to.
const (
	ecsTasks    = "ecs-tasks.amazonaws.com"
	ecsService  = "ecs.amazonaws.com"
	codeDeploy  = "codedeploy.amazonaws.com"
	autoScaling = "application-autoscaling.amazonaws.com"
)

// RuleFor returns the rule of an operation of a service, named as awsproto.Service names
// them ("ecs", "UpdateService"). An operation without a rule is denied to everyone but the
// root; a test keeps the table complete.
func RuleFor(service, operation string) (Rule, bool) {
	r, ok := rules[service+":"+operation]
	return r, ok
}

// Operations returns the operations of the table, as "service:Operation", sorted.
func Operations() []string {
	return slices.Sorted(maps.Keys(rules))
}

func on(action string, t ResourceType) Rule { return Rule{Action: action, Resource: t} }

// rules is the authorization table, by "service:Operation". Resource types follow the
// Service Authorization Reference; where it lists none the action is checked on "*". Where
// it names a resource that the request need not name (ListTasks' container instance), Check
// checks the action on "*" when the request names none.
var rules = map[string]Rule{
	// ECS.
	"ecs:CreateCluster":               on("ecs:CreateCluster", ECSCluster),
	"ecs:DescribeClusters":            on("ecs:DescribeClusters", ECSCluster),
	"ecs:ListClusters":                on("ecs:ListClusters", Any),
	"ecs:DeleteCluster":               on("ecs:DeleteCluster", ECSCluster),
	"ecs:UpdateCluster":               on("ecs:UpdateCluster", ECSCluster),
	"ecs:UpdateClusterSettings":       on("ecs:UpdateClusterSettings", ECSCluster),
	"ecs:TagResource":                 on("ecs:TagResource", RequestARN),
	"ecs:UntagResource":               on("ecs:UntagResource", RequestARN),
	"ecs:ListTagsForResource":         on("ecs:ListTagsForResource", RequestARN),
	"ecs:RegisterTaskDefinition":      {Action: "ecs:RegisterTaskDefinition", Resource: ECSTaskDefinition, PassRoleTo: ecsTasks},
	"ecs:DescribeTaskDefinition":      on("ecs:DescribeTaskDefinition", Any),
	"ecs:ListTaskDefinitions":         on("ecs:ListTaskDefinitions", Any),
	"ecs:ListTaskDefinitionFamilies":  on("ecs:ListTaskDefinitionFamilies", Any),
	"ecs:DeregisterTaskDefinition":    on("ecs:DeregisterTaskDefinition", Any),
	"ecs:DeleteTaskDefinitions":       on("ecs:DeleteTaskDefinitions", ECSTaskDefinition),
	"ecs:CreateService":               {Action: "ecs:CreateService", Resource: ECSService, PassRoleTo: ecsService},
	"ecs:UpdateService":               on("ecs:UpdateService", ECSService),
	"ecs:DescribeServices":            on("ecs:DescribeServices", ECSService),
	"ecs:ListServices":                on("ecs:ListServices", Any),
	"ecs:DeleteService":               on("ecs:DeleteService", ECSService),
	"ecs:RunTask":                     {Action: "ecs:RunTask", Resource: ECSTaskDefinition, PassRoleTo: ecsTasks},
	"ecs:StartTask":                   {Action: "ecs:StartTask", Resource: ECSTaskDefinition, PassRoleTo: ecsTasks},
	"ecs:StopTask":                    on("ecs:StopTask", ECSTask),
	"ecs:DescribeTasks":               on("ecs:DescribeTasks", ECSTask),
	"ecs:ListTasks":                   on("ecs:ListTasks", ECSContainerInstance),
	"ecs:ListContainerInstances":      on("ecs:ListContainerInstances", ECSCluster),
	"ecs:DescribeContainerInstances":  on("ecs:DescribeContainerInstances", ECSContainerInstance),
	"ecs:CreateTaskSet":               on("ecs:CreateTaskSet", ECSTaskSet),
	"ecs:DescribeTaskSets":            on("ecs:DescribeTaskSets", ECSTaskSet),
	"ecs:UpdateTaskSet":               on("ecs:UpdateTaskSet", ECSTaskSet),
	"ecs:UpdateServicePrimaryTaskSet": on("ecs:UpdateServicePrimaryTaskSet", ECSService),
	"ecs:DeleteTaskSet":               on("ecs:DeleteTaskSet", ECSTaskSet),
	"ecs:ListServiceDeployments":      on("ecs:ListServiceDeployments", ECSService),
	"ecs:DescribeServiceDeployments":  on("ecs:DescribeServiceDeployments", ECSServiceDeployment),
	"ecs:DescribeServiceRevisions":    on("ecs:DescribeServiceRevisions", ECSServiceRevision),
	"ecs:StopServiceDeployment":       on("ecs:StopServiceDeployment", ECSServiceDeployment),
	"ecs:ContinueServiceDeployment":   on("ecs:ContinueServiceDeployment", ECSServiceDeployment),

	// ECS container instances' state and attributes.
	"ecs:UpdateContainerInstancesState": on("ecs:UpdateContainerInstancesState", ECSContainerInstance),
	"ecs:PutAttributes":                 on("ecs:PutAttributes", ECSContainerInstance),
	"ecs:DeleteAttributes":              on("ecs:DeleteAttributes", ECSContainerInstance),
	"ecs:ListAttributes":                on("ecs:ListAttributes", ECSCluster),

	// Elastic Load Balancing v2: every Describe is on "*".
	"elasticloadbalancing:CreateLoadBalancer":             on("elasticloadbalancing:CreateLoadBalancer", ELBLoadBalancer),
	"elasticloadbalancing:DescribeLoadBalancers":          on("elasticloadbalancing:DescribeLoadBalancers", Any),
	"elasticloadbalancing:DeleteLoadBalancer":             on("elasticloadbalancing:DeleteLoadBalancer", ELBLoadBalancer),
	"elasticloadbalancing:DescribeLoadBalancerAttributes": on("elasticloadbalancing:DescribeLoadBalancerAttributes", Any),
	"elasticloadbalancing:ModifyLoadBalancerAttributes":   on("elasticloadbalancing:ModifyLoadBalancerAttributes", ELBLoadBalancer),
	"elasticloadbalancing:CreateTargetGroup":              on("elasticloadbalancing:CreateTargetGroup", ELBTargetGroup),
	"elasticloadbalancing:DescribeTargetGroups":           on("elasticloadbalancing:DescribeTargetGroups", Any),
	"elasticloadbalancing:ModifyTargetGroup":              on("elasticloadbalancing:ModifyTargetGroup", ELBTargetGroup),
	"elasticloadbalancing:DeleteTargetGroup":              on("elasticloadbalancing:DeleteTargetGroup", ELBTargetGroup),
	"elasticloadbalancing:DescribeTargetGroupAttributes":  on("elasticloadbalancing:DescribeTargetGroupAttributes", Any),
	"elasticloadbalancing:ModifyTargetGroupAttributes":    on("elasticloadbalancing:ModifyTargetGroupAttributes", ELBTargetGroup),
	"elasticloadbalancing:RegisterTargets":                on("elasticloadbalancing:RegisterTargets", ELBTargetGroup),
	"elasticloadbalancing:DeregisterTargets":              on("elasticloadbalancing:DeregisterTargets", ELBTargetGroup),
	"elasticloadbalancing:DescribeTargetHealth":           on("elasticloadbalancing:DescribeTargetHealth", Any),
	"elasticloadbalancing:CreateListener":                 on("elasticloadbalancing:CreateListener", ELBLoadBalancer),
	"elasticloadbalancing:DescribeListeners":              on("elasticloadbalancing:DescribeListeners", Any),
	"elasticloadbalancing:ModifyListener":                 on("elasticloadbalancing:ModifyListener", ELBListener),
	"elasticloadbalancing:DeleteListener":                 on("elasticloadbalancing:DeleteListener", ELBListener),
	"elasticloadbalancing:CreateRule":                     on("elasticloadbalancing:CreateRule", ELBListener),
	"elasticloadbalancing:DescribeRules":                  on("elasticloadbalancing:DescribeRules", Any),
	"elasticloadbalancing:ModifyRule":                     on("elasticloadbalancing:ModifyRule", ELBListenerRule),
	"elasticloadbalancing:DeleteRule":                     on("elasticloadbalancing:DeleteRule", ELBListenerRule),
	"elasticloadbalancing:SetRulePriorities":              on("elasticloadbalancing:SetRulePriorities", ELBListenerRule),
	"elasticloadbalancing:AddTags":                        on("elasticloadbalancing:AddTags", RequestARN),
	"elasticloadbalancing:RemoveTags":                     on("elasticloadbalancing:RemoveTags", RequestARN),
	"elasticloadbalancing:DescribeTags":                   on("elasticloadbalancing:DescribeTags", Any),

	// Lambda: fargo's hook functions (docs/hooks.md), checked on the function.
	"lambda:CreateFunction":              on("lambda:CreateFunction", LambdaFunction),
	"lambda:UpdateFunctionConfiguration": on("lambda:UpdateFunctionConfiguration", LambdaFunction),
	"lambda:GetFunction":                 on("lambda:GetFunction", LambdaFunction),
	"lambda:ListFunctions":               on("lambda:ListFunctions", Any),
	"lambda:DeleteFunction":              on("lambda:DeleteFunction", LambdaFunction),

	// CodeDeploy: a deployment is checked on its deployment group.
	"codedeploy:CreateApplication":           on("codedeploy:CreateApplication", CodeDeployApplication),
	"codedeploy:GetApplication":              on("codedeploy:GetApplication", CodeDeployApplication),
	"codedeploy:ListApplications":            on("codedeploy:ListApplications", Any),
	"codedeploy:BatchGetApplications":        on("codedeploy:BatchGetApplications", CodeDeployApplication),
	"codedeploy:DeleteApplication":           on("codedeploy:DeleteApplication", CodeDeployApplication),
	"codedeploy:CreateDeploymentConfig":      on("codedeploy:CreateDeploymentConfig", CodeDeployConfig),
	"codedeploy:GetDeploymentConfig":         on("codedeploy:GetDeploymentConfig", CodeDeployConfig),
	"codedeploy:ListDeploymentConfigs":       on("codedeploy:ListDeploymentConfigs", Any),
	"codedeploy:DeleteDeploymentConfig":      on("codedeploy:DeleteDeploymentConfig", CodeDeployConfig),
	"codedeploy:CreateDeploymentGroup":       {Action: "codedeploy:CreateDeploymentGroup", Resource: CodeDeployDeploymentGroup, PassRoleTo: codeDeploy},
	"codedeploy:GetDeploymentGroup":          on("codedeploy:GetDeploymentGroup", CodeDeployDeploymentGroup),
	"codedeploy:UpdateDeploymentGroup":       {Action: "codedeploy:UpdateDeploymentGroup", Resource: CodeDeployDeploymentGroup, PassRoleTo: codeDeploy},
	"codedeploy:ListDeploymentGroups":        on("codedeploy:ListDeploymentGroups", CodeDeployApplication),
	"codedeploy:BatchGetDeploymentGroups":    on("codedeploy:BatchGetDeploymentGroups", CodeDeployDeploymentGroup),
	"codedeploy:DeleteDeploymentGroup":       on("codedeploy:DeleteDeploymentGroup", CodeDeployDeploymentGroup),
	"codedeploy:CreateDeployment":            on("codedeploy:CreateDeployment", CodeDeployDeploymentGroup),
	"codedeploy:GetDeployment":               on("codedeploy:GetDeployment", CodeDeployDeploymentGroup),
	"codedeploy:BatchGetDeployments":         on("codedeploy:BatchGetDeployments", CodeDeployDeploymentGroup),
	"codedeploy:ListDeployments":             on("codedeploy:ListDeployments", CodeDeployDeploymentGroup),
	"codedeploy:StopDeployment":              on("codedeploy:StopDeployment", CodeDeployDeploymentGroup),
	"codedeploy:ContinueDeployment":          on("codedeploy:ContinueDeployment", CodeDeployDeploymentGroup),
	"codedeploy:ListDeploymentTargets":       on("codedeploy:ListDeploymentTargets", CodeDeployDeploymentGroup),
	"codedeploy:BatchGetDeploymentTargets":   on("codedeploy:BatchGetDeploymentTargets", CodeDeployDeploymentGroup),
	"codedeploy:GetDeploymentTarget":         on("codedeploy:GetDeploymentTarget", CodeDeployDeploymentGroup),
	"codedeploy:RegisterApplicationRevision": on("codedeploy:RegisterApplicationRevision", CodeDeployApplication),
	"codedeploy:GetApplicationRevision":      on("codedeploy:GetApplicationRevision", CodeDeployApplication),
	"codedeploy:ListApplicationRevisions":    on("codedeploy:ListApplicationRevisions", CodeDeployApplication),

	// A hook's verdict names the deployment by its id only.
	"codedeploy:PutLifecycleEventHookExecutionStatus": on("codedeploy:PutLifecycleEventHookExecutionStatus", Any),

	// ECR: everything on the repository, except the registry-wide token.
	"ecr:CreateRepository":            on("ecr:CreateRepository", ECRRepository),
	"ecr:DescribeRepositories":        on("ecr:DescribeRepositories", ECRRepository),
	"ecr:DeleteRepository":            on("ecr:DeleteRepository", ECRRepository),
	"ecr:GetAuthorizationToken":       on("ecr:GetAuthorizationToken", Any),
	"ecr:DescribeImages":              on("ecr:DescribeImages", ECRRepository),
	"ecr:ListImages":                  on("ecr:ListImages", ECRRepository),
	"ecr:BatchGetImage":               on("ecr:BatchGetImage", ECRRepository),
	"ecr:BatchDeleteImage":            on("ecr:BatchDeleteImage", ECRRepository),
	"ecr:PutImage":                    on("ecr:PutImage", ECRRepository),
	"ecr:PutImageTagMutability":       on("ecr:PutImageTagMutability", ECRRepository),
	"ecr:BatchCheckLayerAvailability": on("ecr:BatchCheckLayerAvailability", ECRRepository),
	"ecr:PutLifecyclePolicy":          on("ecr:PutLifecyclePolicy", ECRRepository),
	"ecr:GetLifecyclePolicy":          on("ecr:GetLifecyclePolicy", ECRRepository),
	"ecr:DeleteLifecyclePolicy":       on("ecr:DeleteLifecyclePolicy", ECRRepository),
	"ecr:TagResource":                 on("ecr:TagResource", ECRRepository),
	"ecr:UntagResource":               on("ecr:UntagResource", ECRRepository),
	"ecr:ListTagsForResource":         on("ecr:ListTagsForResource", ECRRepository),

	// CloudWatch Logs.
	"cloudwatch:PutMetricAlarm":          on("cloudwatch:PutMetricAlarm", CloudWatchAlarm),
	"cloudwatch:DescribeAlarms":          on("cloudwatch:DescribeAlarms", CloudWatchAlarm),
	"cloudwatch:DescribeAlarmsForMetric": on("cloudwatch:DescribeAlarmsForMetric", Any),
	"cloudwatch:DeleteAlarms":            on("cloudwatch:DeleteAlarms", CloudWatchAlarm),
	"cloudwatch:SetAlarmState":           on("cloudwatch:SetAlarmState", CloudWatchAlarm),
	"cloudwatch:DescribeAlarmHistory":    on("cloudwatch:DescribeAlarmHistory", CloudWatchAlarm),
	"cloudwatch:EnableAlarmActions":      on("cloudwatch:EnableAlarmActions", CloudWatchAlarm),
	"cloudwatch:DisableAlarmActions":     on("cloudwatch:DisableAlarmActions", CloudWatchAlarm),
	"cloudwatch:ListMetrics":             on("cloudwatch:ListMetrics", Any),
	"cloudwatch:GetMetricStatistics":     on("cloudwatch:GetMetricStatistics", Any),
	"cloudwatch:GetMetricData":           on("cloudwatch:GetMetricData", Any),
	"logs:DescribeLogGroups":             on("logs:DescribeLogGroups", Any),
	"logs:DescribeLogStreams":            on("logs:DescribeLogStreams", LogGroup),
	"logs:GetLogEvents":                  on("logs:GetLogEvents", LogStream),
	"logs:FilterLogEvents":               on("logs:FilterLogEvents", LogGroup),
	"logs:CreateLogGroup":                on("logs:CreateLogGroup", LogGroup),
	"logs:DeleteLogGroup":                on("logs:DeleteLogGroup", LogGroup),
	"logs:CreateLogStream":               on("logs:CreateLogStream", LogStream),
	"logs:DeleteLogStream":               on("logs:DeleteLogStream", LogStream),
	"logs:PutRetentionPolicy":            on("logs:PutRetentionPolicy", LogGroup),
	"logs:DeleteRetentionPolicy":         on("logs:DeleteRetentionPolicy", LogGroup),
	"logs:PutLogEvents":                  on("logs:PutLogEvents", LogStream),

	// Application Auto Scaling: no resource-level permissions for fargo's targets.
	"application-autoscaling:RegisterScalableTarget":    {Action: "application-autoscaling:RegisterScalableTarget", Resource: Any, PassRoleTo: autoScaling},
	"application-autoscaling:DescribeScalableTargets":   on("application-autoscaling:DescribeScalableTargets", Any),
	"application-autoscaling:DeregisterScalableTarget":  on("application-autoscaling:DeregisterScalableTarget", Any),
	"application-autoscaling:PutScalingPolicy":          on("application-autoscaling:PutScalingPolicy", Any),
	"application-autoscaling:DescribeScalingPolicies":   on("application-autoscaling:DescribeScalingPolicies", Any),
	"application-autoscaling:DeleteScalingPolicy":       on("application-autoscaling:DeleteScalingPolicy", Any),
	"application-autoscaling:DescribeScalingActivities": on("application-autoscaling:DescribeScalingActivities", Any),

	// STS: anyone may ask who they are.
	"sts:GetCallerIdentity": {Action: "sts:GetCallerIdentity", Resource: Any, Public: true},

	// IAM: the operations of issue 15. Access keys and inline or attached user policies are
	// checked on their user (the caller when the request names none).
	"iam:CreateUser":                     on("iam:CreateUser", IAMUser),
	"iam:GetUser":                        on("iam:GetUser", IAMUser),
	"iam:ListUsers":                      on("iam:ListUsers", Any),
	"iam:UpdateUser":                     on("iam:UpdateUser", IAMUser),
	"iam:DeleteUser":                     on("iam:DeleteUser", IAMUser),
	"iam:CreateAccessKey":                on("iam:CreateAccessKey", IAMUser),
	"iam:ListAccessKeys":                 on("iam:ListAccessKeys", IAMUser),
	"iam:UpdateAccessKey":                on("iam:UpdateAccessKey", IAMUser),
	"iam:DeleteAccessKey":                on("iam:DeleteAccessKey", IAMUser),
	"iam:GetAccessKeyLastUsed":           on("iam:GetAccessKeyLastUsed", IAMUser),
	"iam:CreateGroup":                    on("iam:CreateGroup", IAMGroup),
	"iam:GetGroup":                       on("iam:GetGroup", IAMGroup),
	"iam:ListGroups":                     on("iam:ListGroups", Any),
	"iam:ListGroupsForUser":              on("iam:ListGroupsForUser", IAMUser),
	"iam:DeleteGroup":                    on("iam:DeleteGroup", IAMGroup),
	"iam:AddUserToGroup":                 on("iam:AddUserToGroup", IAMGroup),
	"iam:RemoveUserFromGroup":            on("iam:RemoveUserFromGroup", IAMGroup),
	"iam:CreatePolicy":                   on("iam:CreatePolicy", IAMPolicy),
	"iam:GetPolicy":                      on("iam:GetPolicy", IAMPolicy),
	"iam:ListPolicies":                   on("iam:ListPolicies", Any),
	"iam:DeletePolicy":                   on("iam:DeletePolicy", IAMPolicy),
	"iam:CreatePolicyVersion":            on("iam:CreatePolicyVersion", IAMPolicy),
	"iam:GetPolicyVersion":               on("iam:GetPolicyVersion", IAMPolicy),
	"iam:ListPolicyVersions":             on("iam:ListPolicyVersions", IAMPolicy),
	"iam:DeletePolicyVersion":            on("iam:DeletePolicyVersion", IAMPolicy),
	"iam:SetDefaultPolicyVersion":        on("iam:SetDefaultPolicyVersion", IAMPolicy),
	"iam:AttachUserPolicy":               on("iam:AttachUserPolicy", IAMUser),
	"iam:DetachUserPolicy":               on("iam:DetachUserPolicy", IAMUser),
	"iam:ListAttachedUserPolicies":       on("iam:ListAttachedUserPolicies", IAMUser),
	"iam:AttachGroupPolicy":              on("iam:AttachGroupPolicy", IAMGroup),
	"iam:DetachGroupPolicy":              on("iam:DetachGroupPolicy", IAMGroup),
	"iam:ListAttachedGroupPolicies":      on("iam:ListAttachedGroupPolicies", IAMGroup),
	"iam:PutUserPolicy":                  on("iam:PutUserPolicy", IAMUser),
	"iam:GetUserPolicy":                  on("iam:GetUserPolicy", IAMUser),
	"iam:ListUserPolicies":               on("iam:ListUserPolicies", IAMUser),
	"iam:DeleteUserPolicy":               on("iam:DeleteUserPolicy", IAMUser),
	"iam:PutGroupPolicy":                 on("iam:PutGroupPolicy", IAMGroup),
	"iam:GetGroupPolicy":                 on("iam:GetGroupPolicy", IAMGroup),
	"iam:ListGroupPolicies":              on("iam:ListGroupPolicies", IAMGroup),
	"iam:DeleteGroupPolicy":              on("iam:DeleteGroupPolicy", IAMGroup),
	"iam:AttachRolePolicy":               on("iam:AttachRolePolicy", IAMRole),
	"iam:DetachRolePolicy":               on("iam:DetachRolePolicy", IAMRole),
	"iam:ListAttachedRolePolicies":       on("iam:ListAttachedRolePolicies", IAMRole),
	"iam:PutRolePolicy":                  on("iam:PutRolePolicy", IAMRole),
	"iam:GetRolePolicy":                  on("iam:GetRolePolicy", IAMRole),
	"iam:ListRolePolicies":               on("iam:ListRolePolicies", IAMRole),
	"iam:DeleteRolePolicy":               on("iam:DeleteRolePolicy", IAMRole),
	"iam:TagUser":                        on("iam:TagUser", IAMUser),
	"iam:UntagUser":                      on("iam:UntagUser", IAMUser),
	"iam:ListUserTags":                   on("iam:ListUserTags", IAMUser),
	"iam:GetAccountAuthorizationDetails": on("iam:GetAccountAuthorizationDetails", Any),
	"iam:CreateRole":                     on("iam:CreateRole", IAMRole),
	"iam:GetRole":                        on("iam:GetRole", IAMRole),
	"iam:ListRoles":                      on("iam:ListRoles", Any),
	"iam:DeleteRole":                     on("iam:DeleteRole", IAMRole),
	"iam:UpdateAssumeRolePolicy":         on("iam:UpdateAssumeRolePolicy", IAMRole),
	// The principal policy operations name a user, group or role by its ARN.
	"iam:SimulatePrincipalPolicy":          on("iam:SimulatePrincipalPolicy", RequestARN),
	"iam:SimulateCustomPolicy":             on("iam:SimulateCustomPolicy", Any),
	"iam:GetContextKeysForPrincipalPolicy": on("iam:GetContextKeysForPrincipalPolicy", RequestARN),
	"iam:GetContextKeysForCustomPolicy":    on("iam:GetContextKeysForCustomPolicy", Any),
}

// RegistryRoute is a kind of request of the registry's OCI distribution API (/v2/).
type RegistryRoute string

// The registry's routes, as the ECR actions that guard them see them.
const (
	RegistryManifest RegistryRoute = "manifests"     // /v2/<name>/manifests/<reference>
	RegistryBlob     RegistryRoute = "blobs"         // /v2/<name>/blobs/<digest>
	RegistryUpload   RegistryRoute = "blobs/uploads" // /v2/<name>/blobs/uploads/[<id>]
	RegistryTags     RegistryRoute = "tags"          // /v2/<name>/tags/list
)

// registryRules are the ECR actions of docker push and pull, by method and route; each is
// checked on the repository.
var registryRules = map[string]string{
	"GET manifests":        "ecr:BatchGetImage",
	"HEAD manifests":       "ecr:BatchGetImage",
	"PUT manifests":        "ecr:PutImage",
	"DELETE manifests":     "ecr:BatchDeleteImage",
	"GET blobs":            "ecr:GetDownloadUrlForLayer",
	"HEAD blobs":           "ecr:BatchCheckLayerAvailability",
	"POST blobs/uploads":   "ecr:InitiateLayerUpload",
	"PATCH blobs/uploads":  "ecr:UploadLayerPart",
	"PUT blobs/uploads":    "ecr:CompleteLayerUpload",
	"GET blobs/uploads":    "ecr:UploadLayerPart",
	"DELETE blobs/uploads": "ecr:UploadLayerPart",
	"GET tags":             "ecr:ListImages",
}

// RegistryRuleFor returns the rule of a registry request: its ECR action on the repository.
func RegistryRuleFor(method string, route RegistryRoute) (Rule, bool) {
	action, ok := registryRules[method+" "+string(route)]
	return on(action, ECRRepository), ok
}
