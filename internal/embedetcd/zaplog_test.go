package embedetcd

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap"
)

// records is a slog.Handler that keeps what it handles.
type records struct {
	level slog.Level
	mu    sync.Mutex
	got   []string
}

func (r *records) Enabled(_ context.Context, l slog.Level) bool { return l >= r.level }

func (r *records) Handle(_ context.Context, rec slog.Record) error {
	line := rec.Level.String() + " " + rec.Message
	rec.Attrs(func(a slog.Attr) bool {
		line += " " + a.String()
		return true
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, line)
	return nil
}

func (r *records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *records) WithGroup(string) slog.Handler      { return r }

func TestZapBridge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		level slog.Level
		log   func(*zap.Logger)
		want  []string
	}{
		{"info dropped", slog.LevelDebug, func(l *zap.Logger) { l.Info("starting") }, nil},
		{"warn with fields", slog.LevelInfo, func(l *zap.Logger) {
			l.With(zap.String("member", "m")).Warn("slow fsync", zap.Int("ms", 900), zap.Error(errors.New("disk")))
		}, []string{"WARN slow fsync error=disk member=m ms=900"}},
		{"error", slog.LevelInfo, func(l *zap.Logger) { l.Named("raft").Error("lost") }, []string{"ERROR lost logger=raft"}},
		{"handler level", slog.LevelError, func(l *zap.Logger) { l.Warn("slow") }, nil},
		{"expected warning", slog.LevelInfo, func(l *zap.Logger) {
			l.Warn("simple token is not cryptographically signed")
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &records{level: tt.level}
			tt.log(newZapLogger(slog.New(h)))
			if diff := cmp.Diff(tt.want, h.got); diff != "" {
				t.Fatalf("records (-want +got):\n%s", diff)
			}
		})
	}
}
