package loadtest

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Outcome is how one request ended.
type Outcome int

// The outcomes. Every request that was started and not abandoned by ctx has exactly one.
const (
	Status2xx Outcome = iota
	Status3xx
	Status4xx
	Status5xx
	// ConnectError: no connection could be opened (refused, reset, unreachable, a connect or
	// TLS handshake that failed or timed out).
	ConnectError
	// ReadWriteError: the connection broke while the request was written or the response read
	// (reset, closed before or during the response, a malformed response).
	ReadWriteError
	// Timeout: the request did not complete within Config.Timeout once connected.
	Timeout
	numOutcomes
)

var outcomeNames = [numOutcomes]string{"2xx", "3xx", "4xx", "5xx", "connect error", "read/write error", "timeout"}

func (o Outcome) String() string {
	if o < 0 || o >= numOutcomes {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

func statusOutcome(code int) Outcome {
	switch {
	case code >= 200 && code < 300:
		return Status2xx
	case code >= 300 && code < 400:
		return Status3xx
	case code >= 400 && code < 500:
		return Status4xx
	default: // 5xx, and the odd 1xx or out-of-range code a broken server might send
		return Status5xx
	}
}

// Counts holds how many requests ended with each outcome.
type Counts [numOutcomes]int64

// Of returns the number of requests that ended with o.
func (c Counts) Of(o Outcome) int64 {
	if o < 0 || o >= numOutcomes {
		return 0
	}
	return c[o]
}

// Total returns the number of requests counted.
func (c Counts) Total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// Failed returns the requests that did not get a 2xx response: other status codes and errors.
func (c Counts) Failed() int64 { return c.Total() - c[Status2xx] }

// Errors returns the requests that got no response at all.
func (c Counts) Errors() int64 { return c[ConnectError] + c[ReadWriteError] + c[Timeout] }

func (c *Counts) add(o Counts) {
	for i, v := range o {
		c[i] += v
	}
}

// Latency summarizes the time from the start of a request (its connect, for a new
// connection) to the end of its response body, over every request that got a response.
type Latency struct {
	Count                               int64
	Min, Mean, P50, P90, P99, P999, Max time.Duration
}

// ErrorSample describes one failed request.
type ErrorSample struct {
	// At is when the request started.
	At      time.Time
	Outcome Outcome
	// KeepAlive tells a keep-alive client's request from a new-connection client's.
	KeepAlive bool
	Method    string
	// Detail is the error, or the status line of a non-2xx response.
	Detail string
	// Revision is the non-2xx response's Config.RevisionHeader; "" for errors.
	Revision string
}

// Result is what a run counted. Requests abandoned when ctx ended are not in any count but
// Aborted.
type Result struct {
	// Start is when the run started; Elapsed is the wall time from then to the end of its
	// last request.
	Start   time.Time
	Elapsed time.Duration
	// Counts are over every request; KeepAlive and NewConnection split them by client kind,
	// GET and POST by method.
	Counts                   Counts
	KeepAlive, NewConnection Counts
	GET, POST                Counts
	// Revisions counts responses (of any status) by the value of Config.RevisionHeader; ""
	// counts responses without it.
	Revisions map[string]int64
	// Connections is the number of connections opened successfully.
	Connections int64
	// Aborted is the number of requests in flight when ctx ended.
	Aborted int64
	Latency Latency
	// Errors describes the earliest failed requests (at most Config.MaxErrorSamples).
	Errors []ErrorSample
}

// Requests returns the number of requests counted.
func (r Result) Requests() int64 { return r.Counts.Total() }

// Failed returns the number of requests that did not get a 2xx response: non-2xx responses
// and errors. A zero-downtime deployment has Failed() == 0.
func (r Result) Failed() int64 { return r.Counts.Failed() }

// RequestsPerSecond returns the counted requests divided by Elapsed.
func (r Result) RequestsPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests()) / r.Elapsed.Seconds()
}

// String renders the result as a summary followed by a table of outcomes, the latencies, the
// revisions and the earliest errors.
func (r Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d requests in %s (%.1f/s), %d failed", r.Requests(), r.Elapsed.Round(time.Millisecond), r.RequestsPerSecond(), r.Failed())
	if r.Aborted > 0 {
		fmt.Fprintf(&b, ", %d aborted at the end", r.Aborted)
	}
	fmt.Fprintf(&b, ", %d connections\n", r.Connections)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "outcome\ttotal\tkeep-alive\tnew-conn\tGET\tPOST\t")
	for o := range numOutcomes {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t\n", o, r.Counts[o], r.KeepAlive[o], r.NewConnection[o], r.GET[o], r.POST[o])
	}
	_ = tw.Flush() // into a strings.Builder, which cannot fail
	l := r.Latency
	fmt.Fprintf(&b, "latency  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s, %d responses)\n",
		l.P50, l.P90, l.P99, l.P999, l.Max, l.Mean, l.Count)
	if len(r.Revisions) > 0 {
		names := make([]string, 0, len(r.Revisions))
		for name := range r.Revisions {
			names = append(names, name)
		}
		sort.Strings(names)
		b.WriteString("revisions")
		for _, name := range names {
			label := name
			if label == "" {
				label = "(none)"
			}
			fmt.Fprintf(&b, "  %s %d", label, r.Revisions[name])
		}
		b.WriteByte('\n')
	}
	for i, e := range r.Errors {
		if i == 0 {
			b.WriteString("earliest failures:\n")
		}
		kind := "new-conn"
		if e.KeepAlive {
			kind = "keep-alive"
		}
		detail := e.Detail
		if e.Revision != "" {
			detail += " from " + e.Revision
		}
		fmt.Fprintf(&b, "  %s  %-10s %-4s %s: %s\n", e.At.Format("15:04:05.000"), kind, e.Method, e.Outcome, detail)
	}
	return b.String()
}
