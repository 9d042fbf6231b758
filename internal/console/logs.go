package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
)

// ContainerLogs reads a container's output from the runtime driver of the node that runs it,
// as the CloudWatch Logs API reads it; the container id is "<task id>-<container name>".
type ContainerLogs interface {
	Logs(ctx context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error)
}

// logTail is how many earlier lines a log view starts with.
const logTail = 200

// logLine is one line as the page's script reads it.
type logLine struct {
	Time   string `json:"t"`
	Stream string `json:"s"`
	Text   string `json:"x"`
}

// taskLogs streams the output of one container of a task as server-sent events, the last
// lines first and then each new line, until the browser goes away or the session ends.
func (c *Console) taskLogs(w http.ResponseWriter, r *http.Request, sess *session) error {
	flusher, ok := w.(http.Flusher)
	if !ok || c.deps.Logs == nil {
		return errdefs.FailedPrecondition("This server cannot show container output.")
	}
	task, err := c.deps.Store.Tasks.Get(r.Context(), store.TaskID(r.PathValue("cluster"), r.PathValue("task")))
	if err != nil {
		return notFound(err, errdefs.ErrNotFound, "Task not found.")
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(c.closing, cancel)
	defer stop()
	reader, err := c.deps.Logs.Logs(ctx, task.Value.ID+"-"+r.URL.Query().Get("container"), runtime.LogOptions{Tail: logTail, Follow: true})
	if errors.Is(err, errdefs.ErrNotFound) {
		reader = nil // no output yet: the stream stays open and empty
	} else if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	lines := make(chan runtime.LogLine)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if reader != nil {
			defer reader.Close()
			readLines(ctx, reader, lines)
		}
	}()
	defer func() { cancel(); <-done }()
	return c.streamLines(ctx, w, flusher, sess, lines)
}

// readLines sends reader's lines to out until the reader ends or ctx does.
func readLines(ctx context.Context, reader runtime.LogReader, out chan<- runtime.LogLine) {
	for {
		l, err := reader.Next(ctx)
		if err != nil {
			return // io.EOF (the container's log is gone) or ctx ended
		}
		select {
		case out <- l:
		case <-ctx.Done():
			return
		}
	}
}

func (c *Console) streamLines(ctx context.Context, w io.Writer, f http.Flusher, sess *session, lines <-chan runtime.LogLine) error {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if !c.heartbeat(w, f, sess) {
				return nil
			}
		case l := <-lines:
			b, _ := json.Marshal(logLine{Time: when(l.Time), Stream: l.Stream, Text: l.Text})
			_, _ = fmt.Fprintf(w, "event: line\ndata: %s\n\n", b)
			f.Flush()
		}
	}
}
