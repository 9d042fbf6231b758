package deployer_test

import (
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/deployer"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/hooks"
)

const (
	nBlue  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/1"
	nGreen = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/2"
	nRule  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/alb/3/4/5"
	nTest  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/alb/3/4/6"
	nOld   = "ecs-svc/1000000000000000001"
	nNew   = "ecs-svc/1000000000000000002"
)

var nNow = time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)

// nativeWorld is a BLUE_GREEN service in the middle of a deployment: nOld (PRIMARY before,
// behind blue) replaced by nNew (behind green), two tasks each, all healthy, production on blue.
func nativeWorld(strategy string) deployer.NativeObservation {
	lb := ecs.LoadBalancer{TargetGroupARN: nBlue, ContainerName: "web", ContainerPort: 8080,
		Advanced: ecs.AdvancedConfiguration{AlternateTargetGroupARN: nGreen, ProductionListenerRule: nRule, RoleARN: "arn:aws:iam::000000000000:role/r"}}
	svc := ecs.Service{Name: "web", ClusterName: "demo", ARN: "arn:aws:ecs:us-east-1:000000000000:service/demo/web", DesiredCount: 2,
		DeploymentController: ecs.ControllerECS, LoadBalancers: []ecs.LoadBalancer{lb},
		DeploymentConfiguration: ecs.DeploymentConfiguration{Strategy: strategy, BakeTimeInMinutes: 5,
			Linear: ecs.LinearConfiguration{StepPercent: 25, StepBakeTimeInMinutes: 1},
			Canary: ecs.CanaryConfiguration{CanaryPercent: 10, CanaryBakeTimeInMinutes: 2}}}
	green := lb
	green.TargetGroupARN = nGreen
	svc.Deployments = []ecs.Deployment{
		{ID: nNew, Status: ecs.DeploymentPrimary, DesiredCount: 2, Strategy: strategy, RolloutState: ecs.RolloutInProgress, LoadBalancers: []ecs.LoadBalancer{green}},
		{ID: nOld, Status: ecs.DeploymentActive, DesiredCount: 2, RolloutState: ecs.RolloutCompleted, LoadBalancers: []ecs.LoadBalancer{lb}},
	}
	scope := arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	sd := ecs.NewServiceDeployment(scope, svc, svc.Deployments[0], nNow.Add(-time.Hour))
	sd.Status = ecs.SDInProgress
	o := deployer.NativeObservation{Deployment: sd, Service: svc, Now: nNow,
		Forwards: map[string]map[string]int{nRule: {nBlue: 1}}, Executions: map[string]hooks.Execution{}}
	for i, d := range []string{nNew, nNew, nOld, nOld} {
		o.Tasks = append(o.Tasks, ecs.Task{ID: string(rune('a' + i)), DeploymentID: d, LastStatus: ecs.TaskRunning, DesiredStatus: ecs.TaskRunning,
			LoadBalanced: true, TargetHealth: ecs.HealthHealthy})
	}
	return o
}

// at puts the deployment at stage, entered ago.
func at(o deployer.NativeObservation, stage string, ago time.Duration) deployer.NativeObservation {
	o.Deployment.LifecycleStage, o.Deployment.StageStartedAt = stage, nNow.Add(-ago)
	o.Deployment.Traffic = ecs.NativeTraffic{ProductionRule: nRule, Green: nGreen, Blue: nBlue}
	return o
}

func forwardTo(blue, green int) map[string]int { return map[string]int{nBlue: blue, nGreen: green} }

// ruleAction is the forward the step sets on rule, nil if none.
func ruleAction(step deployer.NativeStep, rule string) map[string]int {
	for _, a := range step.Actions {
		if a.Kind == deployer.ActSetRuleForward && a.Rule == rule {
			out := map[string]int{}
			for _, g := range a.Forward {
				out[g.ARN] = g.Weight
			}
			return out
		}
	}
	return nil
}

func kinds(step deployer.NativeStep) []deployer.ActionKind {
	var out []deployer.ActionKind
	for _, a := range step.Actions {
		out = append(out, a.Kind)
	}
	return out
}

