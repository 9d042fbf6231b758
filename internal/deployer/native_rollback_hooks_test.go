package deployer_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/hooks"
)

const smokeHook = "arn:aws:lambda:us-east-1:000000000000:function:smoke"

// rollingBackWithHooks is a canary rolled back by StopServiceDeployment whose Lambda hook
// runs at TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT (and a PAUSE hook elsewhere, which
// a rollback does not run), with traffic already back on blue.
func rollingBackWithHooks() deployer.NativeObservation {
	o := at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0)
	o.Deployment.DeploymentConfiguration.LifecycleHooks = []ecs.LifecycleHook{
		{TargetType: ecs.HookTargetLambda, HookTargetARN: smokeHook, LifecycleStages: []string{ecs.StageTestTrafficShift, ecs.StageProductionTrafficShift}},
		{TargetType: ecs.HookTargetPause, LifecycleStages: []string{ecs.StagePostScaleUp}},
	}
	o.Deployment.Status = ecs.SDRollbackRequested
	o.Forwards[nRule] = forwardTo(100, 0)
	return o
}

// started returns the hook executions a step starts.
func started(step deployer.NativeStep) []hooks.Execution {
	var out []hooks.Execution
	for _, a := range step.Actions {
		if a.Kind == deployer.ActStartHook {
			out = append(out, a.Hook)
		}
	}
	return out
}

// next feeds a step's deployment back, with the executions it started ended as status.
func next(o deployer.NativeObservation, step deployer.NativeStep, status hooks.Status) deployer.NativeObservation {
	o.Deployment = step.Deployment
	o.Executions, o.Forwards = maps.Clone(o.Executions), maps.Clone(o.Forwards)
	for _, x := range started(step) {
		x.Status = status
		o.Executions[x.ID] = x
	}
	return o
}

// TestPlanNativeRollbackRunsTrafficShiftHooks: a rollback runs the Lambda hooks of
// TEST_TRAFFIC_SHIFT, then those of PRODUCTION_TRAFFIC_SHIFT, once traffic is back on blue, as
// ECS does; green's tasks stay until they end; a failing one ends the rollback
// ROLLBACK_FAILED after the source has everything back.
func TestPlanNativeRollbackRunsTrafficShiftHooks(t *testing.T) {
	cfg := deployer.Config{Minute: time.Minute}
	o := rollingBackWithHooks()

	step := deployer.PlanServiceDeployment(cfg, o)
	test := started(step)
	if len(test) != 1 || test[0].Event != "ROLLBACK_TEST_TRAFFIC_SHIFT" || slices.Contains(kinds(step), deployer.ActRestoreDeployment) {
		t.Fatalf("first rollback step: actions %v, executions %+v", kinds(step), test)
	}
	var payload struct {
		ExecutionDetails struct {
			ProductionTrafficWeights map[string]float64 `json:"productionTrafficWeights"`
		} `json:"executionDetails"`
		LifecycleStage string `json:"lifecycleStage"`
	}
	if err := json.Unmarshal(test[0].Payload, &payload); err != nil || payload.LifecycleStage != ecs.StageTestTrafficShift ||
		payload.ExecutionDetails.ProductionTrafficWeights[o.Deployment.Target.ARN] != 0 {
		t.Fatalf("payload %s (%v)", test[0].Payload, err)
	}
	if step.Deployment.Status != ecs.SDRollbackInProgress {
		t.Fatalf("status %s", step.Deployment.Status)
	}

	// The same step again while the hook runs: nothing new, no restore.
	o = next(o, step, hooks.StatusInProgress)
	step = deployer.PlanServiceDeployment(cfg, o)
	if len(step.Actions) != 0 {
		t.Fatalf("while the test hook runs: actions %v", kinds(step))
	}

	// The test hook succeeded: production's hook starts.
	o = next(o, deployer.NativeStep{Deployment: step.Deployment, Actions: []deployer.Action{{Kind: deployer.ActStartHook, Hook: test[0]}}}, hooks.StatusSucceeded)
	step = deployer.PlanServiceDeployment(cfg, o)
	prod := started(step)
	if len(prod) != 1 || prod[0].Event != "ROLLBACK_PRODUCTION_TRAFFIC_SHIFT" || slices.Contains(kinds(step), deployer.ActRestoreDeployment) {
		t.Fatalf("after the test hook: actions %v, executions %+v", kinds(step), prod)
	}

	t.Run("succeeded", func(t *testing.T) {
		o := next(o, step, hooks.StatusSucceeded)
		step := deployer.PlanServiceDeployment(cfg, o)
		if !slices.Equal(kinds(step), []deployer.ActionKind{deployer.ActRestoreDeployment}) {
			t.Fatalf("after both hooks: actions %v", kinds(step))
		}
		o.Deployment = step.Deployment
		o.Service.Deployments = []ecs.Deployment{o.Service.Deployments[1]}
		o.Forwards[nRule] = map[string]int{nBlue: 100}
		if end := deployer.PlanServiceDeployment(cfg, o).Deployment; end.Status != ecs.SDRollbackSuccessful {
			t.Fatalf("end: %s (%s)", end.Status, end.StatusReason)
		}
	})
	t.Run("failed", func(t *testing.T) {
		o := next(o, step, hooks.StatusFailed)
		step := deployer.PlanServiceDeployment(cfg, o)
		if !slices.Equal(kinds(step), []deployer.ActionKind{deployer.ActRestoreDeployment}) {
			t.Fatalf("a failed rollback hook holds the rollback up: actions %v", kinds(step))
		}
		o.Deployment = step.Deployment
		o.Service.Deployments = []ecs.Deployment{o.Service.Deployments[1]}
		o.Forwards[nRule] = map[string]int{nBlue: 100}
		end := deployer.PlanServiceDeployment(cfg, o).Deployment
		if end.Status != ecs.SDRollbackFailed || end.StatusReason != "Lifecycle hook rollback-production-traffic-shift-0 failed at PRODUCTION_TRAFFIC_SHIFT during the rollback." {
			t.Fatalf("end: %s (%s)", end.Status, end.StatusReason)
		}
	})
	t.Run("timed out", func(t *testing.T) {
		o := next(o, step, hooks.StatusInProgress)
		o.Now = o.Now.Add(60 * time.Minute) // the default timeout of a Lambda hook
		step := deployer.PlanServiceDeployment(cfg, o)
		if !slices.Equal(kinds(step), []deployer.ActionKind{deployer.ActRestoreDeployment}) {
			t.Fatalf("a rollback hook past its deadline: actions %v", kinds(step))
		}
		if !slices.ContainsFunc(step.Deployment.Hooks, func(d ecs.HookDetail) bool {
			return d.HookID == "rollback-production-traffic-shift-0" && d.Status == ecs.HookTimedOut
		}) {
			t.Fatalf("hooks %+v", step.Deployment.Hooks)
		}
	})
}

// TestPlanNativeRollbackSwapsBeforeHooks: with hooks to run, the rollback first swaps traffic
// back and starts them only once the swap is applied.
func TestPlanNativeRollbackSwapsBeforeHooks(t *testing.T) {
	o := rollingBackWithHooks()
	o.Forwards[nRule] = forwardTo(90, 10)
	step := deployer.PlanServiceDeployment(deployer.Config{Minute: time.Minute}, o)
	if !slices.Equal(kinds(step), []deployer.ActionKind{deployer.ActSetRuleForward}) {
		t.Fatalf("actions %v", kinds(step))
	}
}
