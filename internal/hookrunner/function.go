package hookrunner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
)

// target is what an execution runs: a registered function or a task definition.
type target struct {
	function       *hooks.Function
	taskDefinition ecs.TaskDefinition
}

// resolve finds the target of e: a registered function wins over a task definition that
// the same "name:revision" names. An execution whose task runs already keeps its task.
func (c *Controller) resolve(ctx context.Context, e hooks.Execution) (target, error) {
	ref, err := hooks.ParseTarget(e.Target)
	if err != nil {
		return target{}, err
	}
	if ref.Function != "" && e.TaskARN == "" {
		fn, err := c.st.HookFunctions.Get(ctx, ref.Function)
		switch {
		case err == nil:
			return target{function: &fn.Value}, nil
		case !errors.Is(err, errdefs.ErrNotFound):
			return target{}, err
		}
	}
	if ref.TaskDefinition == "" {
		return target{}, errdefs.NotFound("No function named %s is registered (fargo hooks put %s URL).", ref.Function, ref.Function)
	}
	tdRef, err := ecs.ParseTaskDefinitionRef(ref.TaskDefinition)
	if err != nil {
		return target{}, err
	}
	td, err := c.st.FindTaskDefinition(ctx, tdRef.Family, tdRef.Revision)
	if errors.Is(err, errdefs.ErrNotFound) {
		return target{}, errdefs.NotFound("Neither a function nor a task definition %s exists.", e.Target)
	}
	return target{taskDefinition: td}, err
}

// answer is what one invocation of a function came to.
type answer struct {
	// transport is set when the call got no HTTP answer: retried until the deadline.
	transport error
	// status and body are the HTTP answer.
	status int
	body   []byte
}

// invoke POSTs payload to url, as Lambda would hand it to a function, within CallTimeout.
func (c *Controller) invoke(ctx context.Context, url string, payload []byte) answer {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.CallTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return answer{transport: err}
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		return answer{transport: err}
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return answer{transport: err}
	}
	return answer{status: resp.StatusCode, body: body}
}

// runFunction invokes fn for e when an invocation is due and judges its answer.
func (c *Controller) runFunction(ctx context.Context, e hooks.Execution, fn hooks.Function, now time.Time) (hooks.Execution, error) {
	if e.Kind == hooks.KindCodeDeploy && e.Status == hooks.StatusInProgress {
		return e, nil // invoked: its verdict comes through PutLifecycleEventHookExecutionStatus
	}
	if !e.NextAttemptAt.IsZero() && now.Before(e.NextAttemptAt) {
		return e, nil
	}
	if e.Attempts == 0 && fn.Timeout > 0 {
		if d := now.Add(fn.Timeout); e.Deadline.IsZero() || d.Before(e.Deadline) {
			e.Deadline = d
		}
	}
	payload, err := invocationPayload(e)
	if err != nil {
		return finish(e, hooks.StatusFailed, err.Error(), now), nil
	}
	a := c.invoke(ctx, fn.URL, payload)
	if ctx.Err() != nil {
		return e, ctx.Err() // shutting down: the next runner invokes again
	}
	return judge(e, a, now, c.cfg.MaxErrorAnswers), nil
}

// invocationPayload is e's payload with the hookDetails an ECS hook answered last, which ECS
// hands back to it on the next invocation.
func invocationPayload(e hooks.Execution) ([]byte, error) {
	if e.Kind != hooks.KindECS || len(e.HookDetails) == 0 {
		return e.Payload, nil
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(e.Payload, &doc); err != nil {
		return nil, fmt.Errorf("the hook's payload is not a JSON object: %w", err)
	}
	doc["hookDetails"] = e.HookDetails
	return json.Marshal(doc)
}

// judge is e after an invocation that came to a, at now. It is pure.
func judge(e hooks.Execution, a answer, now time.Time, maxErrorAnswers int) hooks.Execution {
	e.Attempts++
	e.UpdatedAt = now
	switch {
	case a.transport != nil:
		e.NextAttemptAt = now.Add(backoff(e.Attempts))
		e.Message = "The function could not be invoked, retrying: " + a.transport.Error()
		return e
	case a.status < 200 || a.status > 299:
		e.Message = fmt.Sprintf("The function answered HTTP %d.", a.status)
		if e.Attempts >= maxErrorAnswers {
			return finish(e, hooks.StatusFailed, fmt.Sprintf("The function answered HTTP %d to %d invocations.", a.status, e.Attempts), now)
		}
		e.NextAttemptAt = now.Add(backoff(e.Attempts))
		return e
	case e.Kind == hooks.KindCodeDeploy:
		e.Status, e.NextAttemptAt = hooks.StatusInProgress, time.Time{}
		e.Message = "Waiting for PutLifecycleEventHookExecutionStatus."
		return e
	}
	return judgeECSAnswer(e, a.body, now)
}

// ecsAnswer is what an ECS lifecycle hook returns.
type ecsAnswer struct {
	HookStatus    string          `json:"hookStatus"`
	CallBackDelay *int            `json:"callBackDelay"`
	HookDetails   json.RawMessage `json:"hookDetails"`
}

// DefaultCallBackDelay is how long ECS waits before it invokes an IN_PROGRESS hook again.
const DefaultCallBackDelay = 30 * time.Second

// judgeECSAnswer reads an ECS hook's answer: SUCCEEDED and FAILED are final, IN_PROGRESS
// invokes again after callBackDelay, anything else fails, as ECS rolls back on a missing or
// invalid hookStatus.
func judgeECSAnswer(e hooks.Execution, body []byte, now time.Time) hooks.Execution {
	var a ecsAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return finish(e, hooks.StatusFailed, "The function's answer is not a JSON object with a hookStatus.", now)
	}
	if len(a.HookDetails) > 0 && string(a.HookDetails) != "null" {
		e.HookDetails = a.HookDetails
	}
	switch a.HookStatus {
	case "SUCCEEDED":
		return finish(e, hooks.StatusSucceeded, "The function answered SUCCEEDED.", now)
	case "FAILED":
		return finish(e, hooks.StatusFailed, "The function answered FAILED.", now)
	case "IN_PROGRESS":
		delay := DefaultCallBackDelay
		if a.CallBackDelay != nil && *a.CallBackDelay >= 0 {
			delay = time.Duration(*a.CallBackDelay) * time.Second
		}
		e.Status, e.NextAttemptAt = hooks.StatusInProgress, now.Add(delay)
		e.Message = fmt.Sprintf("The function answered IN_PROGRESS: invoking it again in %s.", delay)
		return e
	}
	return finish(e, hooks.StatusFailed, fmt.Sprintf("The function answered the invalid hookStatus %q: use SUCCEEDED, FAILED or IN_PROGRESS.", a.HookStatus), now)
}

// backoff is the wait before the invocation after attempt n failed: 1 s doubling to 30 s.
func backoff(n int) time.Duration {
	d := time.Second << min(n-1, 5)
	return min(d, 30*time.Second)
}

// timeOut ends e, past its deadline, TimedOut; a task it runs is asked to stop.
func (c *Controller) timeOut(ctx context.Context, e hooks.Execution, now time.Time) error {
	if e.TaskARN != "" {
		if err := c.stopTask(ctx, e, now); err != nil {
			return err
		}
	}
	return c.record(ctx, finish(e, hooks.StatusTimedOut, "The hook did not report a verdict before its deadline "+e.Deadline.UTC().Format(time.RFC3339)+".", now))
}
