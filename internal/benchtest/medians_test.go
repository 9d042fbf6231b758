package benchtest_test

import (
	"testing"

	"github.com/fargohq/fargo/internal/benchtest"
)

func TestMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{"none", nil, 0},
		{"one", []float64{7}, 7},
		{"odd, unsorted", []float64{9, 1, 5}, 5},
		{"even: the mean of the middle two", []float64{4, 1, 10, 2}, 3},
		{"outlier", []float64{0.2, 0.2, 0.3, 0.2, 30}, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := benchtest.Median(tt.xs); got != tt.want {
				t.Errorf("Median(%v) = %v, want %v", tt.xs, got, tt.want)
			}
		})
	}
}

// TestReport runs a benchmark whose iterations measure 1, 5, 3, 9 and 2: it must report their
// median, 3, not the last value (2) or the mean (4).
func TestReport(t *testing.T) {
	t.Parallel()
	res := testing.Benchmark(func(b *testing.B) {
		var m benchtest.Medians
		for _, v := range []float64{1, 5, 3, 9, 2} {
			m.Add("s/op-done", v)
			m.Add("MiB", 10*v)
		}
		m.Report(b)
	})
	if got := res.Extra["s/op-done"]; got != 3 {
		t.Errorf("s/op-done = %v, want the median 3 (all: %v)", got, res.Extra)
	}
	if got := res.Extra["MiB"]; got != 30 {
		t.Errorf("MiB = %v, want the median 30 (all: %v)", got, res.Extra)
	}
}

// TestPerCall checks that PerCall calls fn exactly b.N times and reports a per-call figure.
func TestPerCall(t *testing.T) {
	t.Parallel()
	var calls, wantCalls int
	res := testing.Benchmark(func(b *testing.B) {
		wantCalls += b.N
		benchtest.PerCall(b, 7, "p50-ns/call", func() { calls++ })
	})
	if calls != wantCalls {
		t.Errorf("fn ran %d times, want %d (the sum of b.N)", calls, wantCalls)
	}
	if v, ok := res.Extra["p50-ns/call"]; !ok || v <= 0 {
		t.Errorf("extra metrics = %v, want a positive p50-ns/call", res.Extra)
	}
}
