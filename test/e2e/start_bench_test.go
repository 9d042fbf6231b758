package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/benchtest"
)

// BenchmarkTaskStart measures how long a task of the example app takes from RunTask until
// DescribeTasks reports it RUNNING, polled every 20 ms, with the process driver (examples/hello
// as a host command, examples/hello/task-definition.json) and with the Docker driver
// (examples/hello's image pushed to fargo's registry, task-definition-image.json), both on one
// `fargo server --driver auto`, and reports the median over the starts. The image is pushed
// once and run once, untimed, before the timed starts, so the engine has it cached; as the
// Docker driver's default pull policy does for a registry's image, every start still asks the
// registry for it (docs/docker-driver.md, "Pulls"), and that is part of what is measured. Each
// task is stopped, and its STOPPED awaited, outside the timed part. Run it with
//
//	FARGO_E2E=1 go test -run '^$' -bench TaskStart -benchtime 10x ./test/e2e
func BenchmarkTaskStart(b *testing.B) {
	s := startServer(b, b.TempDir(), "--driver", "auto")
	ecsc, _ := s.sdkClients(b)
	s.awsJSON(b, "ecs", "create-cluster", "--cluster-name", "demo")

	b.Run("driver=process", func(b *testing.B) {
		td := s.registerFile(b, "../../examples/hello/task-definition.json")
		benchTaskStarts(b, ecsc, td, func(runtimeID string) {
			// The process driver reports no runtime id; an engine's container would have one.
			if _, err := runCmd("docker", "container", "inspect", runtimeID); runtimeID != "" && err == nil {
				b.Fatalf("the task of %s ran as the Docker container %s, not as a host process", td, runtimeID)
			}
		})
	})
	b.Run("driver=docker", func(b *testing.B) {
		d := newDockerCLI(b) // skips, visibly, when no engine answers
		reg := strings.TrimPrefix(s.endpoint(), "http://")
		// Cleanups run last-registered first: the tasks' containers go before the images
		// newDockerCLI's cleanup removes.
		b.Cleanup(func() { d.removeContainersOf(reg) })
		image := reg + "/hello:latest"
		s.awsJSON(b, "ecr", "create-repository", "--repository-name", "hello")
		d.ecrLogin(b, s)
		d.buildPush(b, helloStatic(b), image, "v1")
		td := s.registerFile(b, renderTaskDefinition(b, "../../examples/hello/task-definition-image.json", "web", image))
		benchTaskStarts(b, ecsc, td, func(runtimeID string) {
			// The untimed first task pulled the image; it must have run as a container.
			d.must("", "container", "inspect", "--format", "{{.Id}}", runtimeID)
		})
	})
}

// registerFile registers the task definition in file and returns its ARN.
func (s *server) registerFile(t testing.TB, file string) string {
	t.Helper()
	out := s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+file)
	arn, _ := get(out, "taskDefinition", "taskDefinitionArn").(string)
	if arn == "" {
		t.Fatalf("register-task-definition %s: %v", file, out)
	}
	return arn
}

// benchTaskStarts runs one untimed task of td (passing its container's runtimeId to each
// check), then times a start of td in each iteration.
func benchTaskStarts(b *testing.B, ecsc *ecssdk.Client, td string, checks ...func(runtimeID string)) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	arn := runTask(b, ctx, ecsc, td)
	task := waitTaskStatus(b, ctx, ecsc, arn, "RUNNING")
	for _, check := range checks {
		check(aws.ToString(task.Containers[0].RuntimeId))
	}
	stopTask(b, ctx, ecsc, arn)

	var medians benchtest.Medians
	for b.Loop() {
		start := time.Now()
		arn := runTask(b, ctx, ecsc, td)
		waitTaskStatus(b, ctx, ecsc, arn, "RUNNING")
		medians.Add("ms/start", float64(time.Since(start).Microseconds())/1000)
		b.StopTimer()
		stopTask(b, ctx, ecsc, arn)
		b.StartTimer()
	}
	medians.Report(b)
}

func runTask(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, td string) string {
	b.Helper()
	out, err := ecsc.RunTask(ctx, &ecssdk.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String(td), StartedBy: aws.String("bench")})
	if err != nil {
		b.Fatal(err)
	}
	if len(out.Tasks) != 1 {
		b.Fatalf("RunTask started %d tasks (failures %v)", len(out.Tasks), out.Failures)
	}
	return aws.ToString(out.Tasks[0].TaskArn)
}

// stopTask stops the task arn and waits until it is STOPPED.
func stopTask(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, arn string) {
	b.Helper()
	if _, err := ecsc.StopTask(ctx, &ecssdk.StopTaskInput{Cluster: aws.String("demo"), Task: aws.String(arn), Reason: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	waitTaskStatus(b, ctx, ecsc, arn, "STOPPED")
}

// waitTaskStatus polls DescribeTasks every 20 ms until the task arn's lastStatus is status, and
// returns the task; it fails if the task stops first.
func waitTaskStatus(b *testing.B, ctx context.Context, ecsc *ecssdk.Client, arn, status string) ecstypes.Task {
	b.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for ; time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		out, err := ecsc.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: []string{arn}})
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Tasks) != 1 {
			continue
		}
		t := out.Tasks[0]
		switch aws.ToString(t.LastStatus) {
		case status:
			return t
		case "STOPPED":
			b.Fatalf("task %s stopped before %s: %s %s", arn, status, t.StopCode, aws.ToString(t.StoppedReason))
		}
	}
	b.Fatalf("task %s did not reach %s", arn, status)
	return ecstypes.Task{}
}
