package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// TestSeedWorkflow runs the seed's GitHub Actions workflow against fargo with real containers,
// each step as the official action makes it: configure-aws-credentials (STS
// GetCallerIdentity), amazon-ecr-login (GetAuthorizationToken, the token decoded and given to
// `docker login` at proxyEndpoint), `docker build` and `docker push` of examples/hello as
// :latest, amazon-ecs-render-task-definition (the container's image replaced in the JSON) and
// the deployment. Then two deployments to a new image pushed under the same :latest tag, each
// under constant load through its listener, where not one request may fail: a rolling one of
// an ECS-controller service with update-service --force-new-deployment (new tasks must pull
// the new image), and a CodeDeploy blue/green one of a CODE_DEPLOY service.
func TestSeedWorkflow(t *testing.T) {
	t.Parallel()
	d := newDockerCLI(t)
	// Tasks outlive fargo by design: their containers go once the server stopped (cleanups run
	// last-registered first), and before the images.
	var reg string
	t.Cleanup(func() { d.removeContainersOf(reg) })
	s := startServer(t, t.TempDir(), "--driver", "auto", "--time-scale", "6")
	reg = strings.TrimPrefix(s.endpoint(), "http://")
	image := reg + "/hello:latest"

	// configure-aws-credentials checks the credentials with GetCallerIdentity.
	if id := s.awsJSON(t, "sts", "get-caller-identity"); get(id, "Account") == nil {
		t.Fatalf("sts get-caller-identity: %v", id)
	}
	s.awsJSON(t, "ecr", "create-repository", "--repository-name", "hello")
	d.ecrLogin(t, s)

	bin := helloStatic(t)
	d.buildPush(t, bin, image, "v1")
	tdFile := renderTaskDefinition(t, "../../examples/hello/task-definition-image.json", "web", image)
	td, _ := get(s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+tdFile), "taskDefinition", "taskDefinitionArn").(string)

	t.Run("rolling", func(t *testing.T) {
		roll := s.targetGroup(t, "rolling")
		url := s.listenerTo(t, "rolling-alb", roll)
		s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
		s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "rolling", "--task-definition", td,
			"--desired-count", "2", "--health-check-grace-period-seconds", "10",
			"--load-balancers", "targetGroupArn="+roll+",containerName=web,containerPort=8080")
		waitTargets(t, s, roll, 2)
		s.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", roll)
		before := s.serviceDigests(t, "rolling")
		checkServes(t, url, "v1")

		d.buildPush(t, bin, image, "v2")
		res := underLoad(t, url, func() {
			s.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "rolling", "--force-new-deployment")
			s.waitRolled(t, "rolling", roll, before)
		})
		t.Logf("load during the rolling deployment:\n%s", res)
		if res.Failed() != 0 || res.Requests() == 0 {
			t.Fatalf("%d of %d requests failed during the rolling deployment", res.Failed(), res.Requests())
		}
		checkServes(t, url, "v2")
	})

	t.Run("codedeploy", func(t *testing.T) {
		bg := s.blueGreenSetup(t, func(blue, _ string) string { return "Type=forward,TargetGroupArn=" + blue })
		s.codeDeployService(t, td, bg.blueTG)
		s.codeDeployGroup(t, bg.listenerARN)
		before := s.serviceDigests(t, "web")
		checkServes(t, bg.url, "v2")

		d.buildPush(t, bin, image, "v3")
		// The workflow renders and registers the task definition on every run, then deploys
		// the new revision with the AppSpec.
		rev, _ := get(s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+tdFile), "taskDefinition", "taskDefinitionArn").(string)
		res := underLoad(t, bg.url, func() {
			id := s.createDeployment(t, rev, "")
			s.waitDeploymentEnded(t, id)
			s.awsOK(t, "deploy", "wait", "deployment-successful", "--deployment-id", id)
		})
		t.Logf("load during the blue/green deployment:\n%s", res)
		if res.Failed() != 0 || res.Requests() == 0 {
			t.Fatalf("%d of %d requests failed during the blue/green deployment", res.Failed(), res.Requests())
		}
		checkServes(t, bg.url, "v3")
		after := s.serviceDigests(t, "web")
		for dg := range after {
			if before[dg] {
				t.Fatalf("a task after the blue/green deployment runs the old image %s (before %v, after %v)", dg, before, after)
			}
		}
	})
}

