package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// codeDeployAPI is what deploy needs of the CodeDeploy client.
type codeDeployAPI interface {
	CreateDeployment(context.Context, *cdsdk.CreateDeploymentInput, ...func(*cdsdk.Options)) (*cdsdk.CreateDeploymentOutput, error)
	GetDeployment(context.Context, *cdsdk.GetDeploymentInput, ...func(*cdsdk.Options)) (*cdsdk.GetDeploymentOutput, error)
	BatchGetDeploymentTargets(context.Context, *cdsdk.BatchGetDeploymentTargetsInput, ...func(*cdsdk.Options)) (*cdsdk.BatchGetDeploymentTargetsOutput, error)
}

// codeDeployNames are the application and deployment group of a CODE_DEPLOY service: as
// given, or the names the ECS console (and the deploy GitHub Action) use.
func codeDeployNames(o deployOptions) (app, group string) {
	app, group = o.codeDeployApp, o.codeDeployGroup
	if app == "" {
		app = "AppECS-" + o.cluster + "-" + o.service
	}
	if group == "" {
		group = "DgpECS-" + o.cluster + "-" + o.service
	}
	return app, group
}

// appSpec is the AppSpec of a deployment of tdARN to svc: its load balancer's container and
// port, in the compact JSON the deploy GitHub Action sends.
func appSpec(svc types.Service, tdARN string) (string, error) {
	if len(svc.LoadBalancers) == 0 {
		return "", fmt.Errorf("service %s has no load balancer: CodeDeploy needs one to shift traffic", aws.ToString(svc.ServiceName))
	}
	lb := svc.LoadBalancers[0]
	spec := map[string]any{"version": 0, "Resources": []any{map[string]any{"TargetService": map[string]any{
		"Type": "AWS::ECS::Service",
		"Properties": map[string]any{"TaskDefinition": tdARN, "LoadBalancerInfo": map[string]any{
			"ContainerName": aws.ToString(lb.ContainerName), "ContainerPort": aws.ToInt32(lb.ContainerPort)}},
	}}}}
	b, err := json.Marshal(spec)
	return string(b), err
}

// deployWithCodeDeploy starts a CodeDeploy deployment of tdARN to a CODE_DEPLOY service and
// returns its id.
func deployWithCodeDeploy(ctx context.Context, o deployOptions, cd codeDeployAPI, svc types.Service, tdARN string) (string, error) {
	content, err := appSpec(svc, tdARN)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(content))
	app, group := codeDeployNames(o)
	in := &cdsdk.CreateDeploymentInput{
		ApplicationName: aws.String(app), DeploymentGroupName: aws.String(group),
		Revision: &cdtypes.RevisionLocation{RevisionType: cdtypes.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &cdtypes.AppSpecContent{Content: aws.String(content), Sha256: aws.String(hex.EncodeToString(sum[:]))}},
		Description: aws.String("fargo deploy " + tdARN[strings.LastIndex(tdARN, "/")+1:]),
	}
	if o.codeDeployConfig != "" {
		in.DeploymentConfigName = aws.String(o.codeDeployConfig)
	}
	out, err := cd.CreateDeployment(ctx, in)
	if err != nil {
		return "", fmt.Errorf("create CodeDeploy deployment in %s/%s: %w", app, group, err)
	}
	return aws.ToString(out.DeploymentId), nil
}

// waitCodeDeploy polls the deployment until it ended, showing its lifecycle events and how
// much traffic the replacement task set gets.
func waitCodeDeploy(ctx context.Context, o deployOptions, cd codeDeployAPI, id string, out *progress) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	reported := map[string]bool{}
	for {
		got, err := cd.GetDeployment(ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String(id)})
		if err != nil {
			return fmt.Errorf("get deployment %s: %w", id, err)
		}
		info := got.DeploymentInfo
		target := deploymentTarget(ctx, cd, id, o)
		for _, e := range target.events {
			if key := e.name + "/" + e.status; !reported[key] && e.status != "Pending" && e.status != "InProgress" {
				reported[key] = true
				out.line("%s: %s", e.name, strings.ToLower(e.status))
			}
		}
		out.status(codeDeployStatus(info, target))
		switch info.Status {
		case cdtypes.DeploymentStatusSucceeded:
			return nil
		case cdtypes.DeploymentStatusFailed, cdtypes.DeploymentStatusStopped:
			return codeDeployFailure(info)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("deployment %s did not end within %s", id, o.timeout)
		case <-time.After(o.interval):
		}
	}
}

// ecsTarget is what deploy shows of a deployment's ECS target.
type ecsTarget struct {
	events []targetEvent
	sets   []string // one line per task set: label, id, target group, share of traffic
}

type targetEvent struct{ name, status string }

func deploymentTarget(ctx context.Context, cd codeDeployAPI, id string, o deployOptions) ecsTarget {
	out, err := cd.BatchGetDeploymentTargets(ctx, &cdsdk.BatchGetDeploymentTargetsInput{
		DeploymentId: aws.String(id), TargetIds: []string{o.cluster + ":" + o.service}})
	if err != nil || len(out.DeploymentTargets) == 0 || out.DeploymentTargets[0].EcsTarget == nil {
		return ecsTarget{}
	}
	t := out.DeploymentTargets[0].EcsTarget
	var et ecsTarget
	for _, e := range t.LifecycleEvents {
		et.events = append(et.events, targetEvent{aws.ToString(e.LifecycleEventName), string(e.Status)})
	}
	for _, s := range t.TaskSetsInfo {
		group := ""
		if s.TargetGroup != nil {
			group = aws.ToString(s.TargetGroup.Name)
		}
		et.sets = append(et.sets, fmt.Sprintf("%-5s %-26s %-8s %3.0f%% of traffic", string(s.TaskSetLabel), aws.ToString(s.Identifer), group, s.TrafficWeight))
	}
	return et
}

func codeDeployStatus(info *cdtypes.DeploymentInfo, t ecsTarget) []string {
	lines := []string{fmt.Sprintf("%s %s (%s)", aws.ToString(info.DeploymentId), info.Status, aws.ToString(info.DeploymentConfigName))}
	return append(lines, t.sets...)
}

func codeDeployFailure(info *cdtypes.DeploymentInfo) error {
	msg := fmt.Sprintf("deployment %s %s", aws.ToString(info.DeploymentId), strings.ToLower(string(info.Status)))
	if e := info.ErrorInformation; e != nil {
		msg += fmt.Sprintf(": %s (%s)", aws.ToString(e.Message), e.Code)
	}
	if r := info.RollbackInfo; r != nil && aws.ToString(r.RollbackMessage) != "" {
		msg += "; " + aws.ToString(r.RollbackMessage)
	}
	return fmt.Errorf("%s", msg)
}
