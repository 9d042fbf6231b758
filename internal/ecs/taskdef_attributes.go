package ecs

import (
	"regexp"
	"slices"
	"strings"
)

// ecrImage matches images in an Amazon ECR private registry.
var ecrImage = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

// requiredAttributes derives the container-instance capabilities a task definition needs, named
// as ECS names them in requiresAttributes. ECS uses them to place tasks on EC2 instances; fargo
// reports them so that DescribeTaskDefinition reads as it does on AWS, and places nothing by
// them. The list covers the capabilities whose trigger is well known (the task ENI, task role,
// log drivers, health checks, ECR pulls, secrets, dependencies, EFS); ECS also lists Docker API
// versions fargo does not try to reproduce. Names are sorted; ECS's order is not specified.
func requiredAttributes(td TaskDefinition) []Attribute {
	set := map[string]bool{}
	add := func(names ...string) {
		for _, n := range names {
			set[n] = true
		}
	}
	if td.NetworkMode == NetworkModeAwsvpc {
		add("ecs.capability.task-eni")
	}
	if td.TaskRoleARN != "" {
		add("com.amazonaws.ecs.capability.task-iam-role")
	}
	for _, v := range td.Volumes {
		if !isZero(v.EFSVolumeConfiguration) {
			add("ecs.capability.efs")
			if !isZero(v.EFSVolumeConfiguration.AuthorizationConfig) {
				add("ecs.capability.efsAuth")
			}
		}
	}
	for _, c := range td.ContainerDefinitions {
		add(containerAttributes(td, c)...)
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]Attribute, len(names))
	for i, n := range names {
		out[i] = Attribute{Name: n}
	}
	return out
}

func containerAttributes(td TaskDefinition, c ContainerDefinition) []string {
	var out []string
	if d := c.LogConfiguration.LogDriver; d != "" {
		out = append(out, "com.amazonaws.ecs.capability.logging-driver."+string(d), "com.amazonaws.ecs.capability.docker-remote-api.1.18")
		if len(c.LogConfiguration.Options) > 0 {
			out = append(out, "com.amazonaws.ecs.capability.docker-remote-api.1.19")
		}
		if d == LogDriverAwslogs && td.ExecutionRoleARN != "" {
			out = append(out, "ecs.capability.execution-role-awslogs")
		}
	}
	if len(c.DockerLabels) > 0 || len(c.Ulimits) > 0 {
		out = append(out, "com.amazonaws.ecs.capability.docker-remote-api.1.18")
	}
	if len(c.HealthCheck.Command) > 0 {
		out = append(out, "ecs.capability.container-health-check")
	}
	if ecrImage.MatchString(c.Image) {
		out = append(out, "com.amazonaws.ecs.capability.ecr-auth")
		if td.ExecutionRoleARN != "" {
			out = append(out, "ecs.capability.execution-role-ecr-pull")
		}
	}
	if c.RepositoryCredentials.CredentialsParameter != "" {
		out = append(out, "com.amazonaws.ecs.capability.private-registry-authentication.secretsmanager")
	}
	if len(c.DependsOn) > 0 {
		out = append(out, "ecs.capability.container-ordering")
	}
	if len(c.EnvironmentFiles) > 0 {
		out = append(out, "ecs.capability.env-files.s3")
	}
	for _, s := range c.Secrets {
		if strings.Contains(s.ValueFrom, ":secretsmanager:") {
			out = append(out, "ecs.capability.secrets.asm.environment-variables")
		} else {
			out = append(out, "ecs.capability.secrets.ssm.environment-variables")
		}
	}
	return out
}
