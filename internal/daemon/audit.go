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
// and synced every auditSync; when the queue is full a record is dropped and counted. The file
// is rotated by size (audit_rotate.go), so it never grows without bound.
type auditLog struct {
	path    string
	limits  auditLimits
	f       *os.File
	size    int64 // of f, as written
	queue   chan api.Record
	dropped atomic.Int64
	log     *slog.Logger
}

func openAuditLog(dataDir string, limits auditLimits, log *slog.Logger) (*auditLog, error) {
	a := &auditLog{path: filepath.Join(dataDir, AuditFile), limits: limits.withDefaults(), queue: make(chan api.Record, 8192), log: log}
	if err := a.open(); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *auditLog) open() error {
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open audit log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("open audit log: %w", err)
	}
	a.f, a.size = f, st.Size()
	return nil
}

// Write implements io.Writer for the buffer: it writes to the current file and counts.
func (a *auditLog) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	a.size += int64(n)
	return n, err
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
	w := &auditWriter{log: a, buf: bufio.NewWriterSize(a, 64<<10)}
	w.enc = json.NewEncoder(w.buf)
	tick := time.NewTicker(auditSync)
	defer tick.Stop()
	for {
		select {
		case r := <-a.queue:
			w.write(r)
		case <-tick.C:
			w.sync()
		case <-ctx.Done():
			for len(a.queue) > 0 { // Run is the only reader: the receive cannot block
				w.write(<-a.queue)
			}
			w.sync()
			return a.f.Close()
		}
	}
}

// auditWriter is the state of Run: the buffer over the file and whether it holds records
// not yet synced.
type auditWriter struct {
	log   *auditLog
	buf   *bufio.Writer
	enc   *json.Encoder
	dirty bool
}

// write appends r, and rotates the file once it reached its size limit.
func (w *auditWriter) write(r api.Record) {
	a := w.log
	if err := w.enc.Encode(r); err != nil {
		a.log.Error("encode audit record", "err", err)
	}
	w.dirty = true
	if a.size+int64(w.buf.Buffered()) < a.limits.MaxBytes {
		return
	}
	w.sync()
	if err := a.rotate(); err != nil {
		// Keep appending to the file we have; the next record tries again.
		a.log.Error("rotate audit log", "err", err)
	}
}

// sync flushes and syncs what was written, and reports dropped records.
func (w *auditWriter) sync() {
	a := w.log
	if n := a.dropped.Swap(0); n > 0 {
		a.log.Warn("audit log queue full: records dropped", "dropped", n)
	}
	if !w.dirty {
		return
	}
	if err := w.buf.Flush(); err != nil {
		a.log.Error("write audit log", "err", err)
	} else if err := a.f.Sync(); err != nil {
		a.log.Error("sync audit log", "err", err)
	}
	w.dirty = false
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
// oldest first: the rotated files, then the current one. A data directory without an audit log
// has none. A rotation while it reads may show a few records twice or not at all.
func ReadAudit(dataDir string, f AuditFilter, w io.Writer) error {
	out := bufio.NewWriter(w)
	for _, path := range auditFiles(filepath.Join(dataDir, AuditFile)) {
		if err := readAuditFile(path, f, out); err != nil {
			return err
		}
	}
	return out.Flush()
}

func readAuditFile(path string, f AuditFilter, out *bufio.Writer) error {
	in, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
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
		return fmt.Errorf("read audit log %s: %w", filepath.Base(path), err)
	}
	return nil
}
