package console_test

import (
	"bufio"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
)

// TestEventStreamFollowsTheStore: the stream says "change" when it opens and again when any
// writer (here an API client) changes a watched collection.
func TestEventStreamFollowsTheStore(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	seed(t, b)
	req, err := http.NewRequestWithContext(ctx(t), http.MethodGet, e.URL+"/events?watch=services,deployments", nil)
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
