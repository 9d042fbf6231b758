package deployer

import (
	"encoding/json"
	"fmt"

	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/hooks"
)

// hookTimeoutMinutes is how long a hook has to report its verdict: an hour, as CodeDeploy
// gives an ECS deployment's hooks.
const hookTimeoutMinutes = 60

// hook runs the AppSpec's hook of lifecycle event name, if it has one, and reports whether the
// event is over. The first step plans the hook's execution; the event is InProgress until the
// execution is final. A hook that failed or timed out fails the deployment, which then rolls
// back as any failure does.
func (p *planner) hook(name string) bool {
	target, ok := p.d.AppSpec.Hooks[name]
	if !ok {
		p.event(name, codedeploy.EventSucceeded)
		return true
	}
	x, started := p.o.Hooks[name]
	if !started {
		p.event(name, codedeploy.EventInProgress)
		p.act(Action{Kind: ActStartHook, Hook: p.newHookExecution(name, target)})
		return false
	}
	switch x.Status {
	case hooks.StatusSucceeded:
		p.event(name, codedeploy.EventSucceeded)
		return true
	case hooks.StatusFailed, hooks.StatusTimedOut:
		p.event(name, codedeploy.EventFailed)
		p.diagnose(name, x.Message)
		p.fail(codedeploy.ErrorHookFailure, fmt.Sprintf("The %s hook %s failed: %s", name, target, x.Message))
		return false
	}
	p.event(name, codedeploy.EventInProgress)
	p.waitUntil(x.Deadline)
	return false
}

// newHookExecution is the execution of event's hook target for this deployment. Its target
// gets what a Lambda function gets from CodeDeploy.
func (p *planner) newHookExecution(event, target string) hooks.Execution {
	id := hooks.ExecutionID(p.d.ID, event, 0)
	payload, _ := json.Marshal(struct {
		DeploymentID                  string `json:"DeploymentId"`
		LifecycleEventHookExecutionID string `json:"LifecycleEventHookExecutionId"`
	}{p.d.ID, hooks.CodeDeployHookID(id)})
	return hooks.Execution{ID: id, Kind: hooks.KindCodeDeploy, Owner: p.d.ID, Event: event, Target: target,
		Payload: payload, Status: hooks.StatusPending, CreatedAt: p.o.Now, UpdatedAt: p.o.Now,
		Deadline: p.o.Now.Add(p.minutes(hookTimeoutMinutes)), Cluster: p.d.ECSService.ClusterName}
}

// diagnose records why lifecycle event name failed, as GetDeploymentTarget reports it.
func (p *planner) diagnose(name, msg string) {
	for i := range p.d.Events {
		if p.d.Events[i].Name == name {
			p.d.Events[i].Diagnostics = msg
		}
	}
}

// skipHook completes an event of a rollback deployment: a rollback runs no hooks, so that the
// hook that failed a deployment cannot hold up its rollback.
func (p *planner) skipHook(name string) {
	fn, ok := p.d.AppSpec.Hooks[name]
	if !ok {
		p.event(name, codedeploy.EventSucceeded)
		return
	}
	p.event(name, codedeploy.EventSkipped)
	p.message(fmt.Sprintf("The %s hook %s was skipped: a rollback deployment runs no hooks.", name, fn))
}
