package logsapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

func TestGetLogEvents(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	web := func(in logssdk.GetLogEventsInput) *logssdk.GetLogEventsInput {
		in.LogGroupName, in.LogStreamName = aws.String("/ecs/web"), aws.String("ecs/web/"+taskA)
		return &in
	}
	at := func(d time.Duration) *int64 { return aws.Int64(ms(t0.Add(d))) }
	tests := []struct {
		name string
		in   *logssdk.GetLogEventsInput
		want []string
		code string
		msg  string
	}{
		{"newest by default", web(logssdk.GetLogEventsInput{Limit: aws.Int32(2)}), []string{"a2", "a3 ERROR disk full"}, "", ""},
		{"from the head", web(logssdk.GetLogEventsInput{Limit: aws.Int32(2), StartFromHead: aws.Bool(true)}), []string{"a1", "a2"}, "", ""},
		{"start time is inclusive", web(logssdk.GetLogEventsInput{StartTime: at(time.Second + time.Millisecond)}), []string{"a2", "a3 ERROR disk full"}, "", ""},
		{"end time is exclusive", web(logssdk.GetLogEventsInput{EndTime: at(time.Second + 2*time.Millisecond)}), []string{"a1", "a2"}, "", ""},
		{"synthetic group", &logssdk.GetLogEventsInput{LogGroupName: aws.String("/fargo/demo"), LogStreamName: aws.String("sidecar/" + taskA)}, []string{"s1"}, "", ""},
		{"stopped task", &logssdk.GetLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamName: aws.String("ecs/web/" + taskB)}, []string{"b1", "b2 ERROR timeout"}, "", ""},
		{"no output yet", &logssdk.GetLogEventsInput{LogGroupName: aws.String("/fargo/demo"), LogStreamName: aws.String("sidecar/" + taskB)}, []string{}, "", ""},
		{"unknown stream", &logssdk.GetLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamName: aws.String("nope")}, nil, "ResourceNotFoundException", "The specified log stream does not exist."},
		{"unknown group", &logssdk.GetLogEventsInput{LogGroupName: aws.String("/nope"), LogStreamName: aws.String("x")}, nil, "ResourceNotFoundException", "The specified log group does not exist."},
		{"name and identifier", web(logssdk.GetLogEventsInput{LogGroupIdentifier: aws.String("/ecs/web")}), nil, "InvalidParameterException", ""},
		{"bad token", web(logssdk.GetLogEventsInput{NextToken: aws.String("f/1")}), nil, "InvalidParameterException", ""},
		{"limit too large", web(logssdk.GetLogEventsInput{Limit: aws.Int32(10001)}), nil, "InvalidParameterException", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := env.Logs.GetLogEvents(ctx, tt.in)
			if code := errorCode(err); code != tt.code || (tt.msg != "" && errorMessage(err) != tt.msg) {
				t.Fatalf("error %v, want %s %q", err, tt.code, tt.msg)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, outputMessages(out.Events)); diff != "" {
				t.Fatalf("messages (-want +got):\n%s", diff)
			}
			for _, e := range out.Events {
				if aws.ToInt64(e.Timestamp) < ms(t0) || aws.ToInt64(e.IngestionTime) != aws.ToInt64(e.Timestamp) {
					t.Fatalf("event times %+v: want epoch milliseconds", e)
				}
			}
		})
	}
}

