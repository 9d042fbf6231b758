package cli

import (
	"context"
	"fmt"
	"io"
	"time"
)

// benchSample is one setup's measurement in one round.
type benchSample struct {
	setup     string
	round     int
	load      loadResult
	proxyCPU  time.Duration // of the proxy process and its descendants; 0 for direct
	targetCPU time.Duration // of both targets
}

func perRequest(cpu time.Duration, requests int64) time.Duration {
	if requests <= 0 {
		return 0
	}
	return cpu / time.Duration(requests)
}

// benchRun measures every setup in turn.
type benchRun struct {
	load    loadGenerator
	targets []benchTarget
	setups  []*benchSetup
	out     io.Writer
}

// warmUp sends unmeasured load through every setup, so that connection pools are full and the
// Go runtimes have grown their heaps before the first round.
func (b benchRun) warmUp(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	for _, s := range b.setups {
		if _, err := b.load.run(ctx, s.url, d); err != nil {
			return fmt.Errorf("warm-up of %s: %w", s.name, err)
		}
	}
	return nil
}

// rounds measures every setup once per round, each round starting at the next setup, so that
// no setup always runs right after the same neighbour.
func (b benchRun) rounds(ctx context.Context, rounds int, d time.Duration) ([]benchSample, error) {
	var samples []benchSample
	for r := range rounds {
		for i := range b.setups {
			s := b.setups[(r+i)%len(b.setups)]
			sample, err := b.measure(ctx, s, d)
			if err != nil {
				return nil, fmt.Errorf("round %d, %s: %w", r+1, s.name, err)
			}
			sample.round = r + 1
			samples = append(samples, sample)
			fmt.Fprintf(b.out, "round %d/%d  %-8s %s\n", r+1, rounds, s.name, sample)
		}
	}
	return samples, nil
}

func (b benchRun) measure(ctx context.Context, s *benchSetup, d time.Duration) (benchSample, error) {
	proxy0, target0, err := b.cpu(s)
	if err != nil {
		return benchSample{}, err
	}
	res, err := b.load.run(ctx, s.url, d)
	if err != nil {
		return benchSample{}, err
	}
	proxy1, target1, err := b.cpu(s)
	if err != nil {
		return benchSample{}, err
	}
	return benchSample{setup: s.name, load: res, proxyCPU: proxy1 - proxy0, targetCPU: target1 - target0}, nil
}

// cpu reads the CPU time used so far by the setup's proxy and by the targets.
func (b benchRun) cpu(s *benchSetup) (proxy, targets time.Duration, err error) {
	if s.proxy != nil {
		if proxy, err = s.proxy.cpu(); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	for _, t := range b.targets {
		c, err := t.cpu()
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", t.name, err)
		}
		targets += c
	}
	return proxy, targets, nil
}

func (s benchSample) String() string {
	proxy := "      –"
	if s.setup != "direct" {
		proxy = fmtMicros(perRequest(s.proxyCPU, s.load.requests))
	}
	return fmt.Sprintf("%9.0f req/s  p50 %8s  p99 %8s  proxy %s µs/req  targets %s µs/req  %d failed",
		s.load.rps, fmtLatency(s.load.p50), fmtLatency(s.load.p99), proxy,
		fmtMicros(perRequest(s.targetCPU, s.load.requests)), s.load.failed)
}

func fmtMicros(d time.Duration) string {
	return fmt.Sprintf("%7.1f", float64(d)/float64(time.Microsecond))
}

func fmtLatency(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	}
}
