package dataplane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// serveControl serves /status and /metrics on ln until ctx ends.
func serveControl(ctx context.Context, ln net.Listener, status func() Status, reg prometheus.Gatherer) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(status())
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	stop := context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	})
	defer stop()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("dataplane: control socket: %w", err)
	}
	return nil
}

// listenUnix listens on a fresh unix socket at path that only the owner may open.
func listenUnix(path string) (net.Listener, error) {
	_ = os.Remove(path) // left by a process of the same pid that was killed
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// Gatherer gathers the metrics of the data plane that serves dataDir, for the server's
// /metrics. A data plane that does not answer contributes nothing: the server's own
// fargo_dataplane_up says so.
func Gatherer(dataDir string) prometheus.Gatherer {
	return prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		r, err := ReadRecord(dataDir)
		if err != nil || !alive(r.PID) {
			return nil, nil
		}
		res, err := controlGet(context.Background(), r.Control, "/metrics")
		if err != nil {
			return nil, nil //nolint:nilerr // a data plane away is no scrape error (see above)
		}
		defer res.Body.Close()
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(res.Body)
		if err != nil {
			return nil, fmt.Errorf("dataplane metrics: %w", err)
		}
		out := make([]*dto.MetricFamily, 0, len(families))
		for _, f := range families {
			out = append(out, f)
		}
		return out, nil
	})
}
