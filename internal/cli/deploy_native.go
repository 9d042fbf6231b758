package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// runsNative reports whether svc's deployments are ECS-native blue/green, linear or canary
// ones, which its service deployments describe stage by stage.
func runsNative(svc types.Service) bool {
	if controllerOf(svc) != types.DeploymentControllerTypeEcs || svc.DeploymentConfiguration == nil {
		return false
	}
	switch svc.DeploymentConfiguration.Strategy {
	case types.DeploymentStrategyBlueGreen, types.DeploymentStrategyLinear, types.DeploymentStrategyCanary:
		return true
	}
	return false
}

// waitNativeDeployment follows the service deployment arn of an ECS-native deployment until it
// ends, showing its stages as they come, each hook that waits for an action (with the command
// that continues it), the production and test traffic shares and the time spent in a bake.
// It fails unless the deployment ends SUCCESSFUL.
func waitNativeDeployment(ctx context.Context, client ecsAPI, o deployOptions, arn string, out *progress) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	stage, stageSince := "", time.Now()
	announced := map[string]bool{}
	for {
		sd, found, err := describeServiceDeployment(ctx, client, arn)
		if err != nil {
			return err
		}
		if !found {
			// The server records a service deployment a moment after UpdateService.
			sd.Status = types.ServiceDeploymentStatusPending
		}
		if s := string(sd.LifecycleStage); s != stage {
			for _, passed := range stagesBetween(stage, s) {
				out.line("stage %s", passed)
			}
			stage, stageSince = s, time.Now()
		}
		announceHooks(sd, arn, announced, out)
		out.status(nativeStatus(sd, time.Since(stageSince)))
		switch sd.Status {
		case types.ServiceDeploymentStatusSuccessful:
			return nil
		case types.ServiceDeploymentStatusRollbackSuccessful, types.ServiceDeploymentStatusRollbackFailed, types.ServiceDeploymentStatusStopped:
			reason := aws.ToString(sd.StatusReason)
			if sd.Rollback != nil {
				reason = aws.ToString(sd.Rollback.Reason)
			}
			return fmt.Errorf("service deployment %s ended %s: %s", arn, sd.Status, reason)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("service deployment %s did not end within %s (%s at %s)", arn, o.timeout, sd.Status, stage)
		case <-time.After(o.interval):
		}
	}
}

// describeServiceDeployment reads service deployment arn; found is false while the server
// has not recorded it yet.
func describeServiceDeployment(ctx context.Context, client ecsAPI, arn string) (types.ServiceDeployment, bool, error) {
	out, err := client.DescribeServiceDeployments(ctx, &ecssdk.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{arn}})
	if err != nil {
		return types.ServiceDeployment{}, false, fmt.Errorf("describe service deployment: %w", err)
	}
	if len(out.ServiceDeployments) != 1 {
		return types.ServiceDeployment{}, false, nil
	}
	return out.ServiceDeployments[0], true, nil
}

// announceHooks prints each hook's run once when it starts and once when it ends.
func announceHooks(sd types.ServiceDeployment, arn string, announced map[string]bool, out *progress) {
	for _, h := range sd.LifecycleHookDetails {
		id, status := aws.ToString(h.HookId), string(h.Status)
		if announced[id+"/"+status] {
			continue
		}
		announced[id+"/"+status] = true
		switch h.Status {
		case types.DeploymentLifecycleHookStatusAwaitingAction:
			out.line("hook %s awaits an action: aws ecs continue-service-deployment --service-deployment-arn %s --hook-id %s [--action ROLLBACK]", id, arn, id)
		case types.DeploymentLifecycleHookStatusInProgress:
			out.line("hook %s runs %s", id, aws.ToString(h.TargetArn))
		default:
			out.line("hook %s %s", id, strings.ToLower(status))
		}
	}
}

// nativeStatus is the status block of a native deployment: its status and stage (with the
// time spent in a bake), and each revision's tasks and traffic shares.
func nativeStatus(sd types.ServiceDeployment, inStage time.Duration) []string {
	head := fmt.Sprintf("%s  %s", sd.Status, sd.LifecycleStage)
	if sd.LifecycleStage == types.ServiceDeploymentLifecycleStageBakeTime && sd.DeploymentConfiguration != nil {
		head += fmt.Sprintf("  %s of %d min (the server's minutes)", inStage.Round(time.Second), aws.ToInt32(sd.DeploymentConfiguration.BakeTimeInMinutes))
	}
	lines := []string{head}
	revision := func(role string, r types.ServiceRevisionSummary) string {
		a := aws.ToString(r.Arn)
		return fmt.Sprintf("%-6s %-20s %d/%d running, %d pending  production %g%%  test %g%%", role, a[strings.LastIndex(a, "/")+1:],
			r.RunningTaskCount, r.RequestedTaskCount, r.PendingTaskCount,
			aws.ToFloat64(r.RequestedProductionTrafficWeight), aws.ToFloat64(r.RequestedTestTrafficWeight))
	}
	if sd.TargetServiceRevision != nil {
		lines = append(lines, revision("new", *sd.TargetServiceRevision))
	}
	for _, r := range sd.SourceServiceRevisions {
		lines = append(lines, revision("old", r))
	}
	return lines
}

// stagesBetween returns the stages after from up to to, in ECS's order: those a poll missed
// and to itself (only to when either is not in the order, as after a rollback began).
func stagesBetween(from, to string) []string {
	order := stageOrder()
	i, j := slices.Index(order, from), slices.Index(order, to)
	if j < 0 || j <= i {
		return []string{to}
	}
	return order[i+1 : j+1]
}

// stageOrder returns a native deployment's lifecycle stages in order.
func stageOrder() []string {
	return []string{"RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT",
		"POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"}
}
