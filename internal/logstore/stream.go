package logstore

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/fsutil"
	"github.com/fargohq/fargo/internal/logs"
)

// The files of a stream's directory.
const (
	headName   = "head.log"
	runPrefix  = "run-"
	runSuffix  = ".log"
	tempSuffix = ".tmp"
)

// errDeleted is what a write to a deleted stream returns.
var errDeleted = errdefs.NotFound("the log stream was deleted")

// stream is one stream's files and what is known of them. mu guards everything; appends,
// seals, expiry and deletion hold it for writing, reads only while they pick their files.
type stream struct {
	id  string
	dir string
	cfg Config

	mu      sync.RWMutex
	loaded  bool
	deleted bool
	nextSeq uint64
	head    summary
	runs    []run // oldest seal first
}

// summary describes the events of a file.
type summary struct {
	count                       int
	minTime, maxTime, maxIngest int64
	maxSeq                      uint64
	size                        int64 // of the file
}

func (s *summary) add(h header) {
	if s.count == 0 {
		s.minTime, s.maxTime, s.maxIngest = math.MaxInt64, math.MinInt64, math.MinInt64
	}
	s.count += int(h.count)
	s.minTime, s.maxTime = min(s.minTime, h.minTime), max(s.maxTime, h.maxTime)
	s.maxIngest, s.maxSeq = max(s.maxIngest, h.maxIngest), max(s.maxSeq, h.maxSeq)
	s.size += h.size()
}

func (s *summary) merge(o summary) {
	size := s.size + o.size
	if o.count > 0 {
		if s.count == 0 {
			*s = o
		} else {
			s.count += o.count
			s.minTime, s.maxTime = min(s.minTime, o.minTime), max(s.maxTime, o.maxTime)
			s.maxIngest, s.maxSeq = max(s.maxIngest, o.maxIngest), max(s.maxSeq, o.maxSeq)
		}
	}
	s.size = size
}

// run is a sealed segment: its events sorted by (time, sequence) in frames of about
// FrameBytes, each frame's time range after the previous one's.
type run struct {
	name   string
	frames []frameRef
	sum    summary
}

type frameRef struct {
	off int64
	h   header
}

// ensureLoaded reads what the stream's files hold the first time the stream is used.
func (st *stream) ensureLoaded() error {
	st.mu.RLock()
	loaded := st.loaded
	st.mu.RUnlock()
	if loaded {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.load()
}

// load reads the stream's files (st.mu held for writing): it removes temporary files of an
// interrupted seal or expiry, indexes the runs, cuts a torn frame off the head, and removes a
// head that a seal already turned into a run before a crash.
func (st *stream) load() error {
	if st.loaded {
		return nil
	}
	entries, err := os.ReadDir(st.dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read stream %s: %w", st.id, err)
	}
	var runs []run
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, tempSuffix):
			if err := os.Remove(filepath.Join(st.dir, name)); err != nil {
				return fmt.Errorf("remove %s: %w", name, err)
			}
		case strings.HasPrefix(name, runPrefix) && strings.HasSuffix(name, runSuffix):
			r, err := indexRun(filepath.Join(st.dir, name))
			if err != nil {
				return fmt.Errorf("stream %s: %w", st.id, err)
			}
			runs = append(runs, r)
		}
	}
	slices.SortFunc(runs, func(a, b run) int { return strings.Compare(a.name, b.name) })
	head, err := st.loadHead()
	if err != nil {
		return err
	}
	var sealed uint64
	for _, r := range runs {
		sealed = max(sealed, r.sum.maxSeq)
	}
	if head.count > 0 && head.maxSeq <= sealed {
		if err := os.Remove(st.headPath()); err != nil {
			return fmt.Errorf("remove the sealed head of stream %s: %w", st.id, err)
		}
		head = summary{}
	}
	st.runs, st.head = runs, head
	st.nextSeq = max(sealed, head.maxSeq) + 1
	st.loaded = true
	return nil
}

func (st *stream) headPath() string { return filepath.Join(st.dir, headName) }

// loadHead returns the summary of the head's whole frames and truncates what follows them.
func (st *stream) loadHead() (summary, error) {
	b, err := os.ReadFile(st.headPath())
	if errors.Is(err, fs.ErrNotExist) {
		return summary{}, nil
	}
	if err != nil {
		return summary{}, fmt.Errorf("read the head of stream %s: %w", st.id, err)
	}
	_, headers, valid := scanFrames(b)
	if valid < len(b) {
		if err := truncateFile(st.headPath(), int64(valid)); err != nil {
			return summary{}, fmt.Errorf("cut a torn write off stream %s: %w", st.id, err)
		}
	}
	var sum summary
	for _, h := range headers {
		sum.add(h)
	}
	return sum, nil
}

