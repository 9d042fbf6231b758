package lb_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

// TestSwapUnderLoad covers invariant 2 under load: 50 configs that move targets between two
// groups and shift the weights between them, applied while 8 clients send requests without
// ever retrying (half of them on a new connection per request, half keep-alive; GET and
// POST), lose no request. Like a deployment, each move registers the new target next to a
// healthy one and waits for it to pass its check before moving on.
func TestSwapUnderLoad(t *testing.T) {
	t.Parallel()
	var backends []*lbtest.Backend
	for i := range 4 {
		backends = append(backends, lbtest.NewBackend(t, fmt.Sprintf("b%d", i)))
	}
	config := func(step, blueWeight int) lb.Config {
		blue := lbtest.Group("blue", backends[step%4], backends[(step+1)%4])
		green := lbtest.Group("green", backends[(step+2)%4], backends[(step+3)%4])
		blue.DeregistrationDelay, green.DeregistrationDelay = 10*time.Second, 10*time.Second
		return lb.Config{
			Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("blue", blueWeight, "green", 100-blueWeight))},
			TargetGroups: []lb.TargetGroup{blue, green},
		}
	}
	p := start(t, config(0, 100))
	url := "http://" + p.ListenerAddr("l")

	ctx, stop := context.WithCancel(t.Context())
	var sent, failed atomic.Int64
	var wg sync.WaitGroup
	for i := range 8 {
		c := &http.Client{Transport: &lbtest.RawTransport{KeepAlive: i%2 == 0}}
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				if err := oneRequest(c, url, i, n); err != nil {
					failed.Add(1)
					t.Errorf("client %d request %d: %v", i, n, err)
				}
				sent.Add(1)
			}
		})
	}
	weight := 100
	for step := 1; step <= 25; step++ {
		if err := p.Apply(config(step, weight)); err != nil { // move targets
			t.Fatal(err)
		}
		waitAllHealthy(t, p)
		weight = (weight + 37) % 101
		if err := p.Apply(config(step, weight)); err != nil { // shift weights
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	wg.Wait()
	if failed.Load() > 0 || sent.Load() < 200 {
		t.Fatalf("%d of %d requests failed", failed.Load(), sent.Load())
	}
	t.Logf("%d requests, none failed", sent.Load())
}

func oneRequest(c *http.Client, url string, client, n int) error {
	var req *http.Request
	var want string
	if n%2 == 0 {
		req, _ = http.NewRequest("GET", url+"/", nil)
	} else {
		want = fmt.Sprintf("client %d request %d", client, n)
		req, _ = http.NewRequest("POST", url+"/echo", strings.NewReader(want))
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	switch {
	case err != nil:
		return err
	case res.StatusCode != 200:
		return fmt.Errorf("status %d: %s", res.StatusCode, b)
	case want != "" && string(b) != want:
		return fmt.Errorf("echo %q, want %q", b, want)
	}
	return nil
}

func waitAllHealthy(t *testing.T, p *lb.Proxy) {
	t.Helper()
	lbtest.Eventually(t, 10*time.Second, "registered targets healthy", func() bool {
		for _, th := range p.Health() {
			if th.State == lb.StateInitial {
				return false
			}
		}
		return true
	})
}
