package codedeployapi_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/hooks"
)

// hookExecution stores the pending execution of deployment id's hook for event, as the
// deployer creates it, and returns the LifecycleEventHookExecutionId its target gets.
func (e *env) hookExecution(t *testing.T, id, event string, status hooks.Status) string {
	t.Helper()
	x := hooks.Execution{ID: hooks.ExecutionID(id, event, 0), Kind: hooks.KindCodeDeploy, Owner: id, Event: event,
		Target: "smoke", Payload: json.RawMessage(`{}`), Status: status}
	if _, err := e.store.HookExecutions.Create(e.ctx, x.ID, x); err != nil {
		t.Fatal(err)
	}
	return hooks.CodeDeployHookID(x.ID)
}

func (e *env) putHookStatus(id, hookID string, status types.LifecycleEventStatus) func() error {
	return func() error {
		_, err := e.cd.PutLifecycleEventHookExecutionStatus(e.ctx, &cdsdk.PutLifecycleEventHookExecutionStatusInput{
			DeploymentId: aws.String(id), LifecycleEventHookExecutionId: aws.String(hookID), Status: status})
		return err
	}
}

func TestPutLifecycleEventHookExecutionStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, status := range []types.LifecycleEventStatus{types.LifecycleEventStatusSucceeded, types.LifecycleEventStatusFailed} {
		group := "g" + string(status)
		e.createGroup(t, "app", group)
		id := e.deploy(t, "app", group, yamlAppSpec)
		hookID := e.hookExecution(t, id, "AfterAllowTestTraffic", hooks.StatusInProgress)
		out, err := e.cd.PutLifecycleEventHookExecutionStatus(e.ctx, &cdsdk.PutLifecycleEventHookExecutionStatusInput{
			DeploymentId: aws.String(id), LifecycleEventHookExecutionId: aws.String(hookID), Status: status})
		if err != nil || aws.ToString(out.LifecycleEventHookExecutionId) != hookID {
			t.Fatalf("%s: %+v, %v", status, out, err)
		}
		x, err := e.store.HookExecutions.Get(e.ctx, hooks.ExecutionID(id, "AfterAllowTestTraffic", 0))
		if err != nil || string(x.Value.Status) != string(status) {
			t.Fatalf("%s: execution %+v, %v", status, x.Value, err)
		}
	}
}

func TestPutLifecycleEventHookExecutionStatusErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createGroup(t, "app", "a")
	id := e.deploy(t, "app", "a", yamlAppSpec)
	pending := e.hookExecution(t, id, "BeforeInstall", hooks.StatusPending)
	final := e.hookExecution(t, id, "AfterInstall", hooks.StatusFailed)
	e.createGroup(t, "app", "b")
	other := e.deploy(t, "app", "b", yamlAppSpec)
	e.createGroup(t, "app", "c")
	done := e.deploy(t, "app", "c", yamlAppSpec)
	doneHook := e.hookExecution(t, done, "BeforeInstall", hooks.StatusPending)
	e.setDeployment(t, done, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusSucceeded })
	tests := []struct {
		name, code string
		call       func() error
	}{
		{"no deployment id", "DeploymentIdRequiredException", e.putHookStatus("", pending, types.LifecycleEventStatusSucceeded)},
		{"malformed deployment id", "InvalidDeploymentIdException", e.putHookStatus("d-nope", pending, types.LifecycleEventStatusSucceeded)},
		{"missing deployment", "DeploymentDoesNotExistException", e.putHookStatus("d-AAAAAAAAA", pending, types.LifecycleEventStatusSucceeded)},
		{"no hook execution id", "InvalidLifecycleEventHookExecutionIdException", e.putHookStatus(id, "", types.LifecycleEventStatusSucceeded)},
		{"malformed hook execution id", "InvalidLifecycleEventHookExecutionIdException", e.putHookStatus(id, "!!", types.LifecycleEventStatusSucceeded)},
		{"unknown hook execution", "InvalidLifecycleEventHookExecutionIdException", e.putHookStatus(id, hooks.CodeDeployHookID(hooks.ExecutionID(id, "AfterAllowTraffic", 0)), types.LifecycleEventStatusSucceeded)},
		{"another deployment's hook", "InvalidLifecycleEventHookExecutionIdException", e.putHookStatus(other, pending, types.LifecycleEventStatusSucceeded)},
		{"a final hook", "LifecycleEventAlreadyCompletedException", e.putHookStatus(id, final, types.LifecycleEventStatusSucceeded)},
		{"a finished deployment", "LifecycleEventAlreadyCompletedException", e.putHookStatus(done, doneHook, types.LifecycleEventStatusSucceeded)},
		{"status InProgress", "InvalidLifecycleEventHookExecutionStatusException", e.putHookStatus(id, pending, types.LifecycleEventStatusInProgress)},
		{"status Skipped", "InvalidLifecycleEventHookExecutionStatusException", e.putHookStatus(id, pending, types.LifecycleEventStatusSkipped)},
		{"no status", "InvalidLifecycleEventHookExecutionStatusException", e.putHookStatus(id, pending, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, before, _ := e.store.HookExecutions.List(e.ctx, "")
			e.expectError(t, tt.code, tt.call)
			if _, after, _ := e.store.HookExecutions.List(e.ctx, ""); after != before {
				t.Fatalf("a failed call wrote to the store (revision %d → %d)", before, after)
			}
		})
	}
	x, _ := e.store.HookExecutions.Get(e.ctx, hooks.ExecutionID(id, "BeforeInstall", 0))
	if x.Value.Status != hooks.StatusPending {
		t.Fatalf("the pending hook became %s after failed calls", x.Value.Status)
	}
}
