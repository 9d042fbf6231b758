package lb

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Kinds of the target error counter.
const (
	errConnect = "connect" // failed before any byte reached the target
	errRetry   = "retry"   // a failed attempt that was retried on another target
	errTimeout = "timeout" // the target did not answer in time (504)
	errBackend = "backend" // failed after the request reached the target (502)
)

type metrics struct {
	requests     *prometheus.CounterVec   // listener, target_group, target, code
	errors       *prometheus.CounterVec   // target_group, target, kind
	inflight     *prometheus.GaugeVec     // listener
	latency      *prometheus.HistogramVec // listener
	healthChecks *prometheus.CounterVec   // target_group, result
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fargo_lb_requests_total",
			Help: "Requests answered by the load balancer, by listener, target group, target and status class.",
		}, []string{"listener", "target_group", "target", "code"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fargo_lb_target_errors_total",
			Help: "Failed attempts to reach targets, by kind: connect, retry, timeout, backend.",
		}, []string{"target_group", "target", "kind"}),
		inflight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "fargo_lb_requests_in_flight",
			Help: "Requests being served, by listener.",
		}, []string{"listener"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fargo_lb_request_duration_seconds",
			Help:    "Time from request to the end of the response, by listener.",
			Buckets: latencySeconds(),
		}, []string{"listener"}),
		healthChecks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fargo_lb_health_checks_total",
			Help: "Health checks by target group and result (ok, fail).",
		}, []string{"target_group", "result"}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	m.requests, err = register(reg, m.requests, err)
	m.errors, err = register(reg, m.errors, err)
	m.inflight, err = register(reg, m.inflight, err)
	m.latency, err = register(reg, m.latency, err)
	m.healthChecks, err = register(reg, m.healthChecks, err)
	return m, err
}

// register registers c, or returns the collector already registered under its name (a
// second Proxy on the same registry shares the series), unless an earlier step failed.
func register[T prometheus.Collector](reg prometheus.Registerer, c T, err error) (T, error) {
	if err != nil {
		return c, err
	}
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(T); ok {
				return existing, nil
			}
		}
		return c, err
	}
	return c, nil
}

// forget drops the series of a released target, so that label sets do not pile up as tasks
// come and go.
func (m *metrics) forget(group, target string) {
	l := prometheus.Labels{"target_group": group, "target": target}
	m.requests.DeletePartialMatch(l)
	m.errors.DeletePartialMatch(l)
}

// latencySeconds returns latencyBounds in seconds, the buckets of the request histogram.
func latencySeconds() []float64 {
	out := make([]float64, len(latencyBounds))
	for i, b := range latencyBounds {
		out[i] = b.Seconds()
	}
	return out
}
