package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fargohq/fargo/internal/api"
)

// AuditFile is the audit log's file in the data directory: one JSON object per API call.
const AuditFile = "audit.log"

// auditSync is how often the audit log is flushed and synced to disk.
const auditSync = time.Second

// auditLog appends the record of every API call to <data-dir>/audit.log. Record never blocks
// the call: records queue in memory and one goroutine writes them through a buffer, flushed
// and synced every auditSync; when the queue is full a record is dropped and counted.
type auditLog struct {
	f       *os.File
	queue   chan api.Record
	dropped atomic.Int64
	log     *slog.Logger
}

func openAuditLog(dataDir string, log *slog.Logger) (*auditLog, error) {
	f, err := os.OpenFile(filepath.Join(dataDir, AuditFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open audit log: %w", err)
	}
	return &auditLog{f: f, queue: make(chan api.Record, 8192), log: log}, nil
}

// Record implements api.Deps.Audit.
func (a *auditLog) Record(r api.Record) {
	select {
	case a.queue <- r:
	default:
		a.dropped.Add(1)
	}
}

// Run writes queued records until ctx ends, then writes what is queued and closes the file.
func (a *auditLog) Run(ctx context.Context) error {
	w := bufio.NewWriterSize(a.f, 64<<10)
	enc := json.NewEncoder(w)
	tick := time.NewTicker(auditSync)
	defer tick.Stop()
	dirty := false
	sync := func() {
		if n := a.dropped.Swap(0); n > 0 {
			a.log.Warn("audit log queue full: records dropped", "dropped", n)
		}
		if !dirty {
			return
		}
		if err := w.Flush(); err != nil {
			a.log.Error("write audit log", "err", err)
		} else if err := a.f.Sync(); err != nil {
			a.log.Error("sync audit log", "err", err)
		}
		dirty = false
	}
	for {
		select {
		case r := <-a.queue:
			if err := enc.Encode(r); err != nil {
				a.log.Error("encode audit record", "err", err)
			}
			dirty = true
		case <-tick.C:
			sync()
		case <-ctx.Done():
		drain:
			for {
				select {
				case r := <-a.queue:
					_ = enc.Encode(r)
					dirty = true
				default:
					break drain
				}
			}
			sync()
			return a.f.Close()
		}
	}
}

// AuditFilter selects audit records: every set field must match.
type AuditFilter struct {
	// User matches the principal's ARN, or an IAM user's name (the part after ":user/", with
	// or without a path).
	User string
	// Operation matches "Operation" or "service:Operation", case-insensitively.
	Operation string
	// Since keeps records at or after it.
	Since time.Time
}

func (f AuditFilter) match(r api.Record) bool {
	if f.User != "" && r.Principal != f.User {
		_, name, ok := strings.Cut(r.Principal, ":user/")
		if !ok || (name != f.User && !strings.HasSuffix(name, "/"+f.User)) {
			return false
		}
	}
	if f.Operation != "" && !strings.EqualFold(f.Operation, r.Operation) && !strings.EqualFold(f.Operation, r.Service+":"+r.Operation) {
		return false
	}
	return f.Since.IsZero() || !r.Time.Before(f.Since)
}

// ReadAudit writes the records of the audit log of dataDir that f selects to w, as JSON lines,
// oldest first. A data directory without an audit log has none.
func ReadAudit(dataDir string, f AuditFilter, w io.Writer) error {
	in, err := os.Open(filepath.Join(dataDir, AuditFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	out := bufio.NewWriter(w)
	for sc.Scan() {
		var r api.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			// A line cut short by a crash: the next starts a new record.
			continue
		}
		if !f.match(r) {
			continue
		}
		if _, err := out.Write(append(sc.Bytes(), '\n')); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	return out.Flush()
}
