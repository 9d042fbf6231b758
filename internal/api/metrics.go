package api

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fargo_api_requests_total",
			Help: "AWS API requests by service, operation, HTTP status and error code.",
		}, []string{"service", "operation", "status", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fargo_api_request_duration_seconds",
			Help:    "Time to answer AWS API requests.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}, []string{"service", "operation"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency} {
		if err := reg.Register(c); err != nil {
			var already prometheus.AlreadyRegisteredError
			if !errors.As(err, &already) {
				return nil, err
			}
		}
	}
	return m, nil
}

func (m *metrics) observe(c *call, status int, code string, now time.Time) {
	svc, op := "unknown", "unknown"
	if c.svc != nil {
		svc = c.svc.Name
		if c.svc.Operations[c.op] != nil {
			op = c.op // only known names, so clients cannot grow the label set
		}
	}
	m.requests.WithLabelValues(svc, op, strconv.Itoa(status), code).Inc()
	m.latency.WithLabelValues(svc, op).Observe(now.Sub(c.start).Seconds())
}
