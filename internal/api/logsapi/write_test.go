package logsapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// clock is a settable clock for the API.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// writeFixture is the fixture on a server whose clock reads now, a minute after the
// fixture's last line.
func writeFixture(t *testing.T) (*logsapitest.Env, *clock) {
	t.Helper()
	c := &clock{now: t0.Add(3 * time.Minute)}
	return populate(t, logsapitest.NewWithClock(t, c.Now)), c
}

func groupNames(t *testing.T, env *logsapitest.Env) []string {
	t.Helper()
	out, err := env.Logs.DescribeLogGroups(logsapitest.Context(t), &logssdk.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range out.LogGroups {
		names = append(names, aws.ToString(g.LogGroupName))
	}
	return names
}

func streamNames(t *testing.T, env *logsapitest.Env, group string) []string {
	t.Helper()
	out, err := env.Logs.DescribeLogStreams(logsapitest.Context(t), &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String(group)})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, s := range out.LogStreams {
		names = append(names, aws.ToString(s.LogStreamName))
	}
	return names
}

// createStream creates log group group with the stream stream in it.
func createStream(t *testing.T, env *logsapitest.Env, group, stream string) {
	t.Helper()
	ctx := logsapitest.Context(t)
	if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String(group)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, env *logsapitest.Env, group, stream string, events ...types.InputLogEvent) *logssdk.PutLogEventsOutput {
	t.Helper()
	out, err := env.Logs.PutLogEvents(logsapitest.Context(t), &logssdk.PutLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events,
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ev(at time.Time, msg string) types.InputLogEvent {
	return types.InputLogEvent{Timestamp: aws.Int64(ms(at)), Message: aws.String(msg)}
}

func readStream(t *testing.T, env *logsapitest.Env, group, stream string) []types.OutputLogEvent {
	t.Helper()
	out, err := env.Logs.GetLogEvents(logsapitest.Context(t), &logssdk.GetLogEventsInput{
		LogGroupName: aws.String(group), LogStreamName: aws.String(stream), StartFromHead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Events
}

func TestCreateLogGroup(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String("/app/api"), Tags: map[string]string{"team": "a"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String("/app/cold"), LogGroupClass: types.LogGroupClassInfrequentAccess}); err != nil {
		t.Fatal(err)
	}
	out, err := env.Logs.DescribeLogGroups(ctx, &logssdk.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.LogGroups) != 2 {
		t.Fatalf("groups %+v", out.LogGroups)
	}
	api, cold := out.LogGroups[0], out.LogGroups[1]
	if aws.ToString(api.LogGroupName) != "/app/api" || aws.ToInt64(api.CreationTime) != ms(c.Now()) || api.LogGroupClass != types.LogGroupClassStandard ||
		api.RetentionInDays != nil || aws.ToString(api.LogGroupArn) != "arn:aws:logs:us-east-1:000000000000:log-group:/app/api" {
		t.Errorf("group %+v", api)
	}
	if cold.LogGroupClass != types.LogGroupClassInfrequentAccess {
		t.Errorf("class %s", cold.LogGroupClass)
	}

	before := groupNames(t, env)
	tests := []struct {
		name string
		in   logssdk.CreateLogGroupInput
		code string
		msg  string
	}{
		{"exists", logssdk.CreateLogGroupInput{LogGroupName: aws.String("/app/api")}, "ResourceAlreadyExistsException", "The specified log group already exists"},
		{"container output's group", logssdk.CreateLogGroupInput{LogGroupName: aws.String("/ecs/web")}, "ResourceAlreadyExistsException", "The specified log group already exists"},
		{"bad name", logssdk.CreateLogGroupInput{LogGroupName: aws.String("a:b")}, "InvalidParameterException", `1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
		{"reserved", logssdk.CreateLogGroupInput{LogGroupName: aws.String("aws/x")}, "InvalidParameterException", "Log groups starting with AWS/ are reserved for AWS."},
		{"kms", logssdk.CreateLogGroupInput{LogGroupName: aws.String("/k"), KmsKeyId: aws.String("arn:aws:kms:us-east-1:000000000000:key/1")}, "InvalidParameterException", "fargo does not encrypt log groups with KMS keys: leave kmsKeyId out."},
		{"deletion protection", logssdk.CreateLogGroupInput{LogGroupName: aws.String("/p"), DeletionProtectionEnabled: aws.Bool(true)}, "InvalidParameterException", "fargo does not protect log groups from deletion: leave deletionProtectionEnabled out."},
		{"delivery class", logssdk.CreateLogGroupInput{LogGroupName: aws.String("/d"), LogGroupClass: types.LogGroupClassDelivery}, "InvalidParameterException", "fargo does not serve log groups of class DELIVERY: use STANDARD or INFREQUENT_ACCESS."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.Logs.CreateLogGroup(ctx, &tt.in)
			apitest.WantError(t, err, tt.code, tt.msg, http.StatusBadRequest)
		})
	}
	if diff := cmp.Diff(before, groupNames(t, env)); diff != "" {
		t.Fatalf("failed calls changed the groups (-before +after):\n%s", diff)
	}
}

func TestCreateLogStream(t *testing.T) {
	t.Parallel()
	env, _ := writeFixture(t)
	ctx := logsapitest.Context(t)
	if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String("/app")}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []logssdk.CreateLogStreamInput{
		{LogGroupName: aws.String("/app"), LogStreamName: aws.String("one")},
		{LogGroupName: aws.String("/ecs/web"), LogStreamName: aws.String("verify/é")}, // a group of container output
	} {
		if _, err := env.Logs.CreateLogStream(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"one"}, streamNames(t, env, "/app")); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"ecs/web/" + taskA, "ecs/web/" + taskB, "verify/é"}, streamNames(t, env, "/ecs/web")); diff != "" {
		t.Errorf("container streams and the created one (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/app", "/ecs/web", "/fargo/demo"}, groupNames(t, env)); diff != "" {
		t.Errorf("a group of container output with a created stream is still one group (-want +got):\n%s", diff)
	}

	tests := []struct {
		name, group, stream, code, msg string
	}{
		{"exists", "/app", "one", "ResourceAlreadyExistsException", "The specified log stream already exists"},
		{"a container's stream", "/ecs/web", "ecs/web/" + taskA, "ResourceAlreadyExistsException", "The specified log stream already exists"},
		{"no group", "/nope", "x", "ResourceNotFoundException", "The specified log group does not exist."},
		{"bad stream name", "/app", "a:b", "InvalidParameterException", "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"},
		{"bad group name", "a b", "x", "InvalidParameterException", `1 validation error detected: Value 'a b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String(tt.group), LogStreamName: aws.String(tt.stream)})
			apitest.WantError(t, err, tt.code, tt.msg, http.StatusBadRequest)
		})
	}
	if diff := cmp.Diff([]string{"one"}, streamNames(t, env, "/app")); diff != "" {
		t.Errorf("failed calls changed the streams (-want +got):\n%s", diff)
	}
}

func TestPutLogEvents(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	createStream(t, env, "/app", "s")
	first := put(t, env, "/app", "s", ev(now.Add(-time.Minute), "one"), ev(now.Add(-time.Minute), "two"), ev(now, "three"))
	if first.NextSequenceToken == nil || first.RejectedLogEventsInfo != nil {
		t.Fatalf("first put %+v", first)
	}
	// Out of order between batches, and a sequence token that means nothing: both fine.
	c.Set(now.Add(time.Second))
	out, err := env.Logs.PutLogEvents(ctx, &logssdk.PutLogEventsInput{
		LogGroupName: aws.String("/app"), LogStreamName: aws.String("s"), SequenceToken: aws.String("stale"),
		LogEvents: []types.InputLogEvent{ev(now.Add(-2*time.Minute), "zero"), ev(now.Add(-time.Minute), "two and a half")},
	})
	if err != nil || out.RejectedLogEventsInfo != nil {
		t.Fatalf("second put %+v %v", out, err)
	}
	got := readStream(t, env, "/app", "s")
	if diff := cmp.Diff([]string{"zero", "one", "two", "two and a half", "three"}, outputMessages(got)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	if aws.ToInt64(got[0].Timestamp) != ms(now.Add(-2*time.Minute)) || aws.ToInt64(got[0].IngestionTime) != ms(now.Add(time.Second)) || aws.ToInt64(got[1].IngestionTime) != ms(now) {
		t.Fatalf("times %+v", got)
	}

	t.Run("describe", func(t *testing.T) {
		out, err := env.Logs.DescribeLogStreams(ctx, &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/app")})
		if err != nil {
			t.Fatal(err)
		}
		s := out.LogStreams[0]
		if aws.ToInt64(s.FirstEventTimestamp) != ms(now.Add(-2*time.Minute)) || aws.ToInt64(s.LastEventTimestamp) != ms(now) ||
			aws.ToInt64(s.LastIngestionTime) != ms(now.Add(time.Second)) || aws.ToInt64(s.CreationTime) != ms(now) {
			t.Fatalf("stream %+v", s)
		}
		groups, err := env.Logs.DescribeLogGroups(ctx, &logssdk.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app")})
		stats, _ := env.Events.Stats(onlyID(t, env))
		if err != nil || stats.Bytes == 0 || aws.ToInt64(groups.LogGroups[0].StoredBytes) != stats.Bytes {
			t.Fatalf("group %+v %v", groups, err)
		}
	})

	t.Run("rejected", func(t *testing.T) {
		if _, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("r")}); err != nil {
			t.Fatal(err)
		}
		out := put(t, env, "/app", "r",
			ev(now.Add(-15*24*time.Hour), "too old"), ev(now.Add(-time.Hour), "kept"), ev(now.Add(3*time.Hour), "too new"))
		r := out.RejectedLogEventsInfo
		if r == nil || aws.ToInt32(r.TooOldLogEventEndIndex) != 1 || aws.ToInt32(r.TooNewLogEventStartIndex) != 2 || r.ExpiredLogEventEndIndex != nil {
			t.Fatalf("rejected %+v", r)
		}
		if diff := cmp.Diff([]string{"kept"}, outputMessages(readStream(t, env, "/app", "r"))); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})

	t.Run("into a container's stream", func(t *testing.T) {
		stream := "ecs/web/" + taskA
		put(t, env, "/ecs/web", stream, ev(t0.Add(time.Second+time.Millisecond), "written"))
		want := []string{"a1", "a2", "written", "a3 ERROR disk full"}
		if diff := cmp.Diff(want, outputMessages(readStream(t, env, "/ecs/web", stream))); diff != "" {
			t.Fatalf("container output and written events merged by time (-want +got):\n%s", diff)
		}
		f, err := env.Logs.FilterLogEvents(ctx, &logssdk.FilterLogEventsInput{LogGroupName: aws.String("/ecs/web"), LogStreamNames: []string{stream}})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, filteredMessages(f.Events)); diff != "" {
			t.Fatalf("filter (-want +got):\n%s", diff)
		}
	})
}

// TestPutLogEventsRejectsBatch checks the errors that fail a whole batch, and that they store
// nothing.
func TestPutLogEventsRejectsBatch(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	createStream(t, env, "/app", "s")
	big := strings.Repeat("x", 1<<19)
	tests := []struct {
		name          string
		group, stream string
		events        []types.InputLogEvent
		code, msg     string
	}{
		{"out of order", "/app", "s", []types.InputLogEvent{ev(now, "b"), ev(now.Add(-time.Second), "a")}, "InvalidParameterException", "Log events in a single PutLogEvents request must be in chronological order."},
		{"too large", "/app", "s", []types.InputLogEvent{ev(now, big), ev(now, big)}, "InvalidParameterException", "Upload too large: 1048628 bytes exceeds limit of 1048576"},
		{"over a day", "/app", "s", []types.InputLogEvent{ev(now.Add(-25*time.Hour), "a"), ev(now, "b")}, "InvalidParameterException", "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"empty message", "/app", "s", []types.InputLogEvent{ev(now, "")}, "InvalidParameterException", "1 validation error detected: Value '' at 'logEvents.1.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"no stream", "/app", "nope", []types.InputLogEvent{ev(now, "a")}, "ResourceNotFoundException", "The specified log stream does not exist."},
		{"no group", "/nope", "s", []types.InputLogEvent{ev(now, "a")}, "ResourceNotFoundException", "The specified log group does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.Logs.PutLogEvents(ctx, &logssdk.PutLogEventsInput{LogGroupName: aws.String(tt.group), LogStreamName: aws.String(tt.stream), LogEvents: tt.events})
			apitest.WantError(t, err, tt.code, tt.msg, http.StatusBadRequest)
		})
	}
	if got := readStream(t, env, "/app", "s"); len(got) != 0 {
		t.Fatalf("rejected batches stored %v", outputMessages(got))
	}
	if diff := cmp.Diff([]string{"s"}, streamNames(t, env, "/app")); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// Every event rejected one by one: the call succeeds and stores nothing.
	out := put(t, env, "/app", "s", ev(now.Add(3*time.Hour), "late"))
	if out.RejectedLogEventsInfo == nil || aws.ToInt32(out.RejectedLogEventsInfo.TooNewLogEventStartIndex) != 0 || len(readStream(t, env, "/app", "s")) != 0 {
		t.Fatalf("%+v", out.RejectedLogEventsInfo)
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	createStream(t, env, "/app", "s")
	put(t, env, "/app", "s", ev(now.Add(-3*24*time.Hour), "old"))
	put(t, env, "/app", "s", ev(now.Add(-time.Hour), "fresh"))

	for _, in := range []logssdk.PutRetentionPolicyInput{
		{LogGroupName: aws.String("/app"), RetentionInDays: aws.Int32(1)},
		{LogGroupName: aws.String("/ecs/web"), RetentionInDays: aws.Int32(1)}, // container output's group
	} {
		if _, err := env.Logs.PutRetentionPolicy(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	out, err := env.Logs.DescribeLogGroups(ctx, &logssdk.DescribeLogGroupsInput{})
	if err != nil {
		t.Fatal(err)
	}
	days := map[string]int32{}
	for _, g := range out.LogGroups {
		days[aws.ToString(g.LogGroupName)] = aws.ToInt32(g.RetentionInDays)
	}
	if diff := cmp.Diff(map[string]int32{"/app": 1, "/ecs/web": 1, "/fargo/demo": 0}, days); diff != "" {
		t.Fatalf("retention (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"fresh"}, outputMessages(readStream(t, env, "/app", "s"))); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// The expired event is gone from storage, not only hidden.
	ids, err := env.Events.IDs()
	if err != nil || len(ids) != 1 {
		t.Fatalf("ids %v %v", ids, err)
	}
	if stats, err := env.Events.Stats(ids[0]); err != nil || stats.Count != 1 {
		t.Fatalf("stored %+v %v", stats, err)
	}
	// Too old for the group, not for CloudWatch: rejected as expired.
	r := put(t, env, "/app", "s", ev(now.Add(-2*24*time.Hour), "expired"), ev(now, "new")).RejectedLogEventsInfo
	if r == nil || aws.ToInt32(r.ExpiredLogEventEndIndex) != 1 || r.TooOldLogEventEndIndex != nil {
		t.Fatalf("rejected %+v", r)
	}

	// Two days on, the container output of the fixture is past the retention too.
	c.Set(now.Add(2 * 24 * time.Hour))
	if got := readStream(t, env, "/ecs/web", "ecs/web/"+taskA); len(got) != 0 {
		t.Fatalf("expired container output: %v", outputMessages(got))
	}
	streams, err := env.Logs.DescribeLogStreams(ctx, &logssdk.DescribeLogStreamsInput{LogGroupName: aws.String("/ecs/web")})
	if err != nil || streams.LogStreams[0].FirstEventTimestamp != nil {
		t.Fatalf("expired stream bounds %+v %v", streams, err)
	}
	if _, err := env.Logs.DeleteRetentionPolicy(ctx, &logssdk.DeleteRetentionPolicyInput{LogGroupName: aws.String("/ecs/web")}); err != nil {
		t.Fatal(err)
	}
	if got := readStream(t, env, "/ecs/web", "ecs/web/"+taskA); len(got) != 3 {
		t.Fatalf("container output after the retention went: %v", outputMessages(got))
	}

	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"days not allowed", func() error {
			_, err := env.Logs.PutRetentionPolicy(ctx, &logssdk.PutRetentionPolicyInput{LogGroupName: aws.String("/app"), RetentionInDays: aws.Int32(2)})
			return err
		}, "InvalidParameterException", "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]"},
		{"no group", func() error {
			_, err := env.Logs.PutRetentionPolicy(ctx, &logssdk.PutRetentionPolicyInput{LogGroupName: aws.String("/nope"), RetentionInDays: aws.Int32(1)})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"delete, no group", func() error {
			_, err := env.Logs.DeleteRetentionPolicy(ctx, &logssdk.DeleteRetentionPolicyInput{LogGroupName: aws.String("/nope")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { apitest.WantError(t, tt.call(), tt.code, tt.msg, http.StatusBadRequest) })
	}
	g, err := env.Logs.DescribeLogGroups(ctx, &logssdk.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app")})
	if err != nil || aws.ToInt32(g.LogGroups[0].RetentionInDays) != 1 {
		t.Fatalf("a failed call changed the retention: %+v %v", g, err)
	}
}

func TestDeleteLogStreamAndGroup(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	for _, g := range []string{"/app", "/other"} {
		if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String(g)}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"a", "b"} {
			if _, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String(g), LogStreamName: aws.String(s)}); err != nil {
				t.Fatal(err)
			}
			put(t, env, g, s, ev(now, g+" "+s))
		}
	}
	put(t, env, "/ecs/web", "ecs/web/"+taskA, ev(now, "written"))

	if _, err := env.Logs.DeleteLogStream(ctx, &logssdk.DeleteLogStreamInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b"}, streamNames(t, env, "/app")); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	// A stream of the same name again is a new, empty one.
	if _, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if got := readStream(t, env, "/app", "a"); len(got) != 0 {
		t.Fatalf("a new stream shows the deleted one's events: %v", outputMessages(got))
	}

	if _, err := env.Logs.DeleteLogGroup(ctx, &logssdk.DeleteLogGroupInput{LogGroupName: aws.String("/app")}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Logs.DeleteLogGroup(ctx, &logssdk.DeleteLogGroupInput{LogGroupName: aws.String("/ecs/web")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"/ecs/web", "/fargo/demo", "/other"}, groupNames(t, env)); diff != "" {
		t.Fatalf("groups (-want +got):\n%s", diff)
	}
	// What was written to the container's stream went with the group; the output stays.
	if diff := cmp.Diff([]string{"a1", "a2", "a3 ERROR disk full"}, outputMessages(readStream(t, env, "/ecs/web", "ecs/web/"+taskA))); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	ids, err := env.Events.IDs()
	if err != nil || len(ids) != 2 {
		t.Fatalf("event files left: %v %v (want those of /other only)", ids, err)
	}

	tests := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"stream gone", func() error {
			_, err := env.Logs.DeleteLogStream(ctx, &logssdk.DeleteLogStreamInput{LogGroupName: aws.String("/other"), LogStreamName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "The specified log stream does not exist."},
		{"group gone", func() error {
			_, err := env.Logs.DeleteLogGroup(ctx, &logssdk.DeleteLogGroupInput{LogGroupName: aws.String("/app")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
		{"read a deleted group", func() error {
			_, err := env.Logs.GetLogEvents(ctx, &logssdk.GetLogEventsInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String("b")})
			return err
		}, "ResourceNotFoundException", "The specified log group does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { apitest.WantError(t, tt.call(), tt.code, tt.msg, http.StatusBadRequest) })
	}
	if diff := cmp.Diff([]string{"a", "b"}, streamNames(t, env, "/other")); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// onlyID returns the id of the one stream with written events.
func onlyID(t *testing.T, env *logsapitest.Env) string {
	t.Helper()
	ids, err := env.Events.IDs()
	if err != nil || len(ids) != 1 {
		t.Fatalf("ids %v %v", ids, err)
	}
	return ids[0]
}
