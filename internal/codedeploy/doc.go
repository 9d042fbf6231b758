// Package codedeploy is the domain of CodeDeploy for ECS: applications, deployment groups,
// deployment configurations and deployments with their AppSpec and lifecycle. It is pure:
// types, validation and rules, no I/O. The deployer controller carries deployments out.
package codedeploy
