package logsapi_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// TestAWSCLI runs the aws CLI's logs commands against the API. Like the end-to-end tests it runs
// when FARGO_E2E=1, and needs the aws CLI on PATH.
func TestAWSCLI(t *testing.T) {
	if os.Getenv("FARGO_E2E") != "1" {
		t.Skip("aws CLI tests run with FARGO_E2E=1")
	}
	bin, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("no aws CLI on PATH")
	}
	t.Parallel()
	env := fixture(t)
	run := func(t *testing.T, out any, args ...string) {
		t.Helper()
		// --endpoint-url, not AWS_ENDPOINT_URL: Debian's aws CLI ignores the variable and would
		// send the commands to AWS.
		cmd := exec.Command(bin, append(args, "--endpoint-url", env.URL, "--output", "json")...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
			"AWS_REGION=" + logsapitest.Region, "AWS_DEFAULT_REGION=" + logsapitest.Region,
			"AWS_ACCESS_KEY_ID=" + env.Credentials.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + env.Credentials.SecretAccessKey, "AWS_PAGER="}
		b, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := errors.AsType[*exec.ExitError](err); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("aws %v: %v\n%s", args, err, stderr)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, b)
		}
	}
	type event struct {
		Message   string `json:"message"`
		Timestamp int64  `json:"timestamp"`
	}
	messages := func(events []event) []string {
		out := []string{}
		for _, e := range events {
			out = append(out, e.Message)
		}
		return out
	}

	t.Run("describe-log-groups", func(t *testing.T) {
		var out struct {
			LogGroups []struct{ LogGroupName string } `json:"logGroups"`
		}
		run(t, &out, "logs", "describe-log-groups", "--page-size", "1")
		if len(out.LogGroups) != 2 || out.LogGroups[0].LogGroupName != "/ecs/web" {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("describe-log-streams", func(t *testing.T) {
		var out struct {
			LogStreams []struct {
				LogStreamName      string `json:"logStreamName"`
				LastEventTimestamp int64  `json:"lastEventTimestamp"`
			} `json:"logStreams"`
		}
		run(t, &out, "logs", "describe-log-streams", "--log-group-name", "/ecs/web", "--order-by", "LastEventTime", "--descending")
		if len(out.LogStreams) != 2 || out.LogStreams[0].LogStreamName != "ecs/web/"+taskB || out.LogStreams[0].LastEventTimestamp == 0 {
			t.Fatalf("%+v", out)
		}
	})
	t.Run("get-log-events", func(t *testing.T) {
		var out struct {
			Events           []event `json:"events"`
			NextForwardToken string  `json:"nextForwardToken"`
		}
		run(t, &out, "logs", "get-log-events", "--log-group-name", "/ecs/web", "--log-stream-name", "ecs/web/"+taskA, "--start-from-head")
		if diff := cmp.Diff([]string{"a1", "a2", "a3 ERROR disk full"}, messages(out.Events)); diff != "" || out.NextForwardToken == "" {
			t.Fatalf("(-want +got):\n%s\n%+v", diff, out)
		}
	})
	t.Run("filter-log-events", func(t *testing.T) {
		var out struct {
			Events []event `json:"events"`
		}
		run(t, &out, "logs", "filter-log-events", "--log-group-name", "/ecs/web", "--filter-pattern", "ERROR", "--page-size", "1")
		if diff := cmp.Diff([]string{"a3 ERROR disk full", "b2 ERROR timeout"}, messages(out.Events)); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}
