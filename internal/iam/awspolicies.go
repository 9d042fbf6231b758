package iam

import (
	"crypto/sha256"
	"embed"
	"slices"
	"strings"
	"sync"
	"time"
)

//go:embed awspolicies/*.json
var awsPolicyFiles embed.FS

// awsPolicies are the AWS managed policies fargo serves: those that deployments to ECS, ECR,
// CodeDeploy, ELB and CloudWatch Logs use, with their real names and paths, and statements
// equivalent to AWS's for the services fargo serves (awspolicies/<name>.json).
var awsPolicies = []struct{ name, path, description string }{
	{"AdministratorAccess", "/", "Provides full access to AWS services and resources."},
	{"AmazonEC2ContainerRegistryFullAccess", "/", "Provides administrative access to Amazon ECR resources"},
	{"AmazonEC2ContainerRegistryPowerUser", "/", "Provides full access to Amazon EC2 Container Registry repositories, but does not allow repository deletion or policy changes."},
	{"AmazonEC2ContainerRegistryReadOnly", "/", "Provides read-only access to Amazon EC2 Container Registry repositories."},
	{"AmazonECSTaskExecutionRolePolicy", "/service-role/", "Provides access to other AWS service resources that are required to run Amazon ECS tasks"},
	{"AmazonECS_FullAccess", "/", "Provides administrative access to Amazon ECS resources and enables ECS features through access to other AWS service resources, including VPCs, Auto Scaling groups, and CloudFormation stacks."},
	{"AWSCodeDeployFullAccess", "/", "Provides full access to CodeDeploy resources."},
	{"AWSCodeDeployReadOnlyAccess", "/", "Provides read only access to CodeDeploy resources."},
	{"AWSCodeDeployRoleForECS", "/", "Provides CodeDeploy service wide access to perform an ECS blue/green deployment on your behalf. Grants full access to support services, such as full access to read all S3 objects, invoke all Lambda functions, publish to all SNS topics within the account and update all ECS services."},
	{"CloudWatchLogsFullAccess", "/", "Provides full access to CloudWatch Logs"},
	{"CloudWatchLogsReadOnlyAccess", "/", "Provides read only access to CloudWatch Logs"},
	{"ElasticLoadBalancingFullAccess", "/", "Provides full access to Amazon ElasticLoadBalancing, and limited access to other services necessary to provide ElasticLoadBalancing features."},
	{"ElasticLoadBalancingReadOnly", "/", "Provides read only access to Amazon ElasticLoadBalancing and dependent services"},
	{"IAMFullAccess", "/", "Provides full access to IAM via the AWS Management Console."},
	{"IAMReadOnlyAccess", "/", "Provides read only access to IAM via the AWS Management Console."},
	{"PowerUserAccess", "/", "Provides full access to AWS services and resources, but does not allow management of Users and groups."},
	{"ReadOnlyAccess", "/", "Provides read-only access to AWS services and resources."},
}

// awsPolicyDate is the creation date of every AWS managed policy: AWS's are older than fargo.
var awsPolicyDate = time.Date(2015, 2, 6, 18, 40, 0, 0, time.UTC)

// AWSPolicies returns the AWS managed policies, sorted by name. Each has one version, v1, and
// an id derived from its name, so it is the same on every server.
func AWSPolicies() []ManagedPolicy { return slices.Clone(loadAWSPolicies()) }

// loadAWSPolicies reads the embedded documents once.
var loadAWSPolicies = sync.OnceValue(func() []ManagedPolicy {
	out := make([]ManagedPolicy, 0, len(awsPolicies))
	for _, p := range awsPolicies {
		doc, err := awsPolicyFiles.ReadFile("awspolicies/" + p.name + ".json")
		if err != nil {
			panic("iam: AWS managed policy " + p.name + " is not embedded") // a build defect, caught by tests
		}
		out = append(out, ManagedPolicy{
			Account: AWSAccount, Name: p.name, Path: p.path, ID: awsPolicyID(p.name), Description: p.description,
			CreateDate: awsPolicyDate, UpdateDate: awsPolicyDate, DefaultVersion: "v1", LastVersion: 1,
			Versions: []PolicyVersion{{ID: "v1", Document: string(doc), CreateDate: awsPolicyDate}},
		})
	}
	slices.SortFunc(out, func(a, b ManagedPolicy) int { return strings.Compare(a.Name, b.Name) })
	return out
})

// AWSPolicy returns the AWS managed policy that ref names.
func AWSPolicy(ref PolicyRef) (ManagedPolicy, bool) {
	for _, p := range loadAWSPolicies() {
		if p.Name == ref.Name && p.Path == ref.Path {
			return p, true
		}
	}
	return ManagedPolicy{}, false
}

func awsPolicyID(name string) string {
	sum := sha256.Sum256([]byte(name))
	return encodeID(PolicyIDPrefix, sum[:17])
}
