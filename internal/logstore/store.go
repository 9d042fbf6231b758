package logstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/logs"
)

// Config says where and how a Store keeps events.
type Config struct {
	// Dir holds one directory per stream. Open creates it.
	Dir string
	// SegmentBytes is the size at which a stream's head is sealed into a sorted run; 1 MiB
	// when zero. Reads load the head whole, so it bounds their memory.
	SegmentBytes int64
	// FrameBytes is the size of the frames of a run, the unit a read decodes; 64 KiB when zero.
	FrameBytes int
}

func (c Config) withDefaults() (Config, error) {
	if c.Dir == "" {
		return c, errors.New("logstore: no directory")
	}
	if c.SegmentBytes <= 0 {
		c.SegmentBytes = 1 << 20
	}
	if c.FrameBytes <= 0 {
		c.FrameBytes = 64 << 10
	}
	return c, nil
}

// Store keeps the events of log streams in files. It is safe for concurrent use; the events of
// one stream are written one batch at a time.
type Store struct {
	cfg Config

	mu sync.Mutex
	// streams are the streams touched since Open, deleted ones included (as tombstones, so
	// that a write racing with a delete fails instead of bringing the files back).
	streams map[string]*stream
}

// Open returns a Store over cfg.Dir, creating it (mode 0700) if needed.
func Open(cfg Config) (*Store, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("create log event directory: %w", err)
	}
	return &Store{cfg: cfg, streams: map[string]*stream{}}, nil
}

// stream returns the stream with id, which must be a name the store could have given: 1 to 64
// lowercase letters, digits and '-'.
func (s *Store) stream(id string) (*stream, error) {
	if !validID(id) {
		return nil, errdefs.InvalidArgument("logstore: invalid stream id %q", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.streams[id]
	if st == nil {
		st = &stream{id: id, dir: s.cfg.Dir + string(os.PathSeparator) + id, cfg: s.cfg}
		s.streams[id] = st
	}
	return st, nil
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// IDs returns the ids of the streams that have files.
func (s *Store) IDs() ([]string, error) {
	entries, err := os.ReadDir(s.cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("list log streams: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && validID(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}

// Append writes events (in the order given, which PutLogEvents checked is chronological) to
// stream id as one batch ingested at ingest (milliseconds since the epoch), durably, and
// returns the stream's next sequence number (also for no events, which write nothing). A write
// to a deleted stream fails with an error of kind errdefs.ErrNotFound.
func (s *Store) Append(id string, events []logs.Event, ingest int64) (uint64, error) {
	st, err := s.stream(id)
	if err != nil {
		return 0, err
	}
	if len(events) > 0 {
		if err := st.append(events, ingest); err != nil {
			return 0, err
		}
	} else if err := st.ensureLoaded(); err != nil {
		return 0, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.nextSeq, nil
}

// Delete removes the events of stream id. Writes to it fail afterwards.
func (s *Store) Delete(id string) error {
	st, err := s.stream(id)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := os.RemoveAll(st.dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete the events of stream %s: %w", id, err)
	}
	st.deleted, st.loaded = true, true
	st.head, st.runs = summary{}, nil
	return nil
}

// Stats describes what a stream holds.
type Stats struct {
	// Count is the number of events kept, expired ones not yet removed included.
	Count int
	// First and Last are the earliest and latest event times, LastIngest the latest time an
	// event was written, in milliseconds since the epoch; all 0 when Count is 0.
	First, Last, LastIngest int64
	// Bytes is the size of the stream's files.
	Bytes int64
}

// Stats returns what stream id holds.
func (s *Store) Stats(id string) (Stats, error) {
	st, err := s.stream(id)
	if err != nil {
		return Stats{}, err
	}
	if err := st.ensureLoaded(); err != nil {
		return Stats{}, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	sum := st.head
	for _, r := range st.runs {
		sum.merge(r.sum)
	}
	if sum.count == 0 {
		return Stats{Bytes: sum.size}, nil
	}
	return Stats{Count: sum.count, First: sum.minTime, Last: sum.maxTime, LastIngest: sum.maxIngest, Bytes: sum.size}, nil
}
