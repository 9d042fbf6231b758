package cloudwatchapi

import (
	"context"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxQueries is how many queries one GetMetricData call holds.
const maxQueries = 500

type metricStat struct {
	Metric *struct {
		Namespace  *string     `json:"Namespace" query:"Namespace"`
		MetricName *string     `json:"MetricName" query:"MetricName"`
		Dimensions []dimension `json:"Dimensions" query:"Dimensions"`
	} `json:"Metric" query:"Metric"`
	Period *int32  `json:"Period" query:"Period"`
	Stat   *string `json:"Stat" query:"Stat"`
	Unit   *string `json:"Unit" query:"Unit"`
}

type metricDataQuery struct {
	ID         *string     `json:"Id" query:"Id"`
	MetricStat *metricStat `json:"MetricStat" query:"MetricStat"`
	Expression *string     `json:"Expression" query:"Expression"`
	Label      *string     `json:"Label" query:"Label"`
	ReturnData *bool       `json:"ReturnData" query:"ReturnData"`
	Period     *int32      `json:"Period" query:"Period"`
	AccountID  *string     `json:"AccountId" query:"AccountId"`
}

type getMetricDataInput struct {
	MetricDataQueries []metricDataQuery `json:"MetricDataQueries" query:"MetricDataQueries"`
	StartTime         *time.Time        `json:"StartTime" query:"StartTime"`
	EndTime           *time.Time        `json:"EndTime" query:"EndTime"`
	NextToken         *string           `json:"NextToken" query:"NextToken"`
	ScanBy            *string           `json:"ScanBy" query:"ScanBy"`
	MaxDatapoints     *int32            `json:"MaxDatapoints" query:"MaxDatapoints"`
}

// getMetricDataJSON is GetMetricData's input as JSON bodies carry it (flexTime).
type getMetricDataJSON struct {
	getMetricDataInput
	StartTime *flexTime `json:"StartTime"`
	EndTime   *flexTime `json:"EndTime"`
}

type metricDataResult struct {
	ID         string      `json:"Id" xml:"Id"`
	Label      string      `json:"Label" xml:"Label"`
	Timestamps []time.Time `json:"Timestamps" xml:"Timestamps>member"`
	Values     []float64   `json:"Values" xml:"Values>member"`
	StatusCode string      `json:"StatusCode" xml:"StatusCode"`
	Messages   []struct{}  `json:"Messages" xml:"Messages>member"`
}

type getMetricDataOutput struct {
	MetricDataResults []metricDataResult `json:"MetricDataResults" xml:"MetricDataResults>member"`
	Messages          []struct{}         `json:"Messages" xml:"Messages>member"`
	NextToken         *string            `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

func (a *API) getMetricDataFromJSON(ctx context.Context, in *getMetricDataJSON) (*getMetricDataOutput, error) {
	i := in.getMetricDataInput
	i.StartTime, i.EndTime = in.StartTime.time(), in.EndTime.time()
	return a.getMetricData(ctx, &i)
}

// getMetricData answers MetricStat queries over the sampled metrics, all in one page;
// metric math expressions are not supported.
func (a *API) getMetricData(_ context.Context, in *getMetricDataInput) (*getMetricDataOutput, error) {
	if err := checkMetricDataInput(in); err != nil {
		return nil, err
	}
	out := &getMetricDataOutput{MetricDataResults: []metricDataResult{}, Messages: []struct{}{}}
	for _, q := range in.MetricDataQueries {
		if q.ReturnData != nil && !*q.ReturnData {
			continue
		}
		out.MetricDataResults = append(out.MetricDataResults, a.metricData(q, *in.StartTime, *in.EndTime, awsproto.Deref(in.ScanBy) == "TimestampAscending"))
	}
	return out, nil
}

// metricData is the result of one MetricStat query.
func (a *API) metricData(q metricDataQuery, from, to time.Time, ascending bool) metricDataResult {
	s := q.MetricStat
	id := cloudwatch.MetricID{Namespace: awsproto.Deref(s.Metric.Namespace), Name: awsproto.Deref(s.Metric.MetricName), Dimensions: dimensionsFromWire(s.Metric.Dimensions)}
	r := metricDataResult{ID: *q.ID, Label: awsproto.Deref(q.Label), Timestamps: []time.Time{}, Values: []float64{}, StatusCode: "Complete", Messages: []struct{}{}}
	if r.Label == "" {
		r.Label = id.Name
	}
	if a.metrics == nil || s.Unit != nil && *s.Unit != metricUnit(id.Name) {
		return r
	}
	period := time.Duration(*s.Period) * a.minute / 60
	dps := cloudwatch.Aggregate(a.metrics.Samples(id), from, to, period)
	if !ascending {
		slices.Reverse(dps)
	}
	for _, d := range dps {
		r.Timestamps = append(r.Timestamps, d.Time.UTC())
		r.Values = append(r.Values, d.Stat(*s.Stat))
	}
	return r
}

func checkMetricDataInput(in *getMetricDataInput) error {
	switch {
	case len(in.MetricDataQueries) == 0 || in.StartTime == nil || in.EndTime == nil:
		return errdefs.InvalidArgument("MetricDataQueries, StartTime and EndTime must be specified.")
	case len(in.MetricDataQueries) > maxQueries:
		return errdefs.InvalidArgument("A request holds at most %d MetricDataQueries.", maxQueries)
	case !in.StartTime.Before(*in.EndTime):
		return errdefs.InvalidArgument("The parameter StartTime must be less than the parameter EndTime.")
	case in.ScanBy != nil && *in.ScanBy != "TimestampDescending" && *in.ScanBy != "TimestampAscending":
		return errdefs.InvalidArgument("ScanBy must be TimestampDescending or TimestampAscending.")
	}
	ids := map[string]bool{}
	for _, q := range in.MetricDataQueries {
		switch {
		case awsproto.Deref(q.ID) == "":
			return errdefs.InvalidArgument("Every query needs an Id.")
		case ids[*q.ID]:
			return errdefs.InvalidArgument("The Id %s is used by more than one query.", *q.ID)
		case q.Expression != nil:
			return errdefs.InvalidArgument("Metric math expressions are not supported: query %s. Use MetricStat.", *q.ID)
		case q.MetricStat == nil || q.MetricStat.Metric == nil || q.MetricStat.Period == nil || q.MetricStat.Stat == nil:
			return errdefs.InvalidArgument("Query %s needs a MetricStat with a Metric, a Period and a Stat.", *q.ID)
		case !slices.Contains(cloudwatch.Statistics, *q.MetricStat.Stat):
			return errdefs.InvalidArgument("The Stat %s of query %s is not one of SampleCount, Average, Sum, Minimum, Maximum.", *q.MetricStat.Stat, *q.ID)
		case *q.MetricStat.Period < 1 || *q.MetricStat.Period != 1 && *q.MetricStat.Period != 5 && *q.MetricStat.Period != 10 && *q.MetricStat.Period != 30 && *q.MetricStat.Period%60 != 0:
			return errdefs.InvalidArgument("The Period of query %s must be 1, 5, 10, 30 or a multiple of 60.", *q.ID)
		}
		ids[*q.ID] = true
	}
	return nil
}
