package benchtest

import (
	"testing"
	"time"
)

// PerCall runs fn b.N times, timing it in batches of batch calls, and reports the median time
// of one call over the batches as unit (for example "p50-ns/call"), next to go test's mean
// (ns/op). On a shared machine a batch in which the process was descheduled inflates the mean;
// the median is what one call costs.
func PerCall(b *testing.B, batch int, unit string, fn func()) {
	b.Helper()
	var m Medians
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(batch, b.N-done)
		start := time.Now()
		for range n {
			fn()
		}
		m.Add(unit, float64(time.Since(start).Nanoseconds())/float64(n))
		done += n
	}
	b.StopTimer()
	m.Report(b)
}
