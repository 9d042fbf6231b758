package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"
)

type deployOptions struct {
	client      clientOptions
	cluster     string
	service     string
	taskDefFile string
	container   string
	image       string
	build       imageBuild // --build: an image built and pushed to fargo's registry
	env         []string
	wait        bool
	timeout     time.Duration
	interval    time.Duration
	verifyURL   string
	// CodeDeploy, for services of the CODE_DEPLOY controller.
	codeDeployApp    string
	codeDeployGroup  string
	codeDeployConfig string
}

func newDeployCmd(stdout io.Writer) *cobra.Command {
	o := deployOptions{interval: time.Second}
	cmd := &cobra.Command{
		Use:   "deploy",
		Short: "Register a task definition with a new image and deploy it to a service, showing progress",
		Long: `Read a task definition file (JSON or YAML, as for aws ecs register-task-definition), set one
container's image (and environment), register it, update the service, and wait until the
deployment completed. Exits non-zero with the reason when the deployment fails or is rolled back.
A service of the CODE_DEPLOY controller is deployed blue/green by CodeDeploy instead, as the
deploy GitHub Action does, with its deployment group's traffic shifting.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := newClients(cmd.Context(), o.client, os.Getenv)
			if err != nil {
				return err
			}
			if o.build.dir == "" {
				return runDeploy(cmd.Context(), o, c.ecs, c.codedeploy, newProgress(stdout))
			}
			if o.image != "" {
				return errors.New("--build and --image exclude each other: --build deploys the image it built")
			}
			if err := checkBuildDir(o.build.dir); err != nil {
				return err // before asking for an engine, the likelier mistake
			}
			engine, err := openEngine(cmd.Context())
			if err != nil {
				return err
			}
			defer engine.Close()
			return deploy(cmd.Context(), o, c.ecs, c.codedeploy, &builder{ecr: c.ecr, engine: engine, out: stdout}, newProgress(stdout))
		},
	}
	f := cmd.Flags()
	addClientFlags(cmd, &o.client)
	f.StringVar(&o.cluster, "cluster", "default", "cluster of the service")
	f.StringVar(&o.service, "service", "", "service to deploy (required)")
	f.StringVar(&o.taskDefFile, "task-definition", "", "task definition file, JSON or YAML (required)")
	f.StringVar(&o.container, "container", "", "container whose image and environment to set (default: the only container)")
	f.StringVar(&o.image, "image", "", "new image of the container")
	f.StringVar(&o.build.dir, "build", "", "build the Dockerfile in this directory, push the image to fargo's registry and deploy it (instead of --image)")
	f.StringVar(&o.build.repository, "repository", "", "with --build: ECR repository to push to, created when missing (default: the task definition's family)")
	f.StringVar(&o.build.tag, "tag", "", "with --build: image tag (default: the first 12 hex digits of the image id)")
	f.StringArrayVar(&o.env, "env", nil, "NAME=VALUE to set in the container's environment (repeatable)")
	f.BoolVar(&o.wait, "wait", true, "wait until the deployment completed, failed or was rolled back")
	f.DurationVar(&o.timeout, "timeout", 30*time.Minute, "how long to wait")
	f.StringVar(&o.verifyURL, "verify-url", "", "send load to this URL during the deployment and fail if any request fails")
	f.StringVar(&o.codeDeployApp, "codedeploy-application", "", "CodeDeploy application of a CODE_DEPLOY service (default AppECS-<cluster>-<service>)")
	f.StringVar(&o.codeDeployGroup, "codedeploy-deployment-group", "", "its deployment group (default DgpECS-<cluster>-<service>)")
	f.StringVar(&o.codeDeployConfig, "codedeploy-config", "", "deployment configuration, e.g. CodeDeployDefault.ECSCanary10Percent5Minutes (default: the group's)")
	_ = cmd.MarkFlagRequired("service")
	_ = cmd.MarkFlagRequired("task-definition")
	return cmd
}

// ecsAPI is what deploy needs of the ECS client.
type ecsAPI interface {
	RegisterTaskDefinition(context.Context, *ecssdk.RegisterTaskDefinitionInput, ...func(*ecssdk.Options)) (*ecssdk.RegisterTaskDefinitionOutput, error)
	DescribeServices(context.Context, *ecssdk.DescribeServicesInput, ...func(*ecssdk.Options)) (*ecssdk.DescribeServicesOutput, error)
	UpdateService(context.Context, *ecssdk.UpdateServiceInput, ...func(*ecssdk.Options)) (*ecssdk.UpdateServiceOutput, error)
	ListTasks(context.Context, *ecssdk.ListTasksInput, ...func(*ecssdk.Options)) (*ecssdk.ListTasksOutput, error)
	DescribeTasks(context.Context, *ecssdk.DescribeTasksInput, ...func(*ecssdk.Options)) (*ecssdk.DescribeTasksOutput, error)
	DescribeServiceDeployments(context.Context, *ecssdk.DescribeServiceDeploymentsInput, ...func(*ecssdk.Options)) (*ecssdk.DescribeServiceDeploymentsOutput, error)
}

func runDeploy(ctx context.Context, o deployOptions, client ecsAPI, cd codeDeployAPI, out *progress) error {
	return deploy(ctx, o, client, cd, nil, out)
}

// deploy registers the task definition with the container's new image and deploys it; with a
// builder (--build) the image is the one it builds and pushes once every check passed.
func deploy(ctx context.Context, o deployOptions, client ecsAPI, cd codeDeployAPI, bl *builder, out *progress) error {
	start := time.Now()
	in, err := readTaskDefinition(o.taskDefFile)
	if err != nil {
		return err
	}
	image := o.image
	if bl != nil {
		if err := checkBuildDir(o.build.dir); err != nil {
			return err
		}
		image = "(built)" // checks that the container exists; replaced by the pushed image below
	}
	if err := setContainer(in, o.container, image, o.env); err != nil {
		return err
	}
	// Everything that can be checked is checked before the first write, so that a deployment
	// that cannot start leaves no task definition revision behind.
	svc, err := describeService(ctx, client, o.cluster, o.service)
	if err != nil {
		return err
	}
	if err := checkDeployable(ctx, o, cd, svc, in); err != nil {
		return err
	}
	before, err := serviceTraffic(ctx, client, o.cluster, o.service)
	if err != nil {
		return err
	}
	if bl != nil {
		ref, digest, err := bl.buildAndPush(ctx, o.build, aws.ToString(in.Family))
		if err != nil {
			return err
		}
		out.line("pushed %s@%s", ref, digest)
		if err := setContainer(in, o.container, ref, nil); err != nil {
			return err
		}
	}
	reg, err := client.RegisterTaskDefinition(ctx, in)
	if err != nil {
		return fmt.Errorf("register task definition: %w", err)
	}
	tdARN := aws.ToString(reg.TaskDefinition.TaskDefinitionArn)
	out.line("registered %s", tdARN)
	id, wait, err := startDeployment(ctx, o, client, cd, svc, tdARN, out)
	if err != nil {
		return err
	}
	out.line("deployment %s started", id)
	if !o.wait {
		return nil
	}
	verify := startVerify(ctx, o.verifyURL)
	waitErr := wait(ctx, id)
	summary, verifyErr := verify.finish()
	out.line("%s after %s", outcome(waitErr), time.Since(start).Round(100*time.Millisecond))
	if summary != "" {
		out.line("%s", summary)
	}
	if len(svc.LoadBalancers) > 0 {
		// The server records the load balancer's counts every second: the last requests of
		// the deployment, and the listener's last error answers, are in a snapshot taken a
		// recording later.
		select {
		case <-ctx.Done():
		case <-time.After(lbRecordLag):
		}
	}
	if after, err := serviceTraffic(ctx, client, o.cluster, o.service); err == nil {
		if s := trafficSummary(before, after); s != "" {
			out.line("%s", s)
		}
	}
	return errors.Join(waitErr, verifyErr)
}

// lbRecordLag is how long after a request the server's record of the load balancer's counts
// holds it: lbsync writes them every second.
const lbRecordLag = 1500 * time.Millisecond

// checkDeployable checks what can be checked before deploy writes anything: the service is
// ACTIVE, deploy drives its deployment controller, the task definition has the container and
// port its load balancers send traffic to, and, for CODE_DEPLOY, what CodeDeploy needs.
func checkDeployable(ctx context.Context, o deployOptions, cd codeDeployAPI, svc types.Service, in *ecssdk.RegisterTaskDefinitionInput) error {
	if status := aws.ToString(svc.Status); status != "ACTIVE" {
		return fmt.Errorf("service %s of cluster %s is %s: only an ACTIVE service can be deployed", o.service, o.cluster, status)
	}
	for _, lb := range svc.LoadBalancers {
		if err := checkContainerPort(in, aws.ToString(lb.ContainerName), aws.ToInt32(lb.ContainerPort)); err != nil {
			return err
		}
	}
	switch c := controllerOf(svc); c {
	case types.DeploymentControllerTypeEcs:
		return nil
	case types.DeploymentControllerTypeCodeDeploy:
		return checkCodeDeploy(ctx, o, cd, svc)
	default:
		return fmt.Errorf("service %s uses the %s deployment controller; fargo deploy drives ECS and CodeDeploy deployments", o.service, c)
	}
}

// checkContainerPort checks that the task definition maps port of container name, where a
// load balancer of the service sends traffic: ECS refuses the deployment otherwise.
func checkContainerPort(in *ecssdk.RegisterTaskDefinitionInput, name string, port int32) error {
	if name == "" {
		return nil
	}
	for _, c := range in.ContainerDefinitions {
		if aws.ToString(c.Name) != name {
			continue
		}
		if port == 0 {
			return nil
		}
		for _, m := range c.PortMappings {
			if aws.ToInt32(m.ContainerPort) == port {
				return nil
			}
		}
		return fmt.Errorf("container %s of the task definition maps no port %d, where the service's load balancer sends traffic", name, port)
	}
	return fmt.Errorf("the task definition has no container %s, where the service's load balancer sends traffic", name)
}

func controllerOf(svc types.Service) types.DeploymentControllerType {
	if svc.DeploymentController == nil {
		return types.DeploymentControllerTypeEcs
	}
	return svc.DeploymentController.Type
}

// startDeployment starts the deployment of tdARN the way the service's controller wants it:
// UpdateService, or a CodeDeploy deployment. It returns the deployment's id (the service
// deployment's ARN for an ECS-native blue/green, linear or canary one) and how to wait for it.
func startDeployment(ctx context.Context, o deployOptions, client ecsAPI, cd codeDeployAPI, svc types.Service, tdARN string, out *progress) (
	string, func(context.Context, string) error, error) {
	if controllerOf(svc) == types.DeploymentControllerTypeCodeDeploy {
		id, err := deployWithCodeDeploy(ctx, o, cd, svc, tdARN)
		return id, func(ctx context.Context, id string) error { return waitCodeDeploy(ctx, o, cd, client, id, out) }, err
	}
	upd, err := client.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String(o.cluster), Service: aws.String(o.service), TaskDefinition: aws.String(tdARN)})
	if err != nil {
		return "", nil, fmt.Errorf("update service: %w", err)
	}
	if arn := aws.ToString(upd.Service.CurrentServiceDeployment); runsNative(svc) && arn != "" {
		return arn, func(ctx context.Context, arn string) error { return waitNativeDeployment(ctx, client, o, arn, out) }, nil
	}
	return primaryID(upd.Service), func(ctx context.Context, id string) error { return waitDeployment(ctx, client, o, id, out) }, nil
}

func outcome(err error) string {
	if err != nil {
		return "deployment did not complete"
	}
	return "deployment completed"
}

// readTaskDefinition reads a task definition file as aws ecs register-task-definition
// --cli-input-json and the deploy GitHub Action do: JSON or YAML, read-only members dropped.
func readTaskDefinition(path string) (*ecssdk.RegisterTaskDefinitionInput, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	for _, k := range []string{"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities", "registeredAt", "registeredBy", "deregisteredAt"} {
		delete(doc, k)
	}
	for _, k := range []string{"cpu", "memory"} { // YAML users write numbers; the API takes strings
		if v, ok := doc[k]; ok {
			doc[k] = fmt.Sprint(v)
		}
	}
	// The SDK's input struct has the API's member names, which encoding/json matches
	// case-insensitively.
	j, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var in ecssdk.RegisterTaskDefinitionInput
	if err := json.Unmarshal(j, &in); err != nil {
		return nil, fmt.Errorf("%s is not a task definition: %w", path, err)
	}
	return &in, nil
}

// setContainer sets the image and environment of one container (the only one when name is
// empty).
func setContainer(in *ecssdk.RegisterTaskDefinitionInput, name, image string, env []string) error {
	var c *types.ContainerDefinition
	for i := range in.ContainerDefinitions {
		if name == "" && len(in.ContainerDefinitions) == 1 || aws.ToString(in.ContainerDefinitions[i].Name) == name {
			c = &in.ContainerDefinitions[i]
		}
	}
	if c == nil {
		if image == "" && len(env) == 0 {
			return nil
		}
		return fmt.Errorf("no container %q in the task definition (use --container)", name)
	}
	if image != "" {
		c.Image = aws.String(image)
	}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("--env %q: want NAME=VALUE", kv)
		}
		c.Environment = setEnv(c.Environment, k, v)
	}
	return nil
}

func setEnv(env []types.KeyValuePair, name, value string) []types.KeyValuePair {
	for i := range env {
		if aws.ToString(env[i].Name) == name {
			env[i].Value = aws.String(value)
			return env
		}
	}
	return append(env, types.KeyValuePair{Name: aws.String(name), Value: aws.String(value)})
}

func describeService(ctx context.Context, client ecsAPI, cluster, service string) (types.Service, error) {
	out, err := client.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return types.Service{}, fmt.Errorf("describe service: %w", err)
	}
	if len(out.Failures) > 0 || len(out.Services) == 0 {
		return types.Service{}, fmt.Errorf("service %s not found in cluster %s", service, cluster)
	}
	return out.Services[0], nil
}

func primaryID(s *types.Service) string {
	if s == nil {
		return ""
	}
	for _, d := range s.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			return aws.ToString(d.Id)
		}
	}
	return ""
}
