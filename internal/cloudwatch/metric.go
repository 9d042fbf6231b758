package cloudwatch

import (
	"math"
	"slices"
	"strings"
	"time"
)

// NamespaceELB is the namespace of the metrics fargo's load balancers publish.
const NamespaceELB = "AWS/ApplicationELB"

// The metrics fargo derives from its load balancers' counters, as ALB names them.
const (
	MetricRequestCount       = "RequestCount"
	MetricTarget5XX          = "HTTPCode_Target_5XX_Count"
	MetricELB5XX             = "HTTPCode_ELB_5XX_Count"
	MetricELB502             = "HTTPCode_ELB_502_Count"
	MetricELB503             = "HTTPCode_ELB_503_Count"
	MetricELB504             = "HTTPCode_ELB_504_Count"
	MetricHealthyHostCount   = "HealthyHostCount"
	MetricUnHealthyHostCount = "UnHealthyHostCount"
)

// The dimensions of ALB metrics.
const (
	DimLoadBalancer = "LoadBalancer"
	DimTargetGroup  = "TargetGroup"
)

// MetricID names one metric: its namespace, name and dimensions.
type MetricID struct {
	Namespace  string
	Name       string
	Dimensions []Dimension
}

// Key is a string that identifies the metric, its dimensions in name order.
func (m MetricID) Key() string {
	dims := SortedDimensions(m.Dimensions)
	var b strings.Builder
	b.WriteString(m.Namespace + "\x00" + m.Name)
	for _, d := range dims {
		b.WriteString("\x00" + d.Name + "=" + d.Value)
	}
	return b.String()
}

// SortedDimensions returns a copy of dims in name order.
func SortedDimensions(dims []Dimension) []Dimension {
	out := slices.Clone(dims)
	slices.SortFunc(out, func(a, b Dimension) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// SameDimensions reports whether a and b hold the same dimensions in any order.
func SameDimensions(a, b []Dimension) bool {
	return slices.Equal(SortedDimensions(a), SortedDimensions(b))
}

// Sample is one value of a metric: a count over the sampling interval that ends at Time, or
// a gauge read at Time.
type Sample struct {
	Time  time.Time
	Value float64
}

// Datapoint is the statistics of a metric's samples over one period, which begins at Time.
type Datapoint struct {
	Time        time.Time
	SampleCount float64
	Sum         float64
	Minimum     float64
	Maximum     float64
}

// Average is the datapoint's Sum over its SampleCount.
func (d Datapoint) Average() float64 {
	if d.SampleCount == 0 {
		return 0
	}
	return d.Sum / d.SampleCount
}

// Stat returns the value of statistic stat.
func (d Datapoint) Stat(stat string) float64 {
	switch stat {
	case StatSampleCount:
		return d.SampleCount
	case StatAverage:
		return d.Average()
	case StatMinimum:
		return d.Minimum
	case StatMaximum:
		return d.Maximum
	default:
		return d.Sum
	}
}

// Aggregate groups samples into periods of length period, aligned as time.Truncate aligns
// (minutes and hours fall on the clock's), and returns a datapoint for each period in
// [from, to) that has samples, oldest first. A sample at a period's end belongs to the next.
func Aggregate(samples []Sample, from, to time.Time, period time.Duration) []Datapoint {
	if period <= 0 {
		return nil
	}
	var out []Datapoint
	for _, s := range samples {
		if s.Time.Before(from) || !s.Time.Before(to) {
			continue
		}
		start := s.Time.Truncate(period)
		if n := len(out); n > 0 && out[n-1].Time.Equal(start) {
			d := &out[n-1]
			d.SampleCount++
			d.Sum += s.Value
			d.Minimum = math.Min(d.Minimum, s.Value)
			d.Maximum = math.Max(d.Maximum, s.Value)
			continue
		}
		out = append(out, Datapoint{Time: start, SampleCount: 1, Sum: s.Value, Minimum: s.Value, Maximum: s.Value})
	}
	slices.SortStableFunc(out, func(a, b Datapoint) int { return a.Time.Compare(b.Time) })
	return mergeSamePeriods(out)
}

// mergeSamePeriods merges neighbouring datapoints of one period (samples out of time order).
func mergeSamePeriods(dps []Datapoint) []Datapoint {
	var out []Datapoint
	for _, d := range dps {
		if n := len(out); n > 0 && out[n-1].Time.Equal(d.Time) {
			p := &out[n-1]
			p.SampleCount += d.SampleCount
			p.Sum += d.Sum
			p.Minimum = math.Min(p.Minimum, d.Minimum)
			p.Maximum = math.Max(p.Maximum, d.Maximum)
			continue
		}
		out = append(out, d)
	}
	return out
}
