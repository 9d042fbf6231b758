package logsapi_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/ecs"
)

var t0 = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

const (
	taskA = "0123456789abcdef0123456789abcdef"
	taskB = "fedcba9876543210fedcba9876543210"
)

// fixture is a server with cluster "demo": task A of web:1 (container "web" logs with awslogs
// to /ecs/web with prefix "ecs", container "sidecar" has no log configuration) and task B of
// web:1, stopped. Each container printed a few lines.
func fixture(t *testing.T) *logsapitest.Env {
	t.Helper()
	return populate(t, logsapitest.New(t))
}

// populate writes the fixture's cluster, task definition, tasks and output into env.
func populate(t *testing.T, env *logsapitest.Env) *logsapitest.Env {
	t.Helper()
	env.PutCluster(t, "demo", t0.Add(-time.Hour))
	td := env.PutTaskDefinition(t, "web", 1,
		ecs.ContainerDefinition{Name: "web", Image: "web", Essential: true, LogConfiguration: logsapitest.Awslogs("/ecs/web", "ecs")},
		ecs.ContainerDefinition{Name: "sidecar", Image: "sidecar"},
	)
	env.PutTask(t, "demo", taskA, td, "service:web", t0)
	env.PutTask(t, "demo", taskB, td, "service:web", t0.Add(time.Minute))
	env.StopTask(t, "demo", taskB, t0.Add(2*time.Minute))
	env.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(time.Second), "a1", "a2\n", "a3 ERROR disk full")
	env.Source.Print(logsapi.ContainerID(taskB, "web"), t0.Add(time.Minute+time.Second), "b1", "b2 ERROR timeout")
	env.Source.Print(logsapi.ContainerID(taskA, "sidecar"), t0.Add(2*time.Second), "s1")
	return env
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

func errorMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	return ""
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func TestLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		lc            ecs.LogConfiguration
		group, stream string
	}{
		{"awslogs with prefix", logsapitest.Awslogs("/ecs/web", "ecs"), "/ecs/web", "ecs/web/" + taskA},
		{"awslogs without prefix", logsapitest.Awslogs("/ecs/web", ""), "/ecs/web", taskA + "-web"},
		{"no log configuration", ecs.LogConfiguration{}, "/fargo/demo", "web/" + taskA},
		{"another driver", ecs.LogConfiguration{LogDriver: "json-file"}, "/fargo/demo", "web/" + taskA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			group, stream := logsapi.Location("demo", taskA, "web", tt.lc)
			if group != tt.group || stream != tt.stream {
				t.Fatalf("got %s %s, want %s %s", group, stream, tt.group, tt.stream)
			}
		})
	}
}

