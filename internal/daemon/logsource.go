package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/store"
)

// openLogEvents opens the store of the log events clients write, in <data-dir>/logs, and
// builds the sweeper that applies their groups' retention.
func openLogEvents(p *parts, st *store.Store, cfg Config, log *slog.Logger) (*logstore.Store, error) {
	events, err := logstore.Open(logstore.Config{Dir: filepath.Join(cfg.DataDir, "logs")})
	if err != nil {
		return nil, fmt.Errorf("log events: %w", err)
	}
	p.logSweep = logstore.NewSweeper(st, events, logstore.SweepConfig{}, log)
	return events, nil
}

// containerLogs reads a container's output: the node's runtime driver has it.
type containerLogs interface {
	Logs(ctx context.Context, id string, opts runtime.LogOptions) (runtime.LogReader, error)
}

// logSource lets the logs API read container output from the node's runtime driver.
type logSource struct{ drv containerLogs }

var _ logsapi.LogSource = logSource{}

func (s logSource) Logs(ctx context.Context, id string, since time.Time, tail int) (logsapi.LineReader, error) {
	r, err := s.drv.Logs(ctx, id, runtime.LogOptions{Since: since, Tail: tail})
	if err != nil {
		return nil, err
	}
	return lineReader{r}, nil
}

type lineReader struct{ runtime.LogReader }

func (r lineReader) Next(ctx context.Context) (logsapi.Line, error) {
	l, err := r.LogReader.Next(ctx)
	return logsapi.Line{Time: l.Time, Stream: l.Stream, Text: l.Text}, err
}