// dockerCLI runs the docker CLI with a configuration directory of its own, so that docker
// login stores the test's credentials there and nowhere else.
type dockerCLI struct {
	t      testing.TB
	config string
	images []string // ids of the images it built, removed at the end
}

// newDockerCLI returns the docker CLI, or skips the test, visibly, when no engine answers;
// with FARGO_REQUIRE_DOCKER=1 (CI) that fails the test instead.
func newDockerCLI(t testing.TB) *dockerCLI {
	t.Helper()
	fargoBinary(t) // skips unless FARGO_E2E is on
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "docker", "version", "--format", "{{.Server.Version}}").CombinedOutput(); err != nil {
		if os.Getenv("FARGO_REQUIRE_DOCKER") == "1" {
			t.Fatalf("no Docker engine answers, and FARGO_REQUIRE_DOCKER=1: %v: %s", err, out)
		}
		t.Skipf("no Docker engine answers (%v: %s); skipping", err, strings.TrimSpace(string(out)))
	}
	d := &dockerCLI{t: t, config: t.TempDir()}
	t.Cleanup(func() {
		for _, id := range d.images {
			_, _ = d.run("", "rmi", "-f", id)
		}
	})
	return d
}

func (d *dockerCLI) run(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker", args...)
	// The legacy builder: Debian's docker.io has no buildx, and a FROM scratch image needs
	// nothing BuildKit adds.
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+d.config, "DOCKER_BUILDKIT=0")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (d *dockerCLI) must(stdin string, args ...string) string {
	d.t.Helper()
	out, err := d.run(stdin, args...)
	if err != nil {
		d.t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// ecrLogin does what aws-actions/amazon-ecr-login does: GetAuthorizationToken, the token
// decoded into user and password, and docker login at the proxyEndpoint, which must succeed.
func (d *dockerCLI) ecrLogin(t testing.TB, s *server) {
	t.Helper()
	out := s.awsJSON(t, "ecr", "get-authorization-token")
	token, _ := get(out, "authorizationData", 0, "authorizationToken").(string)
	endpoint, _ := get(out, "authorizationData", 0, "proxyEndpoint").(string)
	raw, err := base64.StdEncoding.DecodeString(token)
	user, password, ok := strings.Cut(string(raw), ":")
	if err != nil || !ok || user != "AWS" || endpoint == "" {
		t.Fatalf("get-authorization-token: %v", out)
	}
	login := d.must(password, "login", "--username", user, "--password-stdin", endpoint)
	if !strings.Contains(login, "Login Succeeded") {
		t.Fatalf("docker login %s:\n%s", endpoint, login)
	}
}

// buildPush builds examples/hello's Dockerfile around bin with VERSION=version as image, and
// pushes it.
func (d *dockerCLI) buildPush(t testing.TB, bin, image, version string) {
	t.Helper()
	dir := t.TempDir()
	for src, dst := range map[string]string{bin: "hello", "../../examples/hello/Dockerfile": "Dockerfile"} {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// --no-cache: tests build in parallel, and the legacy builder's cache would let this build
	// stand on another test's layer, which that test's `rmi -f` may prune mid-build ("unknown
	// parent image ID").
	d.must("", "build", "-q", "--no-cache", "--build-arg", "VERSION="+version, "-t", image, dir)
	id := strings.TrimSpace(d.must("", "image", "inspect", "--format", "{{.Id}}", image))
	d.images = append(d.images, id)
	d.must("", "push", image)
}

// removeContainersOf removes the containers of images of the registry reg, and those of the
// images the test built (an image whose tag a later build took shows as its id): those the
// server's tasks left.
func (d *dockerCLI) removeContainersOf(reg string) {
	if reg == "" {
		return
	}
	out, _ := d.run("", "ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.Image}}")
	for _, line := range strings.Split(out, "\n") {
		id, img, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		ours := strings.HasPrefix(img, reg+"/")
		for _, built := range d.images {
			ours = ours || strings.HasPrefix(built, "sha256:"+img) || built == img
		}
		if ours {
			_, _ = d.run("", "rm", "-f", id)
		}
	}
}

// helloStatic builds examples/hello as a static binary, as the Dockerfile expects it.
func helloStatic(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hello")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, "../../examples/hello")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build examples/hello: %v\n%s", err, out)
	}
	return bin
}

// renderTaskDefinition does what aws-actions/amazon-ecs-render-task-definition does: it
// replaces the image of container name in the task definition file and writes the result to
// a new file, whose path it returns.
func renderTaskDefinition(t testing.TB, file, name, image string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var td map[string]any
	if err := json.Unmarshal(b, &td); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range td["containerDefinitions"].([]any) {
		if c := c.(map[string]any); c["name"] == name {
			c["image"], found = image, true
		}
	}
	if !found {
		t.Fatalf("%s has no container %s", file, name)
	}
	out := filepath.Join(t.TempDir(), "task-definition.json")
	b, _ = json.MarshalIndent(td, "", "  ")
	if err := os.WriteFile(out, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return out
}

// listenerTo creates a load balancer named name with a listener on a free port that forwards
// to tgARN, and returns its URL.
func (s *server) listenerTo(t *testing.T, name, tgARN string) string {
	t.Helper()
	alb := s.awsJSON(t, "elbv2", "create-load-balancer", "--name", name, "--subnets", "subnet-a", "subnet-b")
	albARN, _ := get(alb, "LoadBalancers", 0, "LoadBalancerArn").(string)
	port := freePort(t)
	s.awsJSON(t, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", "Type=forward,TargetGroupArn="+tgARN)
	return fmt.Sprintf("http://127.0.0.1:%d/", port)
}

// serviceDigests returns the imageDigests of the running tasks of service (cluster demo), and
// fails the test if one has none.
func (s *server) serviceDigests(t *testing.T, service string) map[string]bool {
	t.Helper()
	arns, _ := get(s.awsJSON(t, "ecs", "list-tasks", "--cluster", "demo", "--service-name", service, "--desired-status", "RUNNING"), "taskArns").([]any)
	if len(arns) == 0 {
		t.Fatalf("service %s has no running tasks", service)
	}
	args := []string{"ecs", "describe-tasks", "--cluster", "demo", "--tasks"}
	for _, a := range arns {
		args = append(args, a.(string))
	}
	out := s.awsJSON(t, args...)
	digests := map[string]bool{}
	tasks, _ := get(out, "tasks").([]any)
	for i := range tasks {
		dg, _ := get(out, "tasks", i, "containers", 0, "imageDigest").(string)
		if !strings.HasPrefix(dg, "sha256:") {
			t.Fatalf("task %d of %s has imageDigest %q: %v", i, service, dg, out)
		}
		digests[dg] = true
	}
	return digests
}

// waitRolled waits until service (cluster demo) has one COMPLETED deployment, 2 running tasks
// of none of the image digests in old, and 2 healthy targets in tgARN.
func (s *server) waitRolled(t *testing.T, service, tgARN string, old map[string]bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		svc := s.awsJSON(t, "ecs", "describe-services", "--cluster", "demo", "--services", service)
		deps, _ := get(svc, "services", 0, "deployments").([]any)
		state, _ := get(svc, "services", 0, "deployments", 0, "rolloutState").(string)
		running, _ := get(svc, "services", 0, "runningCount").(float64)
		if len(deps) != 1 || state != "COMPLETED" || running != 2 {
			continue
		}
		health := s.awsJSON(t, "elbv2", "describe-target-health", "--target-group-arn", tgARN)
		descs, _ := get(health, "TargetHealthDescriptions").([]any)
		healthy := 0
		for i := range descs {
			if get(health, "TargetHealthDescriptions", i, "TargetHealth", "State") == "healthy" {
				healthy++
			}
		}
		if len(descs) != 2 || healthy != 2 {
			continue
		}
		now := s.serviceDigests(t, service)
		for dg := range now {
			if old[dg] {
				t.Fatalf("a task of the new deployment runs the old image %s: :latest was not pulled again", dg)
			}
		}
		return
	}
	t.Fatalf("service %s did not roll out", service)
}

// underLoad runs fn while clients send constant load to url, and returns the load's result.
func underLoad(t *testing.T, url string, fn func()) loadtest.Result {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	load := startLoadtest(ctx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 2, Rate: 100})
	fn()
	stop()
	return <-load
}

// checkServes fails the test unless ten requests to url all answer hello from version.
func checkServes(t *testing.T, url, version string) {
	t.Helper()
	for range 10 {
		if body := httpGet(t, url); !strings.HasPrefix(body, "hello from "+version+" ") {
			t.Fatalf("%s answers %q, want hello from %s", url, body, version)
		}
	}
}
