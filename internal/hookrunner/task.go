package hookrunner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
)

// runTask starts td as e's one-off task, or judges the task once it stopped: the hook succeeds
// when every essential container exited 0.
func (c *Controller) runTask(ctx context.Context, e hooks.Execution, td ecs.TaskDefinition, now time.Time) (hooks.Execution, error) {
	cluster := clusterOf(e)
	if e.TaskARN == "" {
		return c.startTask(ctx, e, cluster, td, now)
	}
	task, err := c.st.Tasks.Get(ctx, store.TaskID(cluster, taskID(e.ID)))
	if errors.Is(err, errdefs.ErrNotFound) {
		return finish(e, hooks.StatusFailed, "The hook's task "+e.TaskARN+" is gone.", now), nil
	}
	if err != nil {
		return e, err
	}
	if !task.Value.IsStopped() {
		return e, nil
	}
	status, msg := taskVerdict(task.Value, td)
	return finish(e, status, msg, now), nil
}

// startTask runs td in cluster as RunTask would, under an id derived from the execution's, so
// that a runner that restarts before it recorded the task finds it instead of starting another.
func (c *Controller) startTask(ctx context.Context, e hooks.Execution, cluster string, td ecs.TaskDefinition, now time.Time) (hooks.Execution, error) {
	cl, err := c.st.Clusters.Get(ctx, cluster)
	if errors.Is(err, errdefs.ErrNotFound) {
		return finish(e, hooks.StatusFailed, fmt.Sprintf("The hook's cluster %q does not exist.", cluster), now), nil
	}
	if err != nil {
		return e, err
	}
	req, err := ecs.ValidateRunRequest(ecs.RunRequest{ClusterName: cl.Value.Name, ClusterARN: cl.Value.ARN,
		TaskDefinition: td, Count: 1, StartedBy: startedBy(e)})
	if err != nil {
		return finish(e, hooks.StatusFailed, "The hook's task cannot run: "+errdefs.Message(err), now), nil
	}
	task := ecs.NewRunTasks(req, c.scope, []string{taskID(e.ID)}, now)[0]
	var txn store.Txn
	if err := c.st.Tasks.Put(&txn, store.TaskID(cluster, task.ID), task, 0); err != nil {
		return e, err
	}
	if _, err := c.st.Commit(ctx, &txn); err != nil && !errors.Is(err, errdefs.ErrConflict) {
		return e, err // a conflict: the task was started before a restart
	}
	e.TaskARN, e.Status, e.Attempts, e.UpdatedAt = task.ARN, hooks.StatusInProgress, 1, now
	e.Message = "Running task " + task.ARN + " of " + td.ARN + "."
	return e, nil
}

// taskVerdict judges a stopped hook task: it succeeded when each essential container of td
// exited 0.
func taskVerdict(t ecs.Task, td ecs.TaskDefinition) (hooks.Status, string) {
	for _, def := range td.ContainerDefinitions {
		if !def.Essential {
			continue
		}
		i := -1
		for j, ct := range t.Containers {
			if ct.Name == def.Name {
				i = j
			}
		}
		switch {
		case i < 0 || !t.Containers[i].HasExitCode:
			return hooks.StatusFailed, fmt.Sprintf("The hook's task %s stopped before container %s exited: %s", t.ARN, def.Name, t.StoppedReason)
		case t.Containers[i].ExitCode != 0:
			return hooks.StatusFailed, fmt.Sprintf("Container %s of the hook's task %s exited with code %d.", def.Name, t.ARN, t.Containers[i].ExitCode)
		}
	}
	return hooks.StatusSucceeded, "The hook's task " + t.ARN + " exited 0."
}

// stopTask asks e's task to stop, as StopTask does.
func (c *Controller) stopTask(ctx context.Context, e hooks.Execution, now time.Time) error {
	_, err := c.st.Tasks.Update(ctx, store.TaskID(clusterOf(e), taskID(e.ID)), func(t *ecs.Task) error {
		*t = t.RequestStop(ecs.StopUserInitiated, "The lifecycle hook timed out.", now)
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	return err
}

// clusterOf is the cluster e's task runs in: the one the deployer named or, for an ECS hook,
// the one of its service deployment ARN (service-deployment/<cluster>/<service>/<id>).
func clusterOf(e hooks.Execution) string {
	if e.Cluster != "" {
		return e.Cluster
	}
	if a, err := arn.Parse(e.Owner); err == nil {
		if parts := strings.Split(a.ResourceID(), "/"); len(parts) >= 2 {
			return parts[0]
		}
	}
	return "default"
}

// taskID is the id of the task of execution id: 32 hex digits, as ECS task ids.
func taskID(executionID string) string {
	sum := sha256.Sum256([]byte(executionID))
	return hex.EncodeToString(sum[:16])
}

// startedBy names the hook in its task's startedBy: the owner's last part and the event.
func startedBy(e hooks.Execution) string {
	owner := e.Owner
	if i := strings.LastIndexAny(owner, "/:"); i >= 0 {
		owner = owner[i+1:]
	}
	s := "hook:" + owner + ":" + e.Event
	return s[:min(len(s), 128)]
}
