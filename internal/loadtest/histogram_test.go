package loadtest

import (
	"testing"
	"time"
)

func TestBucketRangeHoldsItsValues(t *testing.T) {
	t.Parallel()
	for v := int64(0); v < 1<<24; v = v*17/16 + 1 {
		b := bucketOf(v)
		lo, hi := bucketRange(b)
		if v < lo || v > hi || bucketOf(lo) != b || bucketOf(hi) != b {
			t.Fatalf("value %d: bucket %d spans [%d, %d]", v, b, lo, hi)
		}
		if v >= 64 && float64(hi-lo+1)/float64(lo) > 1.0/64 {
			t.Fatalf("bucket %d [%d, %d] is wider than 1/64 of its values", b, lo, hi)
		}
	}
	if bucketOf(1<<maxBucketBits-1) != numBuckets-1 {
		t.Fatalf("largest value falls in bucket %d, want %d", bucketOf(1<<maxBucketBits-1), numBuckets-1)
	}
}

func TestPercentiles(t *testing.T) {
	t.Parallel()
	var h histogram
	for v := 1; v <= 100000; v++ { // 1 µs to 100 ms, uniform
		h.record(time.Duration(v) * time.Microsecond)
	}
	l := h.latency()
	tests := []struct {
		name      string
		got, want time.Duration
	}{
		{"p50", l.P50, 50 * time.Millisecond},
		{"p90", l.P90, 90 * time.Millisecond},
		{"p99", l.P99, 99 * time.Millisecond},
		{"p99.9", l.P999, 99900 * time.Microsecond},
		{"max", l.Max, 100 * time.Millisecond},
		{"min", l.Min, time.Microsecond},
		{"mean", l.Mean, 50000 * time.Microsecond},
	}
	for _, tt := range tests {
		if diff := float64(tt.got-tt.want) / float64(tt.want); diff > 0.016 || diff < -0.016 {
			t.Errorf("%s = %v, want %v within 1.6%%", tt.name, tt.got, tt.want)
		}
	}
	var empty histogram
	if got := empty.latency(); got != (Latency{}) {
		t.Errorf("empty histogram: %+v", got)
	}
}
