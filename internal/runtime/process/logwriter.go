package process

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// maxEntry is the longest text of one log entry; a longer line is split into several entries.
const maxEntry = 16 << 10

// formatEntry renders one log entry: "<RFC 3339 time, UTC> <stream> <text>\n".
func formatEntry(buf []byte, t time.Time, stream string, text []byte) []byte {
	buf = t.UTC().AppendFormat(buf, time.RFC3339Nano)
	buf = append(buf, ' ')
	buf = append(buf, stream...)
	buf = append(buf, ' ')
	buf = append(buf, text...)
	return append(buf, '\n')
}

// logWriter appends entries to a container's log file and rotates it by size: log becomes
// log.1, log.1 becomes log.2, and so on; the oldest beyond maxFiles is deleted.
type logWriter struct {
	dir      string
	maxBytes int64
	maxFiles int
	now      func() time.Time

	mu   sync.Mutex
	f    *os.File
	size int64
	buf  []byte
}

func openLogWriter(dir string, maxBytes int64, maxFiles int, now func() time.Time) (*logWriter, error) {
	w := &logWriter{dir: dir, maxBytes: maxBytes, maxFiles: max(maxFiles, 1), now: now}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *logWriter) open() error {
	f, err := os.OpenFile(filepath.Join(w.dir, logFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return err
	}
	w.f, w.size = f, st.Size()
	return nil
}

// write appends one entry; text has no newline.
func (w *logWriter) write(stream string, text []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = formatEntry(w.buf[:0], w.now(), stream, text)
	if w.size > 0 && w.size+int64(len(w.buf)) > w.maxBytes {
		if err := w.rotate(); err != nil {
			return err
		}
	}
	// One write per entry, so a reader sees whole lines.
	n, err := w.f.Write(w.buf)
	w.size += int64(n)
	return err
}

func (w *logWriter) rotate() error {
	if err := w.f.Close(); err != nil {
		return err
	}
	path := filepath.Join(w.dir, logFile)
	if w.maxFiles == 1 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return w.open()
	}
	_ = os.Remove(path + "." + strconv.Itoa(w.maxFiles-1))
	for i := w.maxFiles - 2; i >= 1; i-- {
		err := os.Rename(path+"."+strconv.Itoa(i), path+"."+strconv.Itoa(i+1))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(path, path+".1"); err != nil {
		return err
	}
	return w.open()
}

func (w *logWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.f.Close()
}

// copyLines writes every line read from r as an entry of stream, until r ends. It reads on
// when writing fails (a full disk), so that the container never blocks on its output, and
// returns the first write error.
func (w *logWriter) copyLines(r io.Reader, stream string) error {
	br := bufio.NewReaderSize(r, maxEntry)
	var werr error
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 {
			text := line
			if text[len(text)-1] == '\n' {
				text = text[:len(text)-1]
			}
			if err := w.write(stream, text); err != nil && werr == nil {
				werr = fmt.Errorf("write %s log: %w", stream, err)
			}
		}
		switch {
		case err == nil, errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			return werr
		default:
			return errors.Join(werr, err)
		}
	}
}