func TestPlanNativeStages(t *testing.T) {
	minute := time.Minute
	cfg := deployer.Config{Minute: minute}
	tests := []struct {
		name      string
		o         deployer.NativeObservation
		stage     string
		status    ecs.ServiceDeploymentStatus
		actions   []deployer.ActionKind
		forward   map[string]int // the production rule's new forward, nil for none
		prodShare float64
	}{
		{name: "pending starts at RECONCILE_SERVICE", o: func() deployer.NativeObservation {
			o := nativeWorld(ecs.StrategyBlueGreen)
			o.Deployment.Status = ecs.SDPending
			return o
		}(), stage: ecs.StageReconcileService, status: ecs.SDInProgress},
		{name: "reconcile without hooks moves on", o: at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageReconcileService, 0), stage: ecs.StagePreScaleUp, status: ecs.SDInProgress},
		{name: "scale up puts green in the forward at 0 and waits for health", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageScaleUp, 0)
			o.Tasks[1].TargetHealth = ecs.HealthUnknown
			return o
		}(), stage: ecs.StageScaleUp, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: forwardTo(100, 0)},
		{name: "scale up ends when green runs healthy", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageScaleUp, 0)
			o.Forwards[nRule] = forwardTo(100, 0)
			return o
		}(), stage: ecs.StagePostScaleUp, status: ecs.SDInProgress},
		{name: "blue/green moves all production traffic at once", o: at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageProductionTrafficShift, 0),
			stage: ecs.StagePostProductionTrafficShift, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: forwardTo(0, 100), prodShare: 100},
		{name: "canary sends its share first", o: at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0),
			stage: ecs.StageProductionTrafficShift, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: forwardTo(90, 10), prodShare: 10},
		{name: "canary holds through its bake", o: shifted(at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0), 10, 2*minute-time.Nanosecond),
			stage: ecs.StageProductionTrafficShift, status: ecs.SDInProgress, prodShare: 10},
		{name: "canary sends the rest after its bake", o: shifted(at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0), 10, 2*minute),
			stage: ecs.StagePostProductionTrafficShift, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: forwardTo(0, 100), prodShare: 100},
		{name: "linear steps one step after a step bake", o: shifted(at(nativeWorld(ecs.StrategyLinear), ecs.StageProductionTrafficShift, 0), 25, 5*minute),
			stage: ecs.StageProductionTrafficShift, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: forwardTo(50, 50), prodShare: 50},
		{name: "bake time keeps both revisions", o: at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageBakeTime, 5*minute-time.Nanosecond), stage: ecs.StageBakeTime, status: ecs.SDInProgress},
		{name: "bake time ends", o: at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageBakeTime, 5*minute), stage: ecs.StageCleanUp, status: ecs.SDInProgress},
		{name: "clean up releases the source", o: at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageCleanUp, 0), stage: ecs.StageCleanUp, status: ecs.SDInProgress,
			actions: []deployer.ActionKind{deployer.ActReleaseDeployments}},
		{name: "clean up waits while the source drains", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageCleanUp, 0)
			o.Service.Deployments[1].Status = ecs.DeploymentInactive
			return o
		}(), stage: ecs.StageCleanUp, status: ecs.SDInProgress},
		{name: "clean up leaves green alone, then succeeds", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageCleanUp, 0)
			o.Service.Deployments = o.Service.Deployments[:1]
			return o
		}(), stage: ecs.StageCleanUp, status: ecs.SDInProgress, actions: []deployer.ActionKind{deployer.ActSetRuleForward}, forward: map[string]int{nGreen: 100}},
		{name: "succeeded", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageCleanUp, 0)
			o.Service.Deployments = o.Service.Deployments[:1]
			o.Forwards[nRule] = map[string]int{nGreen: 100}
			return o
		}(), stage: ecs.StageCleanUp, status: ecs.SDSuccessful},
		{name: "a stop rolls traffic back, then the source", o: func() deployer.NativeObservation {
			o := shifted(at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0), 10, 0)
			o.Deployment.Status = ecs.SDRollbackRequested
			o.Forwards[nRule] = forwardTo(90, 10)
			return o
		}(), stage: ecs.StageProductionTrafficShift, status: ecs.SDRollbackInProgress,
			actions: []deployer.ActionKind{deployer.ActSetRuleForward, deployer.ActRestoreDeployment}, forward: forwardTo(100, 0)},
		{name: "a rollback waits while green drains", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0)
			o.Deployment.Status = ecs.SDRollbackInProgress
			o.Forwards[nRule] = forwardTo(100, 0)
			o.Service.Deployments[0].Status, o.Service.Deployments[1].Status = ecs.DeploymentInactive, ecs.DeploymentPrimary
			return o
		}(), stage: ecs.StageProductionTrafficShift, status: ecs.SDRollbackInProgress},
		{name: "a rollback ends with blue alone", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyCanary), ecs.StageProductionTrafficShift, 0)
			o.Deployment.Status = ecs.SDRollbackInProgress
			o.Forwards[nRule] = map[string]int{nBlue: 100}
			o.Service.Deployments = []ecs.Deployment{o.Service.Deployments[1]}
			return o
		}(), stage: ecs.StageProductionTrafficShift, status: ecs.SDRollbackSuccessful},
		{name: "the circuit breaker rolls back", o: func() deployer.NativeObservation {
			o := at(nativeWorld(ecs.StrategyBlueGreen), ecs.StageScaleUp, 0)
			o.Deployment.DeploymentConfiguration.CircuitBreakerEnable = true
			o.Service.Deployments[0].FailedTasks = 3
			o.Forwards[nRule] = forwardTo(100, 0)
			return o
		}(), stage: ecs.StageScaleUp, status: ecs.SDRollbackInProgress, actions: []deployer.ActionKind{deployer.ActRestoreDeployment}},
		{name: "rolling: completed", o: rolling(ecs.RolloutCompleted), status: ecs.SDSuccessful},
		{name: "rolling: a stop rolls back", o: func() deployer.NativeObservation {
			o := rolling(ecs.RolloutInProgress)
			o.Deployment.Status = ecs.SDRollbackRequested
			return o
		}(), status: ecs.SDRollbackInProgress, actions: []deployer.ActionKind{deployer.ActRollBackRolling}},
		{name: "rolling: rolled back", o: func() deployer.NativeObservation {
			o := rolling(ecs.RolloutFailed)
			o.Service.Deployments[0].Status = ecs.DeploymentActive
			o.Service.Deployments = append([]ecs.Deployment{{ID: "ecs-svc/1000000000000000009", Status: ecs.DeploymentPrimary, RollbackOf: nNew, RolloutState: ecs.RolloutCompleted}}, o.Service.Deployments...)
			return o
		}(), status: ecs.SDRollbackSuccessful},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			step := deployer.PlanServiceDeployment(cfg, tt.o)
			sd := step.Deployment
			if sd.LifecycleStage != tt.stage || sd.Status != tt.status {
				t.Errorf("stage %s, status %s; want %s, %s (%s)", sd.LifecycleStage, sd.Status, tt.stage, tt.status, sd.StatusReason)
			}
			if got := kinds(step); !slices.Equal(got, tt.actions) {
				t.Errorf("actions %v, want %v", got, tt.actions)
			}
			if got := ruleAction(step, nRule); !sameWeights(got, tt.forward) {
				t.Errorf("production forward %v, want %v", got, tt.forward)
			}
			if tt.status != ecs.SDSuccessful && !tt.status.RollingBack() && sd.Target.ProductionTrafficWeight != tt.prodShare {
				t.Errorf("production share %v, want %v", sd.Target.ProductionTrafficWeight, tt.prodShare)
			}
		})
	}
}

// shifted records that production traffic moved to share ago.
func shifted(o deployer.NativeObservation, share float64, ago time.Duration) deployer.NativeObservation {
	o.Deployment.Target.ProductionTrafficWeight, o.Deployment.ShiftedAt = share, nNow.Add(-ago)
	o.Forwards[nRule] = forwardTo(100-int(share), int(share))
	return o
}

// rolling is a rolling deployment whose PRIMARY deployment's rollout is state.
func rolling(state ecs.RolloutState) deployer.NativeObservation {
	o := nativeWorld(ecs.StrategyRolling)
	o.Service.LoadBalancers[0].Advanced = ecs.AdvancedConfiguration{}
	o.Service.Deployments[0].RolloutState = state
	o.Service.StableTaskDefinitionARN = "arn:aws:ecs:us-east-1:000000000000:task-definition/web:1"
	return o
}

func sameWeights(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

var _ = elb.WeightedTargetGroup{}
