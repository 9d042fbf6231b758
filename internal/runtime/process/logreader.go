package process

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// followPoll is how often a following reader looks for new output.
const followPoll = 100 * time.Millisecond

// parseEntry parses one entry written by formatEntry, without its newline.
func parseEntry(line []byte) (runtime.LogLine, error) {
	ts, rest, ok1 := bytes.Cut(line, []byte{' '})
	stream, text, ok2 := bytes.Cut(rest, []byte{' '})
	if !ok1 || !ok2 {
		return runtime.LogLine{}, fmt.Errorf("log entry %.40q: want time, stream and text", line)
	}
	t, err := time.Parse(time.RFC3339Nano, string(ts))
	if err != nil {
		return runtime.LogLine{}, fmt.Errorf("log entry %.40q: %w", line, err)
	}
	return runtime.LogLine{Time: t, Stream: string(stream), Text: string(text)}, nil
}

// logFiles returns the names of a container's log files, oldest first: log.N, ..., log.1, log.
func logFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type rotated struct {
		name string
		n    int
	}
	var old []rotated
	current := false
	for _, e := range entries {
		name := e.Name()
		if name == logFile {
			current = true
			continue
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(name, logFile+".")); err == nil && n > 0 && strings.HasPrefix(name, logFile+".") {
			old = append(old, rotated{name, n})
		}
	}
	sort.Slice(old, func(i, j int) bool { return old[i].n > old[j].n })
	var names []string
	for _, r := range old {
		names = append(names, r.name)
	}
	if current {
		names = append(names, logFile)
	}
	return names, nil
}

// logReader reads a container's log files in order and, when following, the lines appended to
// the current file and to the files that replace it when it rotates.
type logReader struct {
	dir     string
	opts    runtime.LogOptions
	queue   []*os.File // files still to read, oldest first
	cur     *os.File
	br      *bufio.Reader
	partial []byte
	pending []runtime.LogLine // the tail, served first
}

var _ runtime.LogReader = (*logReader)(nil)

func openLogReader(dir string, opts runtime.LogOptions) (*logReader, error) {
	r := &logReader{dir: dir, opts: opts, br: bufio.NewReaderSize(nil, 2*maxEntry)}
	files, err := openLogFiles(dir)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		r.queue = append(r.queue, f.f)
	}
	if opts.Tail > 0 {
		if err := r.readTail(); err != nil {
			_ = r.Close() // nil: it closes files only read
			return nil, err
		}
	}
	return r, nil
}

// readTail reads what the files hold now and keeps the last opts.Tail lines to serve first.
func (r *logReader) readTail() error {
	ring := make([]runtime.LogLine, 0, r.opts.Tail)
	for {
		l, ok, err := r.readEntry()
		if err != nil {
			return err
		}
		if !ok {
			r.pending = ring
			return nil
		}
		if r.skip(l) {
			continue
		}
		if len(ring) == r.opts.Tail {
			ring = append(ring[:0], ring[1:]...)
		}
		ring = append(ring, l)
	}
}

func (r *logReader) skip(l runtime.LogLine) bool {
	return !r.opts.Since.IsZero() && l.Time.Before(r.opts.Since)
}

// Next returns the next line, io.EOF at the end, or, when following, waits for one until ctx
// ends or the container's logs are removed.
func (r *logReader) Next(ctx context.Context) (runtime.LogLine, error) {
	for {
		if len(r.pending) > 0 {
			l := r.pending[0]
			r.pending = r.pending[1:]
			return l, nil
		}
		l, ok, err := r.readEntry()
		if err != nil {
			return runtime.LogLine{}, err
		}
		if ok {
			if r.skip(l) {
				continue
			}
			return l, nil
		}
		if !r.opts.Follow {
			return runtime.LogLine{}, io.EOF
		}
		more, err := r.findNewer()
		if err != nil {
			return runtime.LogLine{}, err
		}
		if more {
			continue
		}
		select {
		case <-ctx.Done():
			return runtime.LogLine{}, ctx.Err()
		case <-time.After(followPoll):
		}
	}
}

