package console_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/fargohq/fargo/internal/console"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// TestEventStreamFollowsTheStore: the stream says "change" when it opens and again when any
// writer (here an API client) changes a watched collection.
func TestEventStreamFollowsTheStore(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	// A stream that misses the change must fail the test, not hang it.
	streamCtx, cancel := context.WithTimeout(ctx(t), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(streamCtx, http.MethodGet, e.URL+"/events?watch=services,deployments", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wantStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	events := bufio.NewScanner(resp.Body)
	next := func() string {
		t.Helper()
		for events.Scan() {
			if name, ok := strings.CutPrefix(events.Text(), "event: "); ok {
				return name
			}
		}
		t.Fatalf("stream ended: %v", events.Err())
		return ""
	}
	if got := next(); got != "change" {
		t.Fatalf("first event %q, want change", got)
	}
	if _, err := e.ECS.UpdateService(ctx(t), &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int32(4)}); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != "change" {
		t.Fatalf("event after UpdateService %q, want change", got)
	}
}

// TestTaskLogsFollow: the task page's log stream sends the container's earlier lines and then
// each new one, read from the runtime driver (the fake driver, which passes the drivers'
// conformance suite).
func TestTaskLogsFollow(t *testing.T) {
	t.Parallel()
	drv := fake.New(fake.Config{Scripts: map[string]fake.Script{"web:1": {Output: []fake.Line{
		{Text: "listening on 8080"}, {After: time.Hour, Text: "much later"},
	}}}})
	e := start(t, func(d *console.Deps) { d.Logs = drv })
	b := e.signedIn(t)
	seed(t, b)
	_, id := e.runTask(t, "web:1")
	if _, err := drv.Start(ctx(t), runtime.ContainerSpec{ID: id + "-app", Image: "web:1"}); err != nil {
		t.Fatal(err)
	}
	resp, body := b.get("/clusters/demo/tasks/" + id)
	wantStatus(t, resp, http.StatusOK)
	wantContains(t, body, `data-logs="/clusters/demo/tasks/`+id+`/logs?container=app"`)

	req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, e.URL+"/clusters/demo/tasks/"+id+"/logs?container=app", nil)
	if err != nil {
		t.Fatal(err)
	}
	stream, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	wantStatus(t, stream, http.StatusOK)
	lines := bufio.NewScanner(stream.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "data: ") {
			if !strings.Contains(lines.Text(), `"x":"listening on 8080"`) {
				t.Fatalf("first line %q", lines.Text())
			}
			return
		}
	}
	t.Fatalf("stream ended without a line: %v", lines.Err())
}
