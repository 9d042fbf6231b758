package lb_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// BenchmarkProxy measures a GET through a listener to a backend over keep-alive connections
// on both sides. Allocations are counted process-wide, so they include the client and the
// backend; BenchmarkDirect measures those alone, and the difference is the proxy's.
func BenchmarkProxy(b *testing.B) {
	backend := benchBackend(b)
	p := lbtest.Start(b, lb.ProxyConfig{})
	g := lb.TargetGroup{ID: "g", HealthCheck: lb.HealthCheck{Disabled: true},
		Targets: []lb.Target{{ID: "t", Addr: strings.TrimPrefix(backend.URL, "http://")}}}
	l := lbtest.Listener("l",
		lb.Rule{ID: "api", Priority: 1, Conditions: []lb.Condition{{Field: lb.FieldPathPattern, Values: []string{"/api/*"}}},
			Action: lb.Action{Type: lb.ActionFixedResponse, FixedResponse: lb.FixedResponse{StatusCode: 404}}},
		lbtest.Forward("g"))
	if err := p.Apply(lb.Config{Listeners: []lb.Listener{l}, TargetGroups: []lb.TargetGroup{g}}); err != nil {
		b.Fatal(err)
	}
	runBench(b, "http://"+p.ListenerAddr("l")+"/index.html")
}

// BenchmarkDirect is the baseline of BenchmarkProxy: the same client and backend, no proxy.
func BenchmarkDirect(b *testing.B) {
	runBench(b, benchBackend(b).URL+"/index.html")
}

func benchBackend(b *testing.B) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "hello, world")
	}))
	b.Cleanup(s.Close)
	return s
}

func runBench(b *testing.B, url string) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchGet(b, c, url)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				benchGet(b, c, url)
			}
		})
	})
}

func benchGet(b *testing.B, c *http.Client, url string) {
	res, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		b.Fatalf("status %d", res.StatusCode)
	}
}

// BenchmarkReverseProxy is the stdlib yardstick: httputil.ReverseProxy with a tuned transport
// and pooled buffers, in front of the same backend.
func BenchmarkReverseProxy(b *testing.B) {
	backend := benchBackend(b)
	u, _ := url.Parse(backend.URL)
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = &http.Transport{MaxIdleConnsPerHost: 1024}
	rp.BufferPool = bufferPool{}
	front := httptest.NewServer(rp)
	b.Cleanup(front.Close)
	runBench(b, front.URL+"/index.html")
}

type bufferPool struct{}

var benchBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *benchBufs.Get().(*[]byte) }
func (bufferPool) Put(b []byte) { benchBufs.Put(&b) }
