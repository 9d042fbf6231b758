package benchtest

import (
	"slices"
	"testing"
)

// Medians collects one value per iteration for each unit and reports their medians.
// testing.B.ReportMetric keeps only the last value reported for a unit, so a benchmark that
// calls it in every iteration reports its last iteration; one that adds the values here and
// calls Report after its loop reports their median. The zero value is ready to use.
type Medians struct {
	units  []string // in the order they were first added, for a stable report
	values map[string][]float64
}

// Add records v, one iteration's value of unit ("s/deploy", "ms-to-first-call", ...).
func (m *Medians) Add(unit string, v float64) {
	if m.values == nil {
		m.values = map[string][]float64{}
	}
	if _, ok := m.values[unit]; !ok {
		m.units = append(m.units, unit)
	}
	m.values[unit] = append(m.values[unit], v)
}

// Report reports the median of each unit's values on b. Call it once, after the benchmark's
// loop.
func (m *Medians) Report(b *testing.B) {
	b.Helper()
	for _, unit := range m.units {
		b.ReportMetric(Median(m.values[unit]), unit)
	}
}

// Median returns the middle value of xs, the mean of the two middle ones when their number is
// even, and 0 when there are none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
