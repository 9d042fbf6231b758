// Package hooks holds the lifecycle hook executions of deployments: one run of a hook target
// (a registered function, reached over HTTP(S), or a task definition run as a one-off task)
// for one lifecycle event of a CodeDeploy deployment or one lifecycle stage of an ECS service
// deployment, and its verdict. It also holds the registered functions (Function), the targets
// a hook may name (ParseTarget) and the LifecycleEventHookExecutionId that a CodeDeploy hook's
// target reports its verdict with (CodeDeployHookID).
//
// Deployers create an Execution when a hook is due and wait for its verdict; the hooks
// controller (internal/hookrunner) runs it. Both sides read and write only the stored
// Execution, so a restart at any point resumes the hook where it was.
package hooks
