// Package hookrunner is the controller that runs lifecycle hook executions (hooks.Execution):
// it invokes a registered function over HTTP(S) with the execution's payload, or runs a task
// definition as a one-off task, and records the verdict for the deployer that waits on it.
//
// CodeDeploy hooks report through PutLifecycleEventHookExecutionStatus, so an invoked one
// stays InProgress until that call (or its deadline); ECS hooks answer with their hookStatus,
// and IN_PROGRESS invokes them again after callBackDelay. Every decision comes from the stored
// execution and the clock, so a restart resumes each execution where it was; an invocation
// that a restart interrupted is made again, as Lambda's asynchronous invocations may be.
package hookrunner
