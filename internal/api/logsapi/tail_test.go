package logsapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	logssdk "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
)

// follower polls a group with FilterLogEvents the way "aws logs tail --follow" (CLI v2) does:
// page through, then poll again from the newest timestamp seen, skipping the events of that
// timestamp it already printed by their eventId.
type follower struct {
	env   *logsapitest.Env
	group string
	start int64
	seen  map[string]bool // event ids at start
}

func (f *follower) poll(t *testing.T) []string {
	t.Helper()
	in := &logssdk.FilterLogEventsInput{LogGroupName: aws.String(f.group), StartTime: aws.Int64(f.start)}
	var out []string
	for {
		page, err := f.env.Logs.FilterLogEvents(logsapitest.Context(t), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Events {
			id := aws.ToString(e.EventId)
			if aws.ToInt64(e.Timestamp) == f.start && f.seen[id] {
				continue
			}
			if ts := aws.ToInt64(e.Timestamp); ts != f.start {
				f.start, f.seen = ts, map[string]bool{}
			}
			f.seen[id] = true
			out = append(out, aws.ToString(e.LogStreamName)+": "+aws.ToString(e.Message))
		}
		if page.NextToken == nil {
			return out
		}
		in.NextToken = page.NextToken
	}
}

// TestTailFollow writes to two streams between polls, several events at the same millisecond
// across calls among them, and checks that the follower prints each event once, in order.
func TestTailFollow(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	if _, err := env.Logs.CreateLogGroup(ctx, &logssdk.CreateLogGroupInput{LogGroupName: aws.String("/app")}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"a", "b"} {
		if _, err := env.Logs.CreateLogStream(ctx, &logssdk.CreateLogStreamInput{LogGroupName: aws.String("/app"), LogStreamName: aws.String(s)}); err != nil {
			t.Fatal(err)
		}
	}
	f := &follower{env: env, group: "/app", start: ms(now.Add(-time.Minute)), seen: map[string]bool{}}
	if got := f.poll(t); len(got) != 0 {
		t.Fatalf("before any write: %v", got)
	}
	var want, got []string
	for round := range 5 {
		at := now.Add(time.Duration(round/2) * time.Second) // two rounds share each second
		for _, s := range []string{"b", "a"} {
			var events []types.InputLogEvent
			for i := range 3 {
				msg := fmt.Sprintf("r%d-%d", round, i)
				events = append(events, ev(at, msg))
			}
			put(t, env, "/app", s, events...)
		}
		for _, s := range []string{"a", "b"} {
			for i := range 3 {
				want = append(want, fmt.Sprintf("%s: r%d-%d", s, round, i))
			}
		}
		got = append(got, f.poll(t)...)
		if extra := f.poll(t); len(extra) != 0 {
			t.Fatalf("round %d: a poll with nothing new printed %v", round, extra)
		}
	}
	// Each round's events come once, those of a millisecond ordered by stream, then by the
	// order written, though the same millisecond was polled before.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestGetLogEventsFollowsWrites polls a written stream with nextForwardToken, as "fargo logs
// --follow" and SDK tailers do: the token stays put while nothing is new and then yields
// exactly the new events, those written at an instant already read included.
func TestGetLogEventsFollowsWrites(t *testing.T) {
	t.Parallel()
	env, c := writeFixture(t)
	ctx := logsapitest.Context(t)
	now := c.Now()
	createStream(t, env, "/app", "s")
	get := func(token *string) *logssdk.GetLogEventsOutput {
		t.Helper()
		out, err := env.Logs.GetLogEvents(ctx, &logssdk.GetLogEventsInput{
			LogGroupName: aws.String("/app"), LogStreamName: aws.String("s"), NextToken: token, StartFromHead: aws.Bool(true),
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	first := get(nil)
	put(t, env, "/app", "s", ev(now, "1"), ev(now, "2"))
	second := get(first.NextForwardToken)
	if diff := cmp.Diff([]string{"1", "2"}, outputMessages(second.Events)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
	idle := get(second.NextForwardToken)
	if len(idle.Events) != 0 || aws.ToString(idle.NextForwardToken) != aws.ToString(second.NextForwardToken) {
		t.Fatalf("idle poll %+v", idle)
	}
	put(t, env, "/app", "s", ev(now, "3"), ev(now.Add(time.Millisecond), "4"))
	if diff := cmp.Diff([]string{"3", "4"}, outputMessages(get(idle.NextForwardToken).Events)); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}
