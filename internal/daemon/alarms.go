package daemon

import (
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/alarms"
	"github.com/fargohq/fargo/internal/api/cloudwatchapi"
	"github.com/fargohq/fargo/internal/arn"
)

// cloudWatchDeps are what a region's CloudWatch API reads: the region's sampled metrics
// (nil: none) and the length of a minute of metric periods.
type cloudWatchDeps struct {
	metrics cloudwatchapi.Metrics
	minute  time.Duration
}

// cloudWatch returns the CloudWatch API's dependencies in scope's region.
func (c controllers) cloudWatch(scope arn.Scope) cloudWatchDeps {
	return cloudWatchDeps{metrics: c.metrics.of(scope.Region), minute: c.cfg.Minute()}
}

// regionMetrics holds each region's sampled metrics, which the region's alarms controller
// (in the controllers' term) writes and its CloudWatch API reads. A follower's stay empty:
// only the leader samples.
type regionMetrics struct {
	cfg      alarms.Config
	mu       sync.Mutex
	byRegion map[string]*alarms.Metrics
}

func newRegionMetrics(cfg alarms.Config) *regionMetrics {
	return &regionMetrics{cfg: cfg, byRegion: map[string]*alarms.Metrics{}}
}

// of returns the metrics of region, made on first use.
func (r *regionMetrics) of(region string) *alarms.Metrics {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.byRegion[region]
	if m == nil {
		m = alarms.NewMetrics(r.cfg.Retention())
		r.byRegion[region] = m
	}
	return m
}
