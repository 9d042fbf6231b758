package console

import (
	"context"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
)

// Actions are the operations the console performs. Each method is the domain-level entry
// point of the API operation of the same name (package ecsapi, elbapi, codedeployapi, ecrapi),
// so the console and the API share validation, defaults and store writes.
type Actions struct {
	ECS        ECS
	ELB        ELB
	CodeDeploy CodeDeploy
	ECR        ECR
}

// ECS is what the console does to ECS.
type ECS interface {
	CreateCluster(ctx context.Context, c ecs.Cluster) (ecs.Cluster, error)
	RegisterTaskDefinition(ctx context.Context, td ecs.TaskDefinition) (ecs.TaskDefinition, error)
	// DecodeTaskDefinition reads a task-definition.json document, as RegisterTaskDefinition's
	// --cli-input-json does.
	DecodeTaskDefinition(doc []byte) (ecs.TaskDefinition, error)
	// EncodeTaskDefinition writes td as DescribeTaskDefinition shows it.
	EncodeTaskDefinition(td ecs.TaskDefinition) ([]byte, error)
	// CreateService creates s, which names its cluster; taskDefinition is a family,
	// family:revision or ARN.
	CreateService(ctx context.Context, s ecs.Service, taskDefinition string) (ecs.Service, error)
	// UpdateService sets the task definition (when not "") and the desired count (when >= 0).
	UpdateService(ctx context.Context, cluster, service, taskDefinition string, desiredCount int) error
	StopTask(ctx context.Context, cluster, task, reason string) error
}

// ELB is what the console does to Elastic Load Balancing.
type ELB interface {
	CreateTargetGroup(ctx context.Context, spec elb.TargetGroupSpec) (elb.TargetGroup, error)
	CreateLoadBalancer(ctx context.Context, spec elb.LoadBalancerSpec) (elb.LoadBalancer, error)
	CreateListener(ctx context.Context, loadBalancerARN string, spec elb.ListenerSpec) (elb.Listener, error)
	DeleteLoadBalancer(ctx context.Context, loadBalancerARN string) error
}

// CodeDeploy is what the console does to CodeDeploy.
type CodeDeploy interface {
	CreateApplication(ctx context.Context, name, computePlatform string) (codedeploy.Application, error)
	CreateDeploymentGroup(ctx context.Context, g codedeploy.DeploymentGroup) (codedeploy.DeploymentGroup, error)
	// CreateDeployment starts a deployment of rev; it returns the deployment's id.
	CreateDeployment(ctx context.Context, application, group string, rev codedeploy.Revision, description string) (string, error)
	ContinueDeployment(ctx context.Context, id, waitType string) error
	// StopDeployment stops the deployment, rolling back when rollback says so.
	StopDeployment(ctx context.Context, id string, rollback bool) error
}

// ECR is what the console does to ECR.
type ECR interface {
	CreateRepository(ctx context.Context, name string) (ecr.Repository, error)
}

// Images lists a repository's images (the registry's storage).
type Images interface {
	Images(ctx context.Context, repository string) ([]ecr.Image, error)
}
