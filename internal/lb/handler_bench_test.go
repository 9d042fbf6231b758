package lb

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// discardWriter is a ResponseWriter that keeps nothing, so that BenchmarkHandler measures the
// proxy's own work.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// BenchmarkHandler measures the proxy's hot path without sockets: table load, matching five
// rules, metrics and (optionally) the access log, answering from a fixed-response rule.
func BenchmarkHandler(b *testing.B) {
	for _, tt := range []struct {
		name string
		log  io.Writer
	}{{"no access log", nil}, {"access log", io.Discard}} {
		b.Run(tt.name, func(b *testing.B) {
			h := fuzzHandler(b)
			if tt.log != nil {
				h.p.access = &accessLog{w: tt.log}
			}
			r := httptest.NewRequest("GET", "/index.html?x=1", nil)
			r.Header.Set("User-Agent", "bench")
			r.RemoteAddr = "10.0.0.1:1234" // not the rule that forwards to a dead target
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				h.ServeHTTP(w, r)
			}
		})
	}
}
