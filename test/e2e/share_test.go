package e2e

import (
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

// shareZ is the width, in standard deviations, of the interval that a measured share of
// traffic must fall in: 3.89 leaves a correct data plane one false alarm in 10,000 checks
// (a 99.99% interval), which a suite of a dozen share checks can afford on every CI run.
const shareZ = 3.89

// shareSamples is how many requests measure a share: enough that a 10% weight (at least
// 4.2% measured) cannot pass for 0%, and neighbouring steps of 30% cannot pass for each other.
const shareSamples = 400

// routingSettle is how long a listener change that the API reports is given to reach the
// proxy (which applies it from a watch of the store, in milliseconds) before a share is
// measured.
const routingSettle = 500 * time.Millisecond

// shareBounds returns the interval in which the share of n requests answered by a group of
// weight percent must fall: exactly 0 or 1 at 0% and 100%, which route no request elsewhere;
// otherwise p ± shareZ·sqrt(p(1−p)/n), the binomial interval of its weighted random choice.
func shareBounds(weight, n int) (lo, hi float64) {
	p := float64(weight) / 100
	if weight <= 0 || weight >= 100 {
		return p, p
	}
	d := shareZ * math.Sqrt(p*(1-p)/float64(n))
	return max(p-d, 0), min(p+d, 1)
}

// checkShare sends n requests to url and fails the test unless the share that version
// answered is within shareBounds(weight, n). Every request must be answered by the example
// app with 200: an error answer fails the test, it is no version's.
func checkShare(t *testing.T, url, version string, weight, n int) {
	t.Helper()
	got := versionCounts(t, url, n)
	share := float64(got[version]) / float64(n)
	lo, hi := shareBounds(weight, n)
	t.Logf("at %d%%: %s answered %.1f%% of %d requests (bounds %.1f%%–%.1f%%), all answers %v", weight, version, 100*share, n, 100*lo, 100*hi, got)
	if share < lo || share > hi {
		t.Fatalf("at %d%%: %s answered %.1f%% of %d requests, outside %.1f%%–%.1f%% (answers %v)", weight, version, 100*share, n, 100*lo, 100*hi, got)
	}
}

// versionCounts sends n GETs to url, each on a new connection, and counts the answers by the
// version of the example app that gave them. Anything but a 200 from the app fails the test.
func versionCounts(t *testing.T, url string, n int) map[string]int {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	counts := map[string]int{}
	for i := range n {
		resp, err := client.Get(url)
		if err != nil {
			t.Fatalf("request %d of %d: %v", i+1, n, err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close() // the body was read to its end
		if err != nil {
			t.Fatalf("request %d of %d: reading the body: %v", i+1, n, err)
		}
		version := resp.Header.Get("X-App-Version")
		if resp.StatusCode != http.StatusOK || version == "" || !strings.HasPrefix(string(body), "hello from "+version+" ") {
			t.Fatalf("request %d of %d: %s (version %q): %q", i+1, n, resp.Status, version, body)
		}
		counts[version]++
	}
	return counts
}

// TestShareBounds pins what the share checks can tell apart with shareSamples requests.
func TestShareBounds(t *testing.T) {
	t.Parallel()
	for _, w := range []int{0, 100} {
		if lo, hi := shareBounds(w, shareSamples); lo != float64(w)/100 || hi != lo {
			t.Errorf("at %d%%: bounds %v–%v, want exactly %v", w, lo, hi, float64(w)/100)
		}
	}
	if lo, hi := shareBounds(10, shareSamples); lo <= 0 || hi >= 0.2 {
		t.Errorf("at 10%%: bounds %v–%v cannot tell 10%% from 0%% or 20%%", lo, hi)
	}
	steps := []int{0, 30, 60, 90, 100} // the linear test's
	for i := 1; i < len(steps); i++ {
		_, hi := shareBounds(steps[i-1], shareSamples)
		if lo, _ := shareBounds(steps[i], shareSamples); lo <= hi {
			t.Errorf("the bounds of %d%% and %d%% overlap", steps[i-1], steps[i])
		}
	}
}
