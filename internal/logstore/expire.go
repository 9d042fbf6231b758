package logstore

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Expire removes the events of stream id older than before (milliseconds since the epoch)
// from its files: runs wholly older go, runs and a head that straddle before are rewritten
// without them (a temporary file renamed into place).
func (s *Store) Expire(id string, before int64) error {
	st, err := s.stream(id)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.load(); err != nil {
		return err
	}
	if st.deleted {
		return nil
	}
	if err := st.expire(before); err != nil {
		st.loaded = false // the files are whole, the summaries may not be: read them again
		return fmt.Errorf("expire events of stream %s: %w", id, err)
	}
	return nil
}

func (st *stream) expire(before int64) error {
	changed := false
	kept := st.runs[:0:0]
	for _, r := range st.runs {
		switch {
		case r.sum.count == 0 || r.sum.maxTime < before:
			if err := os.Remove(filepath.Join(st.dir, r.name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			changed = true
		case r.sum.minTime < before:
			nr, err := st.rewriteRun(r, before)
			if err != nil {
				return err
			}
			if nr.sum.count > 0 {
				kept = append(kept, nr)
			}
		default:
			kept = append(kept, r)
		}
	}
	st.runs = kept
	if st.head.count > 0 && st.head.minTime < before {
		if err := st.rewriteHead(before); err != nil {
			return err
		}
	}
	if changed {
		return syncDirIfExists(st.dir)
	}
	return nil
}

func syncDirIfExists(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return syncDir(dir)
}

// rewriteRun writes r again without the events older than before, reading one frame at a time.
func (st *stream) rewriteRun(r run, before int64) (run, error) {
	f, err := os.Open(filepath.Join(st.dir, r.name))
	if err != nil {
		return run{}, err
	}
	defer func() { _ = f.Close() }() // read only: nothing to lose
	return st.writeRun(r.name, func(emit func(Event) error) error {
		for _, ref := range r.frames {
			if ref.h.maxTime < before {
				continue
			}
			events, err := readFrame(f, ref.off, ref.h.size())
			if err != nil {
				return err
			}
			for _, e := range events {
				if e.Time >= before {
					if err := emit(e); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// rewriteHead writes the head again without the events older than before, keeping each
// batch's frame (without its expired events) in the order written.
func (st *stream) rewriteHead(before int64) error {
	b, err := os.ReadFile(st.headPath())
	if err != nil {
		return err
	}
	frames, _, _ := scanFrames(b)
	var out []byte
	var sum summary
	for _, events := range frames {
		var keep []Event
		for _, e := range events {
			if e.Time >= before {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 {
			continue
		}
		start := len(out)
		out = appendFrame(out, keep)
		h, _ := parseHeader(out[start:])
		sum.add(h)
	}
	if len(out) == 0 {
		if err := os.Remove(st.headPath()); err != nil {
			return err
		}
		st.head = summary{}
		return syncDir(st.dir)
	}
	if err := writeFileSynced(st.headPath()+tempSuffix, out); err != nil {
		return err
	}
	if err := os.Rename(st.headPath()+tempSuffix, st.headPath()); err != nil {
		return err
	}
	st.head = sum
	return syncDir(st.dir)
}

func writeFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
