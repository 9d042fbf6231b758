package loadtest

import (
	"math"
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: 2^subBits buckets per power of two, so a recorded
// value lies within 1/64 (1.6%) of its bucket's bounds.
const subBits = 6

// maxBucketBits bounds recorded values to 2^36 µs (about 19 hours); longer ones count as that.
const maxBucketBits = 36

const numBuckets = (maxBucketBits-subBits)<<subBits + 1<<subBits

// histogram counts latencies in microseconds in log-linear buckets, like HdrHistogram: exact
// below 64 µs, then 64 buckets per power of two. Recording is an index computation and an
// increment.
type histogram struct {
	counts   [numBuckets]int64
	n        int64
	sum      int64 // µs
	min, max int64 // µs
}

func bucketOf(v int64) int {
	if v < 1<<subBits {
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBits - 1
	return shift<<subBits + int(v>>shift)
}

// bucketRange returns the smallest and largest value that fall into bucket i.
func bucketRange(i int) (lo, hi int64) {
	if i < 1<<subBits {
		return int64(i), int64(i)
	}
	shift := i>>subBits - 1
	m := int64(i&(1<<subBits-1) | 1<<subBits)
	return m << shift, (m+1)<<shift - 1
}

func (h *histogram) record(d time.Duration) {
	v := d.Microseconds()
	if v < 0 {
		v = 0
	}
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += v
	if b := bucketOf(v); b < numBuckets {
		h.counts[b]++
	} else {
		h.counts[numBuckets-1]++
	}
}

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// percentile returns the value below which p percent of the recorded values lie: the middle of
// the bucket that holds that rank, clamped to the recorded minimum and maximum.
func (h *histogram) percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(p / 100 * float64(h.n)))
	rank = max(1, min(rank, h.n))
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			lo, hi := bucketRange(i)
			v := min(max(lo+(hi-lo)/2, h.min), h.max)
			return time.Duration(v) * time.Microsecond
		}
	}
	return time.Duration(h.max) * time.Microsecond
}

func (h *histogram) latency() Latency {
	if h.n == 0 {
		return Latency{}
	}
	us := func(v int64) time.Duration { return time.Duration(v) * time.Microsecond }
	return Latency{
		Count: h.n,
		Min:   us(h.min),
		Mean:  us(h.sum / h.n),
		P50:   h.percentile(50),
		P90:   h.percentile(90),
		P99:   h.percentile(99),
		P999:  h.percentile(99.9),
		Max:   us(h.max),
	}
}