// TestGetLogEventsTokens walks a stream as clients do: forward tokens that repeat while nothing
// new arrives, and backward tokens towards the head.
func TestGetLogEventsTokens(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	id := logsapi.ContainerID(taskA, "web")
	get := func(token *string, head bool) *logssdk.GetLogEventsOutput {
		t.Helper()
		out, err := env.Logs.GetLogEvents(ctx, &logssdk.GetLogEventsInput{
			LogGroupName: aws.String("/ecs/web"), LogStreamName: aws.String("ecs/web/" + taskA),
			NextToken: token, StartFromHead: aws.Bool(head), Limit: aws.Int32(2),
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	check := func(step string, out *logssdk.GetLogEventsOutput, want ...string) {
		t.Helper()
		if diff := cmp.Diff(append([]string{}, want...), outputMessages(out.Events)); diff != "" {
			t.Fatalf("%s (-want +got):\n%s", step, diff)
		}
	}

	first := get(nil, true)
	check("head", first, "a1", "a2")
	second := get(first.NextForwardToken, false)
	check("forward", second, "a3 ERROR disk full")
	idle := get(second.NextForwardToken, false)
	check("nothing new", idle)
	if aws.ToString(idle.NextForwardToken) != aws.ToString(second.NextForwardToken) {
		t.Fatalf("forward token moved without events: %s then %s", aws.ToString(second.NextForwardToken), aws.ToString(idle.NextForwardToken))
	}

	// Lines written at the same instant are told apart by their place.
	same := t0.Add(time.Hour)
	env.Source.Print(id, same, "n1")
	env.Source.Print(id, same, "n2")
	env.Source.Print(id, same, "n3")
	more := get(idle.NextForwardToken, false)
	check("new lines", more, "n1", "n2")
	check("rest of the instant", get(more.NextForwardToken, false), "n3")

	back := get(more.NextBackwardToken, false)
	check("backward", back, "a2", "a3 ERROR disk full")
	check("backward again", get(back.NextBackwardToken, false), "a1")
	head := get(get(back.NextBackwardToken, false).NextBackwardToken, false)
	check("before the head", head)
}

func TestGetLogEventsEmptyStreamTokens(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	in := &logssdk.GetLogEventsInput{LogGroupName: aws.String("/fargo/demo"), LogStreamName: aws.String("sidecar/" + taskB)}
	out, err := env.Logs.GetLogEvents(ctx, in)
	if err != nil || len(out.Events) != 0 || out.NextForwardToken == nil {
		t.Fatalf("%+v %v", out, err)
	}
	env.Source.Print(logsapi.ContainerID(taskB, "sidecar"), t0.Add(time.Hour), "late")
	in.NextToken = out.NextForwardToken
	out, err = env.Logs.GetLogEvents(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"late"}, outputMessages(out.Events)); diff != "" {
		t.Fatalf("after the first line (-want +got):\n%s", diff)
	}
}

func TestFilterLogEvents(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	webA, webB := "ecs/web/"+taskA, "ecs/web/"+taskB
	tests := []struct {
		name string
		in   logssdk.FilterLogEventsInput
		want []string
		code string
	}{
		{"interleaved in time", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web")}, []string{"a1", "a2", "a3 ERROR disk full", "b1", "b2 ERROR timeout"}, ""},
		{"term", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String("ERROR")}, []string{"a3 ERROR disk full", "b2 ERROR timeout"}, ""},
		{"terms all match", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String("ERROR timeout")}, []string{"b2 ERROR timeout"}, ""},
		{"phrase", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String(`"disk full"`)}, []string{"a3 ERROR disk full"}, ""},
		{"case-sensitive", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String("error")}, []string{}, ""},
		{"stream names", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamNames: []string{webB}}, []string{"b1", "b2 ERROR timeout"}, ""},
		{"stream prefix", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamNamePrefix: aws.String(webA)}, []string{"a1", "a2", "a3 ERROR disk full"}, ""},
		{"time window", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), StartTime: aws.Int64(ms(t0.Add(time.Second + 2*time.Millisecond))), EndTime: aws.Int64(ms(t0.Add(time.Minute + time.Second + time.Millisecond)))}, []string{"a3 ERROR disk full", "b1"}, ""},
		{"json pattern", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String(`{ $.level = "error" }`)}, nil, "InvalidParameterException"},
		{"or pattern", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), FilterPattern: aws.String(`?ERROR ?WARN`)}, nil, "InvalidParameterException"},
		{"names and prefix", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamNames: []string{webA}, LogStreamNamePrefix: aws.String("ecs")}, nil, "InvalidParameterException"},
		{"unknown group", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/nope")}, nil, "ResourceNotFoundException"},
		{"bad token", logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), NextToken: aws.String("!!")}, nil, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := env.Logs.FilterLogEvents(ctx, &tt.in)
			if code := errorCode(err); code != tt.code {
				t.Fatalf("code %q (%v), want %q", code, err, tt.code)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, filteredMessages(out.Events)); diff != "" {
				t.Fatalf("messages (-want +got):\n%s", diff)
			}
			if out.NextToken != nil {
				t.Fatalf("nextToken %q after the last page", aws.ToString(out.NextToken))
			}
		})
	}
}

// TestFilterLogEventsPages reads a group one event per page, as "aws logs filter-log-events
// --page-size 1" does, and checks that every event comes once, with a stable eventId.
func TestFilterLogEventsPages(t *testing.T) {
	t.Parallel()
	env := fixture(t)
	ctx := logsapitest.Context(t)
	// Two lines of different streams at the same instant, and two of one stream.
	env.Source.Print(logsapi.ContainerID(taskA, "web"), t0.Add(time.Hour), "x")
	env.Source.Print(logsapi.ContainerID(taskB, "web"), t0.Add(time.Hour), "y")
	env.Source.Print(logsapi.ContainerID(taskB, "web"), t0.Add(time.Hour), "z")
	read := func(limit int32) ([]string, []string) {
		t.Helper()
		pages := logssdk.NewFilterLogEventsPaginator(env.Logs, &logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), Limit: aws.Int32(limit)})
		var msgs, ids []string
		for pages.HasMorePages() {
			out, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Events) > int(limit) {
				t.Fatalf("page of %d events, limit %d", len(out.Events), limit)
			}
			msgs = append(msgs, filteredMessages(out.Events)...)
			for _, e := range out.Events {
				ids = append(ids, aws.ToString(e.EventId))
			}
		}
		return msgs, ids
	}
	want := []string{"a1", "a2", "a3 ERROR disk full", "b1", "b2 ERROR timeout", "x", "y", "z"}
	one, ids1 := read(1)
	all, ids := read(100)
	if diff := cmp.Diff(want, one); diff != "" {
		t.Fatalf("pages of one (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Fatalf("one page (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ids, ids1); diff != "" {
		t.Fatalf("event ids differ between reads (-want +got):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate event id %s", id)
		}
		seen[id] = true
	}
}
