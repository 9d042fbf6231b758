package dataplane

import (
	"strings"
	"testing"
	"time"
)

// TestConfigNodeSettings: a data plane's node name defaults to one that stays with its data
// directory, and settings that cannot work are refused before anything starts.
func TestConfigNodeSettings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		cfg     Config
		want    string // the node name, or a part of the error
		wantErr bool
	}{
		{"default name", Config{DataDir: dir}, DefaultNodeName(dir), false},
		{"given name", Config{DataDir: dir, NodeName: "lb1"}, "lb1", false},
		{"name with a slash", Config{DataDir: dir, NodeName: "lb/1"}, "slash", true},
		{"timeout under two reports", Config{DataDir: dir, NodeTimeout: time.Second}, "node timeout", true},
		{"leader ttl under a second", Config{DataDir: dir, LeaderTTL: 500 * time.Millisecond}, "leader ttl", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.cfg.withDefaults()
			switch {
			case tt.wantErr && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("withDefaults = %v, want an error about %q", err, tt.want)
			case !tt.wantErr && (err != nil || got.NodeName != tt.want):
				t.Fatalf("withDefaults = %q, %v; want node name %q", got.NodeName, err, tt.want)
			}
		})
	}
	if a, b := DefaultNodeName(dir), DefaultNodeName(t.TempDir()); a == b {
		t.Errorf("two data directories share the node name %q", a)
	}
}