func truncateFile(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// indexRun reads the frame headers of a run.
func indexRun(path string) (run, error) {
	f, err := os.Open(path)
	if err != nil {
		return run{}, err
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	info, err := f.Stat()
	if err != nil {
		return run{}, err
	}
	r := run{name: filepath.Base(path)}
	buf := make([]byte, headerSize)
	for off := int64(0); off < info.Size(); {
		if _, err := f.ReadAt(buf, off); err != nil {
			return run{}, fmt.Errorf("run %s: header at %d: %w", r.name, off, err)
		}
		h, err := parseHeader(buf)
		if err != nil || off+h.size() > info.Size() {
			return run{}, fmt.Errorf("run %s: damaged frame at %d", r.name, off)
		}
		r.frames = append(r.frames, frameRef{off: off, h: h})
		r.sum.add(h)
		off += h.size()
	}
	return r, nil
}

// append writes events as one frame at the end of the head and fsyncs it. A head that reached
// SegmentBytes is sealed first, so that the head stays small.
func (st *stream) append(events []logs.Event, ingest int64) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return err
	}
	if st.deleted {
		return errDeleted
	}
	if st.head.size >= st.cfg.SegmentBytes {
		if err := st.seal(); err != nil {
			return err
		}
	}
	batch := make([]Event, len(events))
	for i, e := range events {
		batch[i] = Event{Time: e.Timestamp, Ingest: ingest, Seq: st.nextSeq + uint64(i), Message: e.Message}
	}
	frame := appendFrame(nil, batch)
	if err := st.writeHead(frame); err != nil {
		return fmt.Errorf("append to stream %s: %w", st.id, err)
	}
	h, _ := parseHeader(frame)
	st.head.add(h)
	st.nextSeq += uint64(len(events))
	return nil
}

// writeHead appends frame to the head file durably; on failure it cuts the file back.
func (st *stream) writeHead(frame []byte) error {
	created := false
	if st.head.size == 0 {
		if err := os.MkdirAll(st.dir, 0o700); err != nil {
			return err
		}
		created = true
	}
	f, err := os.OpenFile(st.headPath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(frame); err != nil {
		_ = f.Truncate(st.head.size)
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Truncate(st.head.size)
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if created {
		if err := syncDir(st.dir); err != nil {
			return err
		}
		return syncDir(filepath.Dir(st.dir))
	}
	return nil
}

// seal sorts the head into a new run (st.mu held for writing). The run is complete on disk
// before the head goes; load removes a head that a run already holds.
func (st *stream) seal() error {
	if st.head.count == 0 {
		return nil
	}
	b, err := os.ReadFile(st.headPath())
	if err != nil {
		return fmt.Errorf("seal stream %s: %w", st.id, err)
	}
	frames, _, _ := scanFrames(b)
	var events []Event
	for _, f := range frames {
		events = append(events, f...)
	}
	slices.SortFunc(events, compareEvents)
	name := fmt.Sprintf("%s%020d%s", runPrefix, st.head.maxSeq, runSuffix)
	r, err := st.writeRun(name, func(emit func(Event) error) error {
		for _, e := range events {
			if err := emit(e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seal stream %s: %w", st.id, err)
	}
	if err := os.Remove(st.headPath()); err != nil {
		return fmt.Errorf("seal stream %s: %w", st.id, err)
	}
	if err := syncDir(st.dir); err != nil {
		return err
	}
	st.runs = append(st.runs, r)
	st.head = summary{}
	return nil
}

// writeRun writes the events that fill gives, in order, as run name: a temporary file, fsynced
// and renamed into place. A run that would be empty is removed instead.
func (st *stream) writeRun(name string, fill func(emit func(Event) error) error) (run, error) {
	path := filepath.Join(st.dir, name)
	tmp := path + tempSuffix
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return run{}, err
	}
	defer func() { _ = os.Remove(tmp) }()
	r := run{name: name}
	var pending []Event
	size := 0
	var off int64
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		frame := appendFrame(nil, pending)
		if _, err := f.Write(frame); err != nil {
			return err
		}
		h, _ := parseHeader(frame)
		r.frames = append(r.frames, frameRef{off: off, h: h})
		r.sum.add(h)
		off += h.size()
		pending, size = pending[:0], 0
		return nil
	}
	err = fill(func(e Event) error {
		pending = append(pending, e)
		if size += len(e.Message) + 32; size >= st.cfg.FrameBytes {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return run{}, err
	}
	if r.sum.count == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return run{}, err
		}
		return r, syncDir(st.dir)
	}
	if err := os.Rename(tmp, path); err != nil {
		return run{}, err
	}
	return r, syncDir(st.dir)
}

// syncDir makes the creation, rename or removal of a file in dir durable.
func syncDir(dir string) error { return fsutil.SyncDir(dir) }
