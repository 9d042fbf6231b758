package daemon

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api"
)

func TestAuditLogWritesAndFilters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	t0 := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	writeAudit(t, dir, auditLimits{},
		api.Record{Time: t0, RequestID: "1", Principal: "arn:aws:iam::000000000000:user/ci", Service: "ecs", Operation: "UpdateService", Allowed: true},
		api.Record{Time: t0.Add(time.Minute), RequestID: "2", Principal: "arn:aws:iam::000000000000:user/dev/ci", Service: "ecs", Operation: "DeleteCluster", ErrorCode: "AccessDeniedException"},
		api.Record{Time: t0.Add(2 * time.Minute), RequestID: "3", Principal: "arn:aws:iam::000000000000:root", Service: "iam", Operation: "CreateUser", Allowed: true})
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

func TestAuditLogRotatesBySize(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const maxBytes = 600
	t0 := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	const n = 40
	records := make([]api.Record, n)
	for i := range records {
		records[i] = api.Record{Time: t0.Add(time.Duration(i) * time.Second), RequestID: fmt.Sprintf("r%02d", i), Service: "ecs", Operation: "ListClusters", Allowed: true}
	}
	writeAudit(t, dir, auditLimits{MaxBytes: maxBytes, Keep: 2}, records...)
	names, err := filepath.Glob(filepath.Join(dir, AuditFile+"*"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{AuditFile, AuditFile + ".1", AuditFile + ".2"}
	var got []string
	for _, name := range names {
		got = append(got, filepath.Base(name))
		st, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > maxBytes+200 { // a file ends with the record that crossed the limit
			t.Errorf("%s has %d bytes, the limit is %d", name, st.Size(), maxBytes)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("files %v, want %v (two rotated ones kept)", got, want)
	}
	var out bytes.Buffer
	if err := ReadAudit(dir, AuditFilter{}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 3 || len(lines) >= n {
		t.Fatalf("%d records read of %d written: rotation kept too few or dropped none", len(lines), n)
	}
	for i, line := range lines {
		// The newest records, oldest first, without a gap, up to the last one written.
		if wantID := fmt.Sprintf(`"requestId":"r%02d"`, n-len(lines)+i); !strings.Contains(line, wantID) {
			t.Fatalf("record %d is %s, want %s", i, line, wantID)
		}
	}
	// Reopening appends to the current file, whose size counts toward the next rotation.
	b, err := openAuditLog(dir, auditLimits{MaxBytes: maxBytes, Keep: 2}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.f.Close() }()
	if st, _ := os.Stat(filepath.Join(dir, AuditFile)); b.size != st.Size() {
		t.Errorf("reopened at size %d, the file has %d", b.size, st.Size())
	}
}

// writeAudit writes records through an audit log of dir with limits, and stops it.
func writeAudit(t *testing.T, dir string, limits auditLimits, records ...api.Record) {
	t.Helper()
	a, err := openAuditLog(dir, limits, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	for _, r := range records {
		a.Record(r)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
