// Command loadgen runs fargo's load generator (internal/loadtest) as a process of its own, so
// that an end-to-end test can send load from inside a network namespace: goroutines of the test
// process cannot live in another namespace, a process started with `ip netns exec` can.
//
// It prints one JSON line of the counts so far every -interval, and a last one marked final when
// SIGTERM or SIGINT ends it; a test reads the lines to count each phase's requests. With -get it
// sends one GET instead and prints the body (exit 1 unless the answer is a 200).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/loadtest"
)

// Line is one report: cumulative counts since the start.
type Line struct {
	At       time.Time        `json:"at"`
	Final    bool             `json:"final,omitempty"`
	Requests int64            `json:"requests"`
	Failed   int64            `json:"failed"`
	ByKind   map[string]int64 `json:"byKind"`
	Aborted  int64            `json:"aborted"`
	Errors   []Failure        `json:"errors,omitempty"`
}

// Failure is one failed request.
type Failure struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	KeepAlive bool      `json:"keepAlive"`
	Detail    string    `json:"detail"`
}

func main() {
	url := flag.String("url", "", "where requests go")
	get := flag.Bool("get", false, "send one GET of -url, print the body and exit")
	keepAlive := flag.Int("keep-alive", 3, "keep-alive clients")
	newConn := flag.Int("new-conn", 2, "clients that open a connection per request")
	rate := flag.Float64("rate", 100, "requests per second over all clients")
	interval := flag.Duration("interval", 250*time.Millisecond, "how often to print the counts")
	flag.Parse()
	if *get {
		os.Exit(getOnce(*url))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	enc := json.NewEncoder(os.Stdout)
	_, err := loadtest.Run(ctx, loadtest.Config{
		URL: *url, KeepAliveClients: *keepAlive, NewConnectionClients: *newConn, Rate: *rate,
		ProgressInterval: *interval, MaxErrorSamples: 1000,
		Progress: func(r loadtest.Result) { _ = enc.Encode(line(r, ctx.Err() != nil)) },
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(2)
	}
}

func line(r loadtest.Result, final bool) Line {
	l := Line{At: time.Now(), Final: final, Requests: r.Requests(), Failed: r.Failed(), Aborted: r.Aborted, ByKind: map[string]int64{}}
	for o := loadtest.Status2xx; o <= loadtest.Timeout; o++ {
		if n := r.Counts.Of(o); n > 0 {
			l.ByKind[o.String()] = n
		}
	}
	for _, e := range r.Errors {
		l.Errors = append(l.Errors, Failure{At: e.At, Kind: e.Outcome.String(), KeepAlive: e.KeepAlive, Detail: e.Detail})
	}
	return l
}

func getOnce(url string) int {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		fmt.Fprintf(os.Stderr, "GET %s: %d %v\n%s", url, resp.StatusCode, err, body)
		return 1
	}
	_, _ = os.Stdout.Write(body)
	return 0
}
