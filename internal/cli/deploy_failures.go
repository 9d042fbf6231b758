package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// taskFailures reports the tasks of a CodeDeploy deployment's replacement task set that
// failed (never started, their essential container exited, or their health checks failed),
// each once, when it has stopped: the deployment only fails after several did, and the reason
// is in the first ones.
type taskFailures struct {
	client  ecsAPI
	cluster string
	seen    map[string]bool
}

// report prints the failed tasks of taskSet that stopped since the last report. It is best
// effort: an error of the ECS API leaves them for the next call.
func (f *taskFailures) report(ctx context.Context, taskSet string, out *progress) {
	if taskSet == "" {
		return
	}
	list, err := f.client.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String(f.cluster), StartedBy: aws.String(taskSet),
		DesiredStatus: types.DesiredStatusStopped})
	if err != nil {
		return
	}
	var fresh []string
	for _, a := range list.TaskArns {
		if !f.seen[a] && len(fresh) < 100 { // DescribeTasks takes 100 at a time; the rest next time
			fresh = append(fresh, a)
		}
	}
	if len(fresh) == 0 {
		return
	}
	desc, err := f.client.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String(f.cluster), Tasks: fresh})
	if err != nil {
		return
	}
	for _, t := range desc.Tasks {
		if aws.ToString(t.LastStatus) != "STOPPED" {
			continue // still stopping: its reason may not be final
		}
		f.seen[aws.ToString(t.TaskArn)] = true
		if failedTask(t) {
			out.line("task %s of the replacement task set %s stopped: %s", lastPart(aws.ToString(t.TaskArn)), taskSet, stopReason(t))
		}
	}
}

// failedTask tells whether a stopped task failed, rather than being scaled in or stopped by a
// user.
func failedTask(t types.Task) bool {
	switch t.StopCode {
	case types.TaskStopCodeTaskFailedToStart, types.TaskStopCodeEssentialContainerExited:
		return true
	}
	return strings.Contains(aws.ToString(t.StoppedReason), "health checks")
}

// stopReason is a task's stopped reason with what its containers say: exit codes and reasons.
func stopReason(t types.Task) string {
	reason := aws.ToString(t.StoppedReason)
	var details []string
	for _, c := range t.Containers {
		switch {
		case c.ExitCode != nil && *c.ExitCode != 0:
			details = append(details, fmt.Sprintf("container %s exit code %d", aws.ToString(c.Name), *c.ExitCode))
		case aws.ToString(c.Reason) != "":
			details = append(details, fmt.Sprintf("container %s: %s", aws.ToString(c.Name), aws.ToString(c.Reason)))
		}
	}
	if len(details) > 0 {
		reason += " (" + strings.Join(details, "; ") + ")"
	}
	return reason
}
