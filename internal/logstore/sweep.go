package logstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/fargohq/fargo/internal/logs"
	"github.com/fargohq/fargo/internal/store"
)

// SweepConfig configures a Sweeper.
type SweepConfig struct {
	// Interval is the time between sweeps; 10 minutes when zero.
	Interval time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Sweeper removes, from time to time, the events of streams that no longer exist (their files
// outlived a crash between the store's delete and the files') and the events older than their
// group's retention.
type Sweeper struct {
	st     *store.Store
	events *Store
	cfg    SweepConfig
	log    *slog.Logger
}

// NewSweeper returns a Sweeper of the events in events of the streams in st.
func NewSweeper(st *store.Store, events *Store, cfg SweepConfig, log *slog.Logger) *Sweeper {
	if cfg.Interval <= 0 {
		cfg.Interval = 10 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sweeper{st: st, events: events, cfg: cfg, log: log.With("component", "logstore")}
}

// Run sweeps at once and then every Interval until ctx ends. A failed sweep is logged and
// tried again at the next interval.
func (w *Sweeper) Run(ctx context.Context) error {
	t := time.NewTicker(w.cfg.Interval)
	defer t.Stop()
	for {
		if err := w.Sweep(ctx); err != nil && ctx.Err() == nil {
			w.log.Warn("log event sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// Sweep removes the files of streams the store does not hold and expires the events of the
// others by their group's retention.
func (w *Sweeper) Sweep(ctx context.Context) error {
	// The files are listed before the store is read: a stream's record is written before its
	// first file, so a directory listed here whose stream the store does not hold is one
	// whose stream was deleted.
	ids, err := w.events.IDs()
	if err != nil {
		return err
	}
	streams, _, err := w.st.LogStreams.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list log streams: %w", err)
	}
	groups, _, err := w.st.LogGroups.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list log groups: %w", err)
	}
	retention := make(map[string]int, len(groups))
	for _, g := range groups {
		retention[g.Value.Name] = g.Value.RetentionDays
	}
	owner := make(map[string]logs.Stream, len(streams))
	for _, s := range streams {
		owner[s.Value.ID] = s.Value
	}
	now := w.cfg.Now()
	var errs []error
	for _, id := range ids {
		s, ok := owner[id]
		switch {
		case !ok:
			errs = append(errs, w.events.Delete(id))
		case retention[s.Group] > 0:
			errs = append(errs, w.events.Expire(id, logs.Cutoff(retention[s.Group], now).UnixMilli()))
		}
	}
	return errors.Join(errs...)
}