// readEntry returns the next whole entry, or false at the end of the newest file. Entries that
// do not parse (a crash in the middle of a write) are skipped.
func (r *logReader) readEntry() (runtime.LogLine, bool, error) {
	for {
		if r.cur == nil {
			if len(r.queue) == 0 {
				return runtime.LogLine{}, false, nil
			}
			r.cur, r.queue = r.queue[0], r.queue[1:]
			r.br.Reset(r.cur)
			r.partial = r.partial[:0]
		}
		b, err := r.br.ReadSlice('\n')
		switch {
		case err == nil:
			r.partial = append(r.partial, b[:len(b)-1]...)
			line := r.partial
			r.partial = r.partial[:0] // line's memory, reused for the next one
			if l, perr := parseEntry(line); perr == nil {
				return l, true, nil
			}
		case errors.Is(err, bufio.ErrBufferFull):
			r.partial = append(r.partial, b...)
		case errors.Is(err, io.EOF):
			r.partial = append(r.partial, b...)
			if len(r.queue) == 0 {
				return runtime.LogLine{}, false, nil // the current file: more may come
			}
			_ = r.cur.Close() // a rotated file is complete
			r.cur = nil
		default:
			return runtime.LogLine{}, false, err
		}
	}
}

// findNewer queues the files written after the current one, when it was rotated, and reports
// whether there is anything new to read. It returns io.EOF when the container's logs were
// removed.
func (r *logReader) findNewer() (bool, error) {
	path := filepath.Join(r.dir, logFile)
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(r.dir); errors.Is(derr, os.ErrNotExist) {
			return false, io.EOF
		}
		return false, nil // not created yet, or in the middle of a rotation
	}
	if err != nil {
		return false, err
	}
	if r.cur == nil {
		files, err := openLogFiles(r.dir)
		if err != nil {
			return false, err
		}
		return r.queueFiles(files, 0), nil
	}
	curSt, err := r.cur.Stat()
	if err != nil {
		return false, err
	}
	if os.SameFile(st, curSt) {
		return false, nil
	}
	files, err := openLogFiles(r.dir)
	if err != nil {
		return false, err
	}
	// The current file is now one of the rotated ones, or deleted: every file after it (or,
	// if it is gone, every file) is newer.
	from := 0
	for i, f := range files {
		if os.SameFile(f.st, curSt) {
			from = i + 1
			break
		}
	}
	return r.queueFiles(files, from), nil
}

// queueFiles queues files[from:] to be read and closes the others.
func (r *logReader) queueFiles(files []openLog, from int) bool {
	for i, f := range files {
		if i < from {
			_ = f.f.Close()
			continue
		}
		r.queue = append(r.queue, f.f)
	}
	return len(r.queue) > 0
}

// openLog is an open log file and what it was when opened.
type openLog struct {
	f  *os.File
	st os.FileInfo
}

// openLogFiles opens a container's log files, oldest first, as one consistent set: the writer
// renames them all when it rotates, so a set opened while it rotated (a name that meant one
// file when listed and another when opened) is opened again, lest a file be skipped.
func openLogFiles(dir string) ([]openLog, error) {
	for attempt := 0; ; attempt++ {
		files, consistent, err := tryOpenLogFiles(dir)
		if err != nil || consistent || attempt == 20 {
			return files, err
		}
		for _, f := range files {
			_ = f.f.Close()
		}
		time.Sleep(time.Millisecond)
	}
}

// tryOpenLogFiles opens the listed log files and reports whether each name still names the
// file opened under it, and no file was added, once all were open.
func tryOpenLogFiles(dir string) ([]openLog, bool, error) {
	names, err := logFiles(dir)
	if err != nil {
		return nil, false, err
	}
	consistent := true
	var files []openLog
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			consistent = false // rotated away since the listing
			continue
		}
		if err == nil {
			var st os.FileInfo
			if st, err = f.Stat(); err == nil {
				files = append(files, openLog{f, st})
				continue
			}
			_ = f.Close()
		}
		for _, o := range files {
			_ = o.f.Close()
		}
		return nil, false, err
	}
	if !consistent {
		return files, false, nil
	}
	again, err := logFiles(dir)
	if err != nil || len(again) != len(names) {
		return files, false, err
	}
	for i, name := range names {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || again[i] != name || !os.SameFile(st, files[i].st) {
			return files, false, nil
		}
	}
	return files, true, nil
}

// Close releases the reader's files.
func (r *logReader) Close() error {
	if r.cur != nil {
		_ = r.cur.Close()
		r.cur = nil
	}
	for _, f := range r.queue {
		_ = f.Close()
	}
	r.queue = nil
	return nil
}
