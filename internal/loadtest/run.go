package loadtest

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Run sends the load that cfg describes until cfg.Duration elapses, cfg.MaxRequests have
// started, or ctx ends, and returns what it counted. It fails only when cfg is invalid (an
// errdefs.ErrInvalidArgument); failed requests are counts in the Result, never an error, and
// ctx ending is an ordinary end of the run.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	cfg = cfg.withDefaults()
	p, err := compile(cfg)
	if err != nil {
		return Result{}, err
	}
	stop, cancel := context.WithCancel(ctx)
	if cfg.Duration > 0 {
		stop, cancel = context.WithTimeout(ctx, cfg.Duration)
	}
	defer cancel()

	clients := newClients(p, cfg)
	begin := time.Now()
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Go(func() { c.run(ctx, stop) })
	}
	done := make(chan struct{})
	go func() { // owned by Run, which waits for done
		wg.Wait()
		close(done)
	}()

	var progress <-chan time.Time
	if cfg.Progress != nil {
		t := time.NewTicker(cfg.ProgressInterval)
		defer t.Stop()
		progress = t.C
	}
	for {
		select {
		case <-progress:
			cfg.Progress(collect(clients, begin, p.maxSamples))
		case <-done:
			res := collect(clients, begin, p.maxSamples)
			if cfg.Progress != nil {
				cfg.Progress(res)
			}
			return res, nil
		}
	}
}

func newClients(p *plan, cfg Config) []*client {
	n := cfg.KeepAliveClients + cfg.NewConnectionClients
	var interval time.Duration
	if cfg.Rate > 0 {
		interval = time.Duration(float64(n) / cfg.Rate * float64(time.Second))
	}
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = &client{
			p:         p,
			keepAlive: i < cfg.KeepAliveClients,
			interval:  interval,
			offset:    interval * time.Duration(i) / time.Duration(n),
			// Start clients at different points of the POST cycle, so that a run with few
			// requests per client still sends its share of POSTs.
			postAcc: i * cfg.PostPercent % 100,
		}
	}
	return clients
}

// collect merges the clients' counts into a Result.
func collect(clients []*client, begin time.Time, maxSamples int) Result {
	res := Result{Start: begin, Elapsed: time.Since(begin), Revisions: make(map[string]int64)}
	var hist histogram
	for _, c := range clients {
		c.mu.Lock()
		for ka := range 2 {
			for post := range 2 {
				k := c.s.byKind[ka][post]
				res.Counts.add(k)
				if ka == 1 {
					res.KeepAlive.add(k)
				} else {
					res.NewConnection.add(k)
				}
				if post == 1 {
					res.POST.add(k)
				} else {
					res.GET.add(k)
				}
			}
		}
		for rev, n := range c.s.revisions {
			res.Revisions[rev] += n
		}
		res.Connections += c.s.conns
		res.Aborted += c.s.aborted
		hist.merge(&c.s.hist)
		res.Errors = append(res.Errors, c.s.samples...)
		c.mu.Unlock()
	}
	sort.SliceStable(res.Errors, func(i, j int) bool { return res.Errors[i].At.Before(res.Errors[j].At) })
	if len(res.Errors) > maxSamples {
		res.Errors = res.Errors[:maxSamples]
	}
	res.Latency = hist.latency()
	return res
}
