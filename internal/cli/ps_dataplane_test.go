package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/dataplane"
)

func TestPsDataPlane(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	tests := []struct {
		name string
		dp   *psDataPlane
		want string
	}{
		{name: "serving, in touch", dp: &psDataPlane{Running: true, Status: dataplane.Status{PID: 42, Build: "v2", StartedAt: t0,
			ConfigRevision: 7, StoreConnected: true, Targets: 3, HealthyTargets: 3}},
			want: "42 serving v2 1h 7 connected 3/3"},
		{name: "store away", dp: &psDataPlane{Running: true, Status: dataplane.Status{PID: 42, Build: "v2", StartedAt: t0,
			ConfigRevision: 7, LastStoreContact: now.Add(-30 * time.Second), Targets: 2, HealthyTargets: 1}},
			want: "42 serving v2 1h 7 away for 30s 1/2"},
		{name: "gone", dp: &psDataPlane{Status: dataplane.Status{PID: 42, Build: "v2"}, Problem: "pid 42 has ended"},
			want: "42 not running v2 - - - - pid 42 has ended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := printPs(&out, psOutput{DataPlane: tt.dp}, now); err != nil {
				t.Fatal(err)
			}
			got := rows(out.String())
			if len(got) != 2 || !strings.HasPrefix(got[0], "DATA PLANE PID STATE BUILD UPTIME CONFIG REV STORE HEALTHY TARGETS") || got[1] != tt.want {
				t.Fatalf("fargo ps:\n%s\nwant the row %q", out.String(), tt.want)
			}
		})
	}
}
