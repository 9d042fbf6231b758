package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	cdtypes "github.com/aws/aws-sdk-go-v2/service/codedeploy/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// codeDeployAPI is what deploy needs of the CodeDeploy client.
type codeDeployAPI interface {
	GetApplication(context.Context, *cdsdk.GetApplicationInput, ...func(*cdsdk.Options)) (*cdsdk.GetApplicationOutput, error)
	GetDeploymentGroup(context.Context, *cdsdk.GetDeploymentGroupInput, ...func(*cdsdk.Options)) (*cdsdk.GetDeploymentGroupOutput, error)
	GetDeploymentConfig(context.Context, *cdsdk.GetDeploymentConfigInput, ...func(*cdsdk.Options)) (*cdsdk.GetDeploymentConfigOutput, error)
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

// checkCodeDeploy checks what a CodeDeploy deployment to svc needs, before deploy writes
// anything: a load balancer on the service, the application and the deployment group (for this
// service, with the service's target group in its pair), and the deployment configuration.
func checkCodeDeploy(ctx context.Context, o deployOptions, cd codeDeployAPI, svc types.Service) error {
	if len(svc.LoadBalancers) == 0 {
		return fmt.Errorf("service %s has no load balancer: CodeDeploy needs one to shift traffic", o.service)
	}
	app, group := codeDeployNames(o)
	a, err := cd.GetApplication(ctx, &cdsdk.GetApplicationInput{ApplicationName: aws.String(app)})
	if err != nil {
		return codeDeployLookup(err, fmt.Sprintf("application %q", app), "--codedeploy-application")
	}
	if p := a.Application.ComputePlatform; p != cdtypes.ComputePlatformEcs {
		return fmt.Errorf("CodeDeploy application %q is for the %s compute platform, not ECS", app, p)
	}
	g, err := cd.GetDeploymentGroup(ctx, &cdsdk.GetDeploymentGroupInput{ApplicationName: aws.String(app), DeploymentGroupName: aws.String(group)})
	if err != nil {
		return codeDeployLookup(err, fmt.Sprintf("deployment group %q of application %q", group, app), "--codedeploy-deployment-group")
	}
	if err := checkDeploymentGroup(svc, group, g.DeploymentGroupInfo); err != nil {
		return err
	}
	config, what := o.codeDeployConfig, fmt.Sprintf("deployment configuration %q", o.codeDeployConfig)
	if config == "" {
		config = aws.ToString(g.DeploymentGroupInfo.DeploymentConfigName)
		what = fmt.Sprintf("deployment configuration %q (named by deployment group %q)", config, group)
	}
	if config == "" {
		return nil // CodeDeploy's default
	}
	c, err := cd.GetDeploymentConfig(ctx, &cdsdk.GetDeploymentConfigInput{DeploymentConfigName: aws.String(config)})
	if err != nil {
		return codeDeployLookup(err, what, "--codedeploy-config")
	}
	if p := c.DeploymentConfigInfo.ComputePlatform; p != "" && p != cdtypes.ComputePlatformEcs {
		return fmt.Errorf("CodeDeploy deployment configuration %q is for the %s compute platform, not ECS", config, p)
	}
	return nil
}

// checkDeploymentGroup checks that group deploys svc, and that the service's target group is
// one of the group's pair: CodeDeploy shifts traffic between the two.
func checkDeploymentGroup(svc types.Service, group string, g *cdtypes.DeploymentGroupInfo) error {
	cluster, service := lastPart(aws.ToString(svc.ClusterArn)), aws.ToString(svc.ServiceName)
	var deploys []string
	found := false
	for _, s := range g.EcsServices {
		found = found || aws.ToString(s.ClusterName) == cluster && aws.ToString(s.ServiceName) == service
		deploys = append(deploys, aws.ToString(s.ClusterName)+"/"+aws.ToString(s.ServiceName))
	}
	if !found {
		return fmt.Errorf("CodeDeploy deployment group %q deploys %s, not service %s of cluster %s", group, strings.Join(deploys, ", "), service, cluster)
	}
	var pair []string
	if lb := g.LoadBalancerInfo; lb != nil && len(lb.TargetGroupPairInfoList) > 0 {
		for _, tg := range lb.TargetGroupPairInfoList[0].TargetGroups {
			pair = append(pair, aws.ToString(tg.Name))
		}
	}
	// A target group ARN ends in targetgroup/<name>/<id>.
	parts := strings.Split(aws.ToString(svc.LoadBalancers[0].TargetGroupArn), "/")
	if len(parts) < 2 || !slices.Contains(pair, parts[len(parts)-2]) {
		return fmt.Errorf("the target group of service %s is not one of the pair of CodeDeploy deployment group %q (%s)", service, group, strings.Join(pair, ", "))
	}
	return nil
}

// codeDeployLookup explains a failed lookup of a CodeDeploy object: one that does not exist,
// with the flag that names another, or the error as it is.
func codeDeployLookup(err error, what, flag string) error {
	var app *cdtypes.ApplicationDoesNotExistException
	var group *cdtypes.DeploymentGroupDoesNotExistException
	var config *cdtypes.DeploymentConfigDoesNotExistException
	if errors.As(err, &app) || errors.As(err, &group) || errors.As(err, &config) {
		return fmt.Errorf("CodeDeploy %s does not exist; create it, or name another with %s", what, flag)
	}
	return fmt.Errorf("get CodeDeploy %s: %w", what, err)
}

func lastPart(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

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

// waitCodeDeploy follows the deployment until it ended, showing its lifecycle events and its
// task sets. A deployment that CodeDeploy rolled back names its rollback deployment, a new one,
// which deploy reports and follows to its end; the deploy fails either way.
func waitCodeDeploy(ctx context.Context, o deployOptions, cd codeDeployAPI, client ecsAPI, id string, out *progress) error {
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	failures := &taskFailures{client: client, cluster: o.cluster, seen: map[string]bool{}}
	info, err := followCodeDeploy(ctx, o, cd, failures, id, out)
	if err != nil || info.Status == cdtypes.DeploymentStatusSucceeded {
		return err
	}
	failure := codeDeployFailure(info)
	rb := ""
	if info.RollbackInfo != nil {
		rb = aws.ToString(info.RollbackInfo.RollbackDeploymentId)
	}
	if rb == "" {
		return failure
	}
	out.line("deployment %s %s; CodeDeploy rolls it back with deployment %s", id, strings.ToLower(string(info.Status)), rb)
	rbInfo, err := followCodeDeploy(ctx, o, cd, failures, rb, out)
	switch {
	case err != nil:
		return fmt.Errorf("%w; its rollback: %w", failure, err)
	case rbInfo.Status != cdtypes.DeploymentStatusSucceeded:
		return fmt.Errorf("%w; and its rollback %w", failure, codeDeployFailure(rbInfo))
	}
	out.line("rollback deployment %s succeeded: the original task set serves all production traffic", rb)
	return fmt.Errorf("%w; rolled back by deployment %s", failure, rb)
}

// followCodeDeploy polls deployment id until it ended and returns it as it ended, reporting
// each task of its replacement task set that failed as it stops.
func followCodeDeploy(ctx context.Context, o deployOptions, cd codeDeployAPI, failures *taskFailures, id string, out *progress) (*cdtypes.DeploymentInfo, error) {
	reported := map[string]bool{}
	for {
		got, err := cd.GetDeployment(ctx, &cdsdk.GetDeploymentInput{DeploymentId: aws.String(id)})
		if err != nil {
			return nil, fmt.Errorf("get deployment %s: %w", id, err)
		}
		info := got.DeploymentInfo
		target := deploymentTarget(ctx, cd, id, o)
		for _, e := range target.events {
			if key := e.name + "/" + e.status; !reported[key] && e.status != "Pending" && e.status != "InProgress" {
				reported[key] = true
				out.line("%s%s: %s", rollbackPrefix(info), e.name, strings.ToLower(e.status))
			}
		}
		failures.report(ctx, target.green, out)
		out.status(codeDeployStatus(info, target))
		if info.Status == cdtypes.DeploymentStatusSucceeded || info.Status == cdtypes.DeploymentStatusFailed || info.Status == cdtypes.DeploymentStatusStopped {
			return info, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("deployment %s did not end within %s", id, o.timeout)
		case <-time.After(o.interval):
		}
	}
}

// rollbackPrefix marks the lines of a rollback deployment.
func rollbackPrefix(info *cdtypes.DeploymentInfo) string {
	if info.Creator == cdtypes.DeploymentCreatorCodeDeployRollback {
		return "rollback "
	}
	return ""
}

// ecsTarget is what deploy shows of a deployment's ECS target.
type ecsTarget struct {
	events []targetEvent
	sets   []string // one line per task set: label, id, status, target group, tasks, share of traffic
	green  string   // the replacement task set's id
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
		if s.TaskSetLabel == cdtypes.TargetLabelGreen {
			et.green = aws.ToString(s.Identifer)
		}
		group := ""
		if s.TargetGroup != nil {
			group = aws.ToString(s.TargetGroup.Name)
		}
		tasks := fmt.Sprintf("%d/%d running", s.RunningCount, s.DesiredCount)
		if s.PendingCount > 0 {
			tasks += fmt.Sprintf(", %d pending", s.PendingCount)
		}
		et.sets = append(et.sets, fmt.Sprintf("%-5s %-26s %-8s %-8s %-20s %3.0f%% of traffic", string(s.TaskSetLabel), aws.ToString(s.Identifer),
			aws.ToString(s.Status), group, tasks, s.TrafficWeight))
	}
	return et
}

func codeDeployStatus(info *cdtypes.DeploymentInfo, t ecsTarget) []string {
	lines := []string{fmt.Sprintf("%s%s %s (%s)", rollbackPrefix(info), aws.ToString(info.DeploymentId), info.Status, aws.ToString(info.DeploymentConfigName))}
	return append(lines, t.sets...)
}

func codeDeployFailure(info *cdtypes.DeploymentInfo) error {
	msg := fmt.Sprintf("deployment %s %s", aws.ToString(info.DeploymentId), strings.ToLower(string(info.Status)))
	if e := info.ErrorInformation; e != nil {
		msg += fmt.Sprintf(": %s (%s)", aws.ToString(e.Message), e.Code)
	}
	if r := info.RollbackInfo; r != nil && aws.ToString(r.RollbackMessage) != "" && info.Creator != cdtypes.DeploymentCreatorCodeDeployRollback {
		msg += "; " + aws.ToString(r.RollbackMessage)
	}
	return errors.New(msg)
}
