package cloudwatchapi

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxDatapoints is how many datapoints GetMetricStatistics returns at most.
const maxDatapoints = 1440

// metricPages are ListMetrics' pages: 500 metrics each.
var metricPages = awsproto.Pages{
	Max:          500,
	SizeError:    func(int32, int) error { return errInvalidValue },
	TokenError:   func(string) error { return errInvalidNextToken },
	EmptyIsFirst: true,
}

func (a *API) listMetrics(_ context.Context, in *listMetricsInput) (*listMetricsOutput, error) {
	if r := awsproto.Deref(in.RecentlyActive); r != "" && r != "PT3H" {
		return nil, errdefs.Detail(errInvalidValue, "The value %s for parameter RecentlyActive is not valid: it must be PT3H.", r)
	}
	for _, f := range in.Dimensions {
		if awsproto.Deref(f.Name) == "" {
			return nil, errdefs.Detail(errInvalidValue, "Every dimension filter must have a Name.")
		}
	}
	var ids []cloudwatch.MetricID
	if a.metrics != nil {
		ids = a.metrics.List()
	}
	var match []cloudwatch.MetricID
	for _, id := range ids {
		if in.Namespace != nil && id.Namespace != *in.Namespace || in.MetricName != nil && id.Name != *in.MetricName || !matchesFilters(id, in.Dimensions) {
			continue
		}
		match = append(match, id)
	}
	slices.SortFunc(match, func(x, y cloudwatch.MetricID) int { return strings.Compare(x.Key(), y.Key()) })
	page, next, err := awsproto.Paginate(metricPages, match, awsproto.ByKey(cloudwatch.MetricID.Key), in.NextToken, nil, 500)
	if err != nil {
		return nil, err
	}
	out := &listMetricsOutput{Metrics: []metric{}, NextToken: next}
	for _, id := range page {
		out.Metrics = append(out.Metrics, metric{Namespace: id.Namespace, MetricName: id.Name, Dimensions: dimensionsToWire(id.Dimensions)})
	}
	return out, nil
}

// matchesFilters reports whether id has every dimension the filters name, with the value
// when they give one.
func matchesFilters(id cloudwatch.MetricID, filters []dimensionFilter) bool {
	for _, f := range filters {
		if !slices.ContainsFunc(id.Dimensions, func(d cloudwatch.Dimension) bool {
			return d.Name == *f.Name && (f.Value == nil || d.Value == *f.Value)
		}) {
			return false
		}
	}
	return true
}

func (a *API) getMetricStatistics(_ context.Context, in *getMetricStatisticsInput) (*getMetricStatisticsOutput, error) {
	if err := checkStatisticsInput(in); err != nil {
		return nil, err
	}
	period := time.Duration(*in.Period) * a.minute / 60
	if n := in.EndTime.Sub(*in.StartTime) / period; n > maxDatapoints {
		return nil, errdefs.Detail(cloudwatch.ErrInvalidCombination, "You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, maxDatapoints)
	}
	out := &getMetricStatisticsOutput{Label: *in.MetricName, Datapoints: []datapoint{}}
	if a.metrics == nil {
		return out, nil
	}
	id := cloudwatch.MetricID{Namespace: *in.Namespace, Name: *in.MetricName, Dimensions: dimensionsFromWire(in.Dimensions)}
	unit := metricUnit(id.Name)
	if in.Unit != nil && *in.Unit != unit {
		return out, nil // the metric has no datapoints of another unit
	}
	for _, d := range cloudwatch.Aggregate(a.metrics.Samples(id), *in.StartTime, *in.EndTime, period) {
		dp := datapoint{Timestamp: d.Time.UTC(), Unit: unit}
		for _, s := range in.Statistics {
			v := ptr(d.Stat(s))
			switch s {
			case cloudwatch.StatSampleCount:
				dp.SampleCount = v
			case cloudwatch.StatAverage:
				dp.Average = v
			case cloudwatch.StatSum:
				dp.Sum = v
			case cloudwatch.StatMinimum:
				dp.Minimum = v
			case cloudwatch.StatMaximum:
				dp.Maximum = v
			}
		}
		out.Datapoints = append(out.Datapoints, dp)
	}
	return out, nil
}

// checkStatisticsInput checks GetMetricStatistics' members as CloudWatch does.
func checkStatisticsInput(in *getMetricStatisticsInput) error {
	for name, missing := range map[string]bool{"Namespace": in.Namespace == nil, "MetricName": in.MetricName == nil,
		"StartTime": in.StartTime == nil, "EndTime": in.EndTime == nil, "Period": in.Period == nil} {
		if missing {
			return errdefs.Detail(errMissingParameter, "The parameter %s is required.", name)
		}
	}
	switch {
	case len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0:
		return errdefs.Detail(errMissingParameter, "The parameter Statistics or ExtendedStatistics is required.")
	case len(in.ExtendedStatistics) > 0:
		return errdefs.Detail(errInvalidValue, "ExtendedStatistics (percentiles) are not supported: fargo's counters have no percentiles.")
	case len(in.Statistics) > 5:
		return errdefs.InvalidArgument("1 validation error detected: Value at 'statistics' failed to satisfy constraint: Member must have length less than or equal to 5")
	case *in.Period < 1 || *in.Period != 1 && *in.Period != 5 && *in.Period != 10 && *in.Period != 30 && *in.Period%60 != 0:
		return errdefs.Detail(errInvalidValue, "The parameter Period must be 1, 5, 10, 30 or a multiple of 60.")
	case !in.StartTime.Before(*in.EndTime):
		return errdefs.Detail(errInvalidValue, "The parameter StartTime must be less than the parameter EndTime.")
	}
	for _, s := range in.Statistics {
		if !slices.Contains(cloudwatch.Statistics, s) {
			return errdefs.Detail(errInvalidValue, "The parameter Statistics.member.1 must be a value in the set [ Maximum, Sum, SampleCount, Minimum, Average ].")
		}
	}
	return nil
}

// metricUnit is the unit ALB reports a metric in.
func metricUnit(string) string { return "Count" }
