package cli

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// benchSummary is one setup's medians over the rounds.
type benchSummary struct {
	setup, label        string
	rounds              int
	rps                 float64
	p50, p99            time.Duration
	proxyCPU, targetCPU time.Duration // per request
	failed, requests    int64         // over every round
}

type benchReport struct {
	rows     []benchSummary
	load     string
	rounds   int
	duration time.Duration
	date     time.Time
	cpus     int
}

func newBenchReport(setups []*benchSetup, samples []benchSample, opts benchProxyOptions, load string) benchReport {
	rep := benchReport{load: load, rounds: opts.rounds, duration: opts.duration, date: time.Now(), cpus: runtime.NumCPU()}
	for _, s := range setups {
		var rps []float64
		var p50, p99, proxy, target []time.Duration
		row := benchSummary{setup: s.name, label: s.label}
		for _, x := range samples {
			if x.setup != s.name {
				continue
			}
			row.rounds++
			rps = append(rps, x.load.rps)
			p50, p99 = append(p50, x.load.p50), append(p99, x.load.p99)
			proxy = append(proxy, perRequest(x.proxyCPU, x.load.requests))
			target = append(target, perRequest(x.targetCPU, x.load.requests))
			row.failed += x.load.failed
			row.requests += x.load.requests
		}
		row.rps = median(rps)
		row.p50, row.p99, row.proxyCPU, row.targetCPU = median(p50), median(p99), median(proxy), median(target)
		rep.rows = append(rep.rows, row)
	}
	return rep
}

// median returns the middle value of xs (the mean of the two middle ones when even), 0 when
// empty.
func median[T float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func (r benchReport) row(setup string) (benchSummary, bool) {
	i := slices.IndexFunc(r.rows, func(s benchSummary) bool { return s.setup == setup })
	if i < 0 {
		return benchSummary{}, false
	}
	return r.rows[i], true
}

// peerSetups are the proxies other than fargo that the report compares fargo with.
var peerSetups = []string{"nginx", "haproxy", "caddy"}

// ratios compares fargo, and every other fargo build measured (--compare), with nginx,
// HAProxy and Caddy: CPU per request and p99, the figures of issue 4's bar (at most 2× nginx's
// CPU per request and 1.5× its p99).
func (r benchReport) ratios() []string {
	var lines []string
	for _, fargo := range r.rows {
		if slices.Contains(peerSetups, fargo.setup) || fargo.setup == "direct" {
			continue
		}
		for _, other := range peerSetups {
			o, ok := r.row(other)
			if !ok || o.proxyCPU <= 0 || o.p99 <= 0 {
				continue
			}
			lines = append(lines, fmt.Sprintf("%s / %s: CPU per request %.2f×, p99 %.2f×, requests/s %.2f×", fargo.setup, other,
				float64(fargo.proxyCPU)/float64(o.proxyCPU), float64(fargo.p99)/float64(o.p99), fargo.rps/o.rps))
		}
	}
	return lines
}

func (r benchReport) writeText(w io.Writer) error {
	fmt.Fprintf(w, "\nmedians of %d rounds of %s:\n", r.rounds, r.duration)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "setup\trequests/s\tp50\tp99\tproxy CPU µs/req\ttargets CPU µs/req\tfailed\t")
	for _, s := range r.rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", s.setup, s.rps, fmtLatency(s.p50), fmtLatency(s.p99),
			strings.TrimSpace(proxyMicros(s)), strings.TrimSpace(fmtMicros(s.targetCPU)), s.failed)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range r.ratios() {
		fmt.Fprintln(w, l)
	}
	return nil
}

func (r benchReport) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s on %d CPUs; load: %s; medians of %d rounds of %s per setup.\n\n",
		r.date.Format("2006-01-02"), r.cpus, r.load, r.rounds, r.duration)
	b.WriteString("| setup | requests/s | p50 | p99 | proxy CPU per request | targets' CPU per request | failed requests |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.rows {
		fmt.Fprintf(&b, "| %s | %.0f | %s | %s | %s | %s | %d of %d |\n", s.label, s.rps, fmtLatency(s.p50), fmtLatency(s.p99),
			withUnit(proxyMicros(s)), withUnit(fmtMicros(s.targetCPU)), s.failed, s.requests)
	}
	if lines := r.ratios(); len(lines) > 0 {
		b.WriteString("\n")
		for _, l := range lines {
			b.WriteString(l + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func withUnit(micros string) string {
	if micros = strings.TrimSpace(micros); micros == "–" {
		return micros
	}
	return micros + " µs"
}

func proxyMicros(s benchSummary) string {
	if s.setup == "direct" {
		return "–"
	}
	return fmtMicros(s.proxyCPU)
}
