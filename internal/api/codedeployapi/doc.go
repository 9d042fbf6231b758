// Package codedeployapi serves the AWS CodeDeploy API for ECS (JSON 1.1, target prefix
// CodeDeploy_20141006) over the store: applications, deployment configurations, deployment
// groups, deployments and their ECS targets. It holds the wire shapes, with member names as
// the botocore model has them, converts them to and from the types of package codedeploy, and
// chooses CodeDeploy's error codes. It creates deployments and records stop and continue
// requests; the deployer controller carries them out.
package codedeployapi
