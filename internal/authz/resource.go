package authz

import (
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// ResourceType is a resource type of the Service Authorization Reference: the service of its
// ARNs and the format of their resource part, with one {placeholder} for each name.
type ResourceType struct {
	// Name is the reference's name of the type, for example "service" or "deploymentgroup".
	Name    string
	Service string
	// Format is the resource part of the ARN, for example "service/{cluster}/{service}".
	Format string
	// Global types have no region in their ARNs (IAM).
	Global bool
}

// The resource types of the operations fargo serves.
var (
	// Any is the type of actions without resource-level permissions: they are checked on "*".
	Any = ResourceType{Name: "*"}
	// RequestARN is the type of operations that name any resource by its ARN (TagResource,
	// AddTags): the ARN as the request gives it.
	RequestARN = ResourceType{Name: "arn", Format: "{arn}"}

	ECSCluster           = ResourceType{"cluster", "ecs", "cluster/{cluster}", false}
	ECSService           = ResourceType{"service", "ecs", "service/{cluster}/{service}", false}
	ECSTask              = ResourceType{"task", "ecs", "task/{cluster}/{task}", false}
	ECSTaskDefinition    = ResourceType{"task-definition", "ecs", "task-definition/{family}:{revision}", false}
	ECSContainerInstance = ResourceType{"container-instance", "ecs", "container-instance/{cluster}/{id}", false}
	ECSTaskSet           = ResourceType{"task-set", "ecs", "task-set/{cluster}/{service}/{id}", false}
	ECSServiceDeployment = ResourceType{"service-deployment", "ecs", "service-deployment/{cluster}/{service}/{id}", false}
	ECSServiceRevision   = ResourceType{"service-revision", "ecs", "service-revision/{cluster}/{service}/{id}", false}

	ELBLoadBalancer = ResourceType{"loadbalancer/app/", "elasticloadbalancing", "loadbalancer/app/{name}/{id}", false}
	ELBListener     = ResourceType{"listener/app/", "elasticloadbalancing", "listener/app/{lb-name}/{lb-id}/{id}", false}
	ELBListenerRule = ResourceType{"listener-rule/app/", "elasticloadbalancing", "listener-rule/app/{lb-name}/{lb-id}/{listener-id}/{id}", false}
	ELBTargetGroup  = ResourceType{"targetgroup", "elasticloadbalancing", "targetgroup/{name}/{id}", false}

	CodeDeployApplication     = ResourceType{"application", "codedeploy", "application:{application}", false}
	CodeDeployDeploymentGroup = ResourceType{"deploymentgroup", "codedeploy", "deploymentgroup:{application}/{group}", false}
	CodeDeployConfig          = ResourceType{"deploymentconfig", "codedeploy", "deploymentconfig:{config}", false}

	ECRRepository = ResourceType{"repository", "ecr", "repository/{repository}", false}

	LambdaFunction = ResourceType{"function", "lambda", "function:{function}", false}

	CloudWatchAlarm = ResourceType{"alarm", "cloudwatch", "alarm:{alarm}", false}

	LogGroup  = ResourceType{"log-group", "logs", "log-group:{group}", false}
	LogStream = ResourceType{"log-stream", "logs", "log-group:{group}:log-stream:{stream}", false}

	IAMUser   = ResourceType{"user", "iam", "user/{path-and-name}", true}
	IAMGroup  = ResourceType{"group", "iam", "group/{path-and-name}", true}
	IAMRole   = ResourceType{"role", "iam", "role/{path-and-name}", true}
	IAMPolicy = ResourceType{"policy", "iam", "policy/{path-and-name}", true}
)

// ARN returns the ARN of the resource named by names, one for each placeholder of the format
// in order, in scope: ECSService.ARN(scope, "prod", "web") is
// arn:aws:ecs:<region>:<account>:service/prod/web. Any gives "*", RequestARN its one name.
func (t ResourceType) ARN(scope arn.Scope, names ...string) (string, error) {
	if t.Name == Any.Name {
		return "*", nil
	}
	if t.Name == RequestARN.Name {
		if len(names) != 1 || !arn.IsARN(names[0]) {
			return "", errdefs.InvalidArgument("resource type arn needs one ARN, got %q", names)
		}
		return names[0], nil
	}
	region := scope.Region
	if t.Global {
		region = ""
	}
	// One builder for the whole ARN: this runs for every resource of every call.
	size := len("arn:::::") + len(scope.Partition) + len(t.Service) + len(region) + len(scope.AccountID) + len(t.Format)
	for _, n := range names {
		size += len(n)
	}
	var b strings.Builder
	b.Grow(size)
	for _, part := range []string{"arn:", scope.Partition, ":", t.Service, ":", region, ":", scope.AccountID, ":"} {
		b.WriteString(part)
	}
	rest := t.Format
	for i := 0; ; i++ {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if i != len(names) {
				return "", errdefs.InvalidArgument("resource type %s needs %d names, got %d", t.Name, i, len(names))
			}
			b.WriteString(rest)
			return b.String(), nil
		}
		if i >= len(names) || names[i] == "" {
			return "", errdefs.InvalidArgument("resource type %s needs a name for %s", t.Name, rest[open:])
		}
		b.WriteString(rest[:open])
		b.WriteString(names[i])
		rest = rest[open+strings.IndexByte(rest[open:], '}')+1:]
	}
}

// keyTypes are the condition keys whose values are ARNs of a resource type.
var keyTypes = map[string]ResourceType{"ecs:cluster": ECSCluster}

// KeyResourceType returns the resource type of the ARNs that the condition key name takes
// (ECSCluster for ecs:cluster), false for a key of other values.
func KeyResourceType(name string) (ResourceType, bool) {
	t, ok := keyTypes[name]
	return t, ok
}
