package docker

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/runtime"
)

// Logs reads the container's output through the engine's log API: each line with the time
// the engine recorded and its stream. The request lives as long as ctx.
func (d *Driver) Logs(ctx context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error) {
	if _, ok := d.failedStart(id); ok {
		return newLogReader(io.NopCloser(strings.NewReader(""))), nil
	}
	if _, err := d.inspect(ctx, id); err != nil {
		return nil, err
	}
	req := client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Timestamps: true, Follow: opts.Follow, Tail: "all"}
	if opts.Tail > 0 {
		req.Tail = strconv.Itoa(opts.Tail)
	}
	if !opts.Since.IsZero() {
		req.Since = opts.Since.UTC().Format(time.RFC3339Nano)
	}
	body, err := d.engine.ContainerLogs(ctx, d.engineName(id), req)
	if err != nil {
		return nil, d.engineErr(err, "logs of container %q", id)
	}
	return newLogReader(body), nil
}

// logReader parses the engine's multiplexed log stream in a goroutine of its own, so that Next
// can give up when its ctx ends.
type logReader struct {
	body  io.ReadCloser
	lines chan logItem
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
}

type logItem struct {
	line runtime.LogLine
	err  error
}

func newLogReader(body io.ReadCloser) *logReader {
	r := &logReader{body: body, lines: make(chan logItem), stop: make(chan struct{}), done: make(chan struct{})}
	go r.read()
	return r
}

// Next returns the next line, io.EOF at the end of the stream, or ctx's error.
func (r *logReader) Next(ctx context.Context) (runtime.LogLine, error) {
	select {
	case <-ctx.Done():
		return runtime.LogLine{}, ctx.Err()
	case it, ok := <-r.lines:
		if !ok {
			return runtime.LogLine{}, io.EOF
		}
		return it.line, it.err
	}
}

// Close ends the request and waits for the reading goroutine.
func (r *logReader) Close() error {
	var err error
	r.once.Do(func() {
		close(r.stop)
		err = r.body.Close()
		<-r.done
	})
	return err
}

func (r *logReader) send(it logItem) bool {
	select {
	case r.lines <- it:
		return true
	case <-r.stop:
		return false
	}
}

// read turns frames (an 8-byte header: stream, 3 zero bytes, big-endian length; then the
// payload) into lines. With timestamps, a payload is "<RFC 3339 time> <text>"; the engine splits
// long lines into several payloads, of which only the last ends with a newline.
func (r *logReader) read() {
	defer close(r.done)
	defer close(r.lines)
	br := bufio.NewReader(r.body)
	var header [8]byte
	partial := map[string]*runtime.LogLine{}
	for {
		if _, err := io.ReadFull(br, header[:]); err != nil {
			if !errors.Is(err, io.EOF) {
				r.send(logItem{err: fmt.Errorf("read logs: %w", err)})
				return
			}
			for _, stream := range []string{"stdout", "stderr"} { // output that ended without a newline
				if line := partial[stream]; line != nil && !r.send(logItem{line: *line}) {
					return
				}
			}
			return
		}
		stream := "stdout"
		if header[0] == 2 {
			stream = "stderr"
		}
		payload := make([]byte, binary.BigEndian.Uint32(header[4:]))
		if _, err := io.ReadFull(br, payload); err != nil {
			r.send(logItem{err: fmt.Errorf("read logs: %w", err)})
			return
		}
		ts, text, _ := strings.Cut(string(payload), " ")
		t, _ := time.Parse(time.RFC3339Nano, ts)
		text, complete := strings.CutSuffix(text, "\n")
		line := partial[stream]
		if line == nil {
			line = &runtime.LogLine{Time: t, Stream: stream}
		}
		line.Text += text
		if !complete {
			partial[stream] = line
			continue
		}
		delete(partial, stream)
		if !r.send(logItem{line: *line}) {
			return
		}
	}
}
