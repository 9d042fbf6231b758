package cli

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// loadResult is what one load run measured.
type loadResult struct {
	requests int64
	failed   int64 // socket errors and responses other than 2xx (wrk: other than 2xx/3xx)
	rps      float64
	p50, p99 time.Duration
	max      time.Duration
}

// loadGenerator sends keep-alive HTTP/1.1 load to url for d.
type loadGenerator interface {
	name() string
	run(ctx context.Context, url string, d time.Duration) (loadResult, error)
}

// wrkLoad runs wrk, which never retries a request and keeps its connections open.
type wrkLoad struct {
	path                 string
	threads, connections int
	version              string
}

func (w wrkLoad) name() string {
	return fmt.Sprintf("%s, %d threads, %d connections", w.version, w.threads, w.connections)
}

func (w wrkLoad) run(ctx context.Context, url string, d time.Duration) (loadResult, error) {
	secs := max(1, int((d+time.Second-1)/time.Second))
	ctx, cancel := context.WithTimeout(ctx, time.Duration(secs)*time.Second+30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, w.path, "-t", strconv.Itoa(w.threads), "-c", strconv.Itoa(w.connections),
		"-d", strconv.Itoa(secs)+"s", "--latency", url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return loadResult{}, fmt.Errorf("wrk: %w\n%s", err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkTotal      = regexp.MustCompile(`(\d+) requests in ([\d.]+\w+)`)
	wrkRate       = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkPercentile = regexp.MustCompile(`^\s*(50|99)(?:\.0+)?%\s+([\d.]+\w+)`)
	wrkMax        = regexp.MustCompile(`^\s*Latency\s+\S+\s+\S+\s+([\d.]+\w+)`)
	wrkSocket     = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx     = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
)

// parseWrk reads the summary that wrk --latency prints.
func parseWrk(out string) (loadResult, error) {
	var r loadResult
	var haveTotal, haveP50, haveP99 bool
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		var err error
		switch {
		case wrkTotal.MatchString(line):
			r.requests, err = strconv.ParseInt(wrkTotal.FindStringSubmatch(line)[1], 10, 64)
			haveTotal = true
		case wrkRate.MatchString(line):
			r.rps, err = strconv.ParseFloat(wrkRate.FindStringSubmatch(line)[1], 64)
		case wrkPercentile.MatchString(line):
			m := wrkPercentile.FindStringSubmatch(line)
			var v time.Duration
			v, err = parseWrkDuration(m[2])
			if m[1] == "50" {
				r.p50, haveP50 = v, true
			} else {
				r.p99, haveP99 = v, true
			}
		case wrkMax.MatchString(line):
			r.max, err = parseWrkDuration(wrkMax.FindStringSubmatch(line)[1])
		case wrkSocket.MatchString(line):
			for _, n := range wrkSocket.FindStringSubmatch(line)[1:] {
				v, _ := strconv.ParseInt(n, 10, 64) // the pattern allows digits only
				r.failed += v
			}
		case wrkNon2xx.MatchString(line):
			v, _ := strconv.ParseInt(wrkNon2xx.FindStringSubmatch(line)[1], 10, 64)
			r.failed += v
		}
		if err != nil {
			return loadResult{}, fmt.Errorf("wrk output %q: %w", line, err)
		}
	}
	if !haveTotal || !haveP50 || !haveP99 {
		return loadResult{}, fmt.Errorf("wrk output lacks the request count or the latency distribution:\n%s", out)
	}
	return r, nil
}

// parseWrkDuration reads wrk's durations: 812.00us, 1.23ms, 2.00s, 1.50m, 1.00h.
func parseWrkDuration(s string) (time.Duration, error) {
	units := []struct {
		suffix string
		unit   time.Duration
	}{{"us", time.Microsecond}, {"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, err
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("duration %q has no unit", s)
}

// inProcessLoad runs the loadtest package in this process, when wrk is not installed.
type inProcessLoad struct {
	connections int
}

func (l inProcessLoad) name() string {
	return fmt.Sprintf("fargo's loadtest client in the benchmark process, %d connections", l.connections)
}

func (l inProcessLoad) run(ctx context.Context, url string, d time.Duration) (loadResult, error) {
	res, err := loadtest.Run(ctx, loadtest.Config{URL: url, KeepAliveClients: l.connections, Duration: d, Timeout: 5 * time.Second})
	if err != nil {
		return loadResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return loadResult{}, err
	}
	return loadResult{
		requests: res.Requests(), failed: res.Failed(), rps: res.RequestsPerSecond(),
		p50: res.Latency.P50, p99: res.Latency.P99, max: res.Latency.Max,
	}, nil
}
