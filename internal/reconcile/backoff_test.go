package reconcile

import (
	"math"
	"testing"
	"time"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	const huge = time.Duration(math.MaxInt64)
	tests := []struct {
		name        string
		base, limit time.Duration
		failures    int
		want        time.Duration
	}{
		{"first failure", 5 * time.Millisecond, time.Minute, 1, 5 * time.Millisecond},
		{"fourth failure", 5 * time.Millisecond, time.Minute, 4, 40 * time.Millisecond},
		{"capped", 5 * time.Millisecond, time.Minute, 20, time.Minute},
		{"many failures", 5 * time.Millisecond, time.Minute, math.MaxInt, time.Minute},
		{"no overflow near the limit", time.Hour, huge, 100, huge},
		{"zero failures", time.Second, time.Minute, 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := backoff(tt.base, tt.limit, tt.failures); got != tt.want {
				t.Errorf("backoff(%v, %v, %d) = %v, want %v", tt.base, tt.limit, tt.failures, got, tt.want)
			}
		})
	}
}