func TestDescribeLogGroups(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	tests := []struct {
		name string
		in   logssdk.DescribeLogGroupsInput
		want []string
		code string
	}{
		{"all", logssdk.DescribeLogGroupsInput{}, []string{"/ecs/web", "/fargo/demo"}, ""},
		{"prefix", logssdk.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/fargo/")}, []string{"/fargo/demo"}, ""},
		{"pattern ignores case", logssdk.DescribeLogGroupsInput{LogGroupNamePattern: aws.String("WEB")}, []string{"/ecs/web"}, ""},
		{"identifiers", logssdk.DescribeLogGroupsInput{LogGroupIdentifiers: []string{"arn:aws:logs:us-east-1:000000000000:log-group:/fargo/demo"}}, []string{"/fargo/demo"}, ""},
		{"prefix and pattern", logssdk.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/"), LogGroupNamePattern: aws.String("x")}, nil, "InvalidParameterException"},
		{"limit too large", logssdk.DescribeLogGroupsInput{Limit: aws.Int32(51)}, nil, "InvalidParameterException"},
		{"bad token", logssdk.DescribeLogGroupsInput{NextToken: aws.String("nonsense")}, nil, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := env.Logs.DescribeLogGroups(ctx, &tt.in)
			if code := errorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			if err != nil {
				return
			}
			var names []string
			for _, g := range out.LogGroups {
				names = append(names, aws.ToString(g.LogGroupName))
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Fatalf("groups (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("fields and pages", func(t *testing.T) {
		t.Parallel()
		pages := logssdk.NewDescribeLogGroupsPaginator(env.Logs, &logssdk.DescribeLogGroupsInput{Limit: aws.Int32(1)})
		var groups []types.LogGroup
		for pages.HasMorePages() {
			out, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.LogGroups) != 1 {
				t.Fatalf("page of %d groups, want 1", len(out.LogGroups))
			}
			groups = append(groups, out.LogGroups...)
		}
		if len(groups) != 2 {
			t.Fatalf("%d groups, want 2", len(groups))
		}
		g := groups[1]
		if aws.ToString(g.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:/fargo/demo:*" ||
			aws.ToString(g.LogGroupArn) != "arn:aws:logs:us-east-1:000000000000:log-group:/fargo/demo" ||
			aws.ToInt64(g.CreationTime) != ms(t0.Add(-time.Hour)) {
			t.Fatalf("group %+v", g)
		}
	})
}

func TestDescribeLogStreams(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	webA, webB := "ecs/web/"+taskA, "ecs/web/"+taskB
	tests := []struct {
		name string
		in   logssdk.DescribeLogStreamsInput
		want []string
		code string
		msg  string
	}{
		{"by name", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web")}, []string{webA, webB}, "", ""},
		{"descending", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), Descending: aws.Bool(true)}, []string{webB, webA}, "", ""},
		{"by last event", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), OrderBy: types.OrderByLastEventTime, Descending: aws.Bool(true)}, []string{webB, webA}, "", ""},
		{"prefix", logssdk.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("/fargo/demo"), LogStreamNamePrefix: aws.String("sidecar/" + taskB[:4])}, []string{"sidecar/" + taskB}, "", ""},
		{"group ARN", logssdk.DescribeLogStreamsInput{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:/fargo/demo:*")}, []string{"sidecar/" + taskA, "sidecar/" + taskB}, "", ""},
		{"unknown group", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/nope")}, nil, "ResourceNotFoundException", "The specified log group does not exist."},
		{"no group", logssdk.DescribeLogStreamsInput{}, nil, "InvalidParameterException", ""},
		{"last event with prefix", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), OrderBy: types.OrderByLastEventTime, LogStreamNamePrefix: aws.String("ecs")}, nil, "InvalidParameterException", ""},
		{"bad order", logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), OrderBy: "Size"}, nil, "InvalidParameterException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := env.Logs.DescribeLogStreams(ctx, &tt.in)
			if code := errorCode(err); code != tt.code || (tt.msg != "" && errorMessage(err) != tt.msg) {
				t.Fatalf("error %v, want %s %q", err, tt.code, tt.msg)
			}
			if err != nil {
				return
			}
			var names []string
			for _, s := range out.LogStreams {
				names = append(names, aws.ToString(s.LogStreamName))
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Fatalf("streams (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("fields", func(t *testing.T) {
		t.Parallel()
		out, err := env.Logs.DescribeLogStreams(ctx, &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), Limit: aws.Int32(1)})
		if err != nil {
			t.Fatal(err)
		}
		s := out.LogStreams[0]
		first, last := ms(t0.Add(time.Second)), ms(t0.Add(time.Second+2*time.Millisecond))
		if aws.ToInt64(s.FirstEventTimestamp) != first || aws.ToInt64(s.LastEventTimestamp) != last ||
			aws.ToInt64(s.CreationTime) != ms(t0) || out.NextToken == nil ||
			aws.ToString(s.Arn) != "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/web:log-stream:"+webA {
			t.Fatalf("stream %+v next %v", s, out.NextToken)
		}
		rest, err := env.Logs.DescribeLogStreams(ctx, &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web"), NextToken: out.NextToken})
		if err != nil || len(rest.LogStreams) != 1 || aws.ToString(rest.LogStreams[0].LogStreamName) != webB || rest.NextToken != nil {
			t.Fatalf("second page %+v %v", rest, err)
		}
	})

	t.Run("empty stream", func(t *testing.T) {
		t.Parallel()
		out, err := env.Logs.DescribeLogStreams(ctx, &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/fargo/demo"), LogStreamNamePrefix: aws.String("sidecar/" + taskB)})
		if err != nil || len(out.LogStreams) != 1 || out.LogStreams[0].LastEventTimestamp != nil {
			t.Fatalf("%+v %v", out, err)
		}
	})
}

func messages[E any](events []E, msg func(E) *string) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, aws.ToString(msg(e)))
	}
	return out
}

func outputMessages(events []types.OutputLogEvent) []string {
	return messages(events, func(e types.OutputLogEvent) *string { return e.Message })
}

func filteredMessages(events []types.FilteredLogEvent) []string {
	return messages(events, func(e types.FilteredLogEvent) *string { return e.Message })
}
