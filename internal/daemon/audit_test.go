package daemon

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api"
)

func TestAuditLogWritesAndFilters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := openAuditLog(dir, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t0 := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	a.Record(api.Record{Time: t0, RequestID: "1", Principal: "arn:aws:iam::000000000000:user/ci", Service: "ecs", Operation: "UpdateService", Allowed: true})
	a.Record(api.Record{Time: t0.Add(time.Minute), RequestID: "2", Principal: "arn:aws:iam::000000000000:user/dev/ci", Service: "ecs", Operation: "DeleteCluster", ErrorCode: "AccessDeniedException"})
	a.Record(api.Record{Time: t0.Add(2 * time.Minute), RequestID: "3", Principal: "arn:aws:iam::000000000000:root", Service: "iam", Operation: "CreateUser", Allowed: true})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		f    AuditFilter
		want string
	}{
		{AuditFilter{}, "123"},
		{AuditFilter{User: "ci"}, "12"},
		{AuditFilter{User: "arn:aws:iam::000000000000:root"}, "3"},
		{AuditFilter{Operation: "ecs:deletecluster"}, "2"},
		{AuditFilter{Operation: "UpdateService"}, "1"},
		{AuditFilter{Since: t0.Add(30 * time.Second)}, "23"},
	} {
		var out bytes.Buffer
		if err := ReadAudit(dir, tc.f, &out); err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			if i := strings.Index(line, `"requestId":"`); i >= 0 {
				got += line[i+len(`"requestId":"`) : i+len(`"requestId":"`)+1]
			}
		}
		if got != tc.want {
			t.Errorf("%+v: records %q, want %q\n%s", tc.f, got, tc.want, out.String())
		}
	}
}
