package cli

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// demoLoadInterval is how often the demo says which versions answered its load.
const demoLoadInterval = 2 * time.Second

// demoLoad is the constant load of one act of the demo: GETs from keep-alive and
// new-connection clients, never retried, counted by the version that answered.
type demoLoad struct {
	cancel context.CancelFunc
	done   chan struct{}
	res    loadtest.Result
	err    error
}

// startDemoLoad sends rate requests a second to url until stop, and every demoLoadInterval
// prints a line with the versions that answered in that interval (mixLine).
func startDemoLoad(url string, rate int, out *progress) *demoLoad {
	ctx, cancel := context.WithCancel(context.Background())
	l := &demoLoad{cancel: cancel, done: make(chan struct{})}
	var prev loadtest.Result
	report := func(r loadtest.Result) { // on Run's goroutine, one call at a time
		if line := mixLine(prev, r); line != "" {
			out.line("%s", line)
		}
		prev = r
	}
	go func() { // owned by l: stop waits for done
		defer close(l.done)
		l.res, l.err = loadtest.Run(ctx, loadtest.Config{URL: url, KeepAliveClients: 3, NewConnectionClients: 1,
			Rate: float64(rate), Progress: report, ProgressInterval: demoLoadInterval})
	}()
	return l
}

// stop ends the load and returns what it counted.
func (l *demoLoad) stop() (loadtest.Result, error) {
	l.cancel()
	<-l.done
	return l.res, l.err
}

// mixLine says what the load counted between two snapshots: each version's share of the
// answers, how many requests there were and how many failed, and the failures so far. It is
// empty when no request ended in between.
func mixLine(prev, cur loadtest.Result) string {
	n := cur.Requests() - prev.Requests()
	if n <= 0 {
		return ""
	}
	answered := map[string]int64{}
	var total int64
	for v, c := range cur.Revisions {
		if d := c - prev.Revisions[v]; d > 0 {
			answered[v] = d
			total += d
		}
	}
	var shares []string
	for _, v := range slices.Sorted(maps.Keys(answered)) {
		shares = append(shares, fmt.Sprintf("%s %3.0f%%", cmp.Or(v, "(no version)"), 100*float64(answered[v])/float64(total)))
	}
	return fmt.Sprintf("  measured: %-16s of %d requests, %d failed (%d failed so far)",
		strings.Join(shares, " "), n, cur.Failed()-prev.Failed(), cur.Failed())
}
