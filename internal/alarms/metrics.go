package alarms

import (
	"slices"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/cloudwatch"
)

// Metrics holds the recent samples of each metric, for the evaluator and the API. Memory is
// bounded: samples older than the retention are dropped, and so are metrics without any.
// It is safe for concurrent use.
type Metrics struct {
	mu        sync.RWMutex
	retention time.Duration
	series    map[string]*series
}

type series struct {
	id      cloudwatch.MetricID
	samples []cloudwatch.Sample // in time order
}

// NewMetrics returns an empty Metrics that keeps samples for retention.
func NewMetrics(retention time.Duration) *Metrics {
	return &Metrics{retention: retention, series: map[string]*series{}}
}

// Add records sample s of metric id.
func (m *Metrics) Add(id cloudwatch.MetricID, s cloudwatch.Sample) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := id.Key()
	sr := m.series[key]
	if sr == nil {
		sr = &series{id: cloudwatch.MetricID{Namespace: id.Namespace, Name: id.Name, Dimensions: cloudwatch.SortedDimensions(id.Dimensions)}}
		m.series[key] = sr
	}
	sr.samples = append(sr.samples, s)
}

// Prune drops the samples older than the retention at now, and the metrics left without any.
func (m *Metrics) Prune(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cut := now.Add(-m.retention)
	for key, sr := range m.series {
		i, _ := slices.BinarySearchFunc(sr.samples, cut, func(s cloudwatch.Sample, t time.Time) int { return s.Time.Compare(t) })
		if i > 0 {
			sr.samples = slices.Clone(sr.samples[i:])
		}
		if len(sr.samples) == 0 {
			delete(m.series, key)
		}
	}
}

// Reset forgets every sample: a new term of the controller starts without data.
func (m *Metrics) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.series = map[string]*series{}
}

// List returns the metrics that have samples.
func (m *Metrics) List() []cloudwatch.MetricID {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]cloudwatch.MetricID, 0, len(m.series))
	for _, sr := range m.series {
		out = append(out, sr.id)
	}
	return out
}

// Samples returns a copy of the samples of metric id, oldest first.
func (m *Metrics) Samples(id cloudwatch.MetricID) []cloudwatch.Sample {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if sr := m.series[id.Key()]; sr != nil {
		return slices.Clone(sr.samples)
	}
	return nil
}
