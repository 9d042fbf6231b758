package cloudwatchapi

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"time"
)

// flexTime is a timestamp member of a JSON body: epoch seconds, as the JSON 1.0 protocol
// sends them, or an RFC 3339 string, as the front door transcodes a CBOR timestamp.
type flexTime time.Time

// UnmarshalJSON reads either form; null leaves the time unset.
func (f *flexTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var t time.Time
		if err := json.Unmarshal(b, &t); err != nil {
			return err
		}
		*f = flexTime(t.UTC())
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return err
	}
	*f = flexTime(time.UnixMicro(int64(math.Round(secs * 1e6))).UTC())
	return nil
}

func (f *flexTime) time() *time.Time {
	if f == nil {
		return nil
	}
	t := time.Time(*f)
	return &t
}

// The inputs with timestamps, as JSON bodies carry them: the outer members hide the
// embedded ones of the same name.
type (
	getMetricStatisticsJSON struct {
		getMetricStatisticsInput
		StartTime *flexTime `json:"StartTime"`
		EndTime   *flexTime `json:"EndTime"`
	}
	describeAlarmHistoryJSON struct {
		describeAlarmHistoryInput
		StartDate *flexTime `json:"StartDate"`
		EndDate   *flexTime `json:"EndDate"`
	}
)

func (a *API) getMetricStatisticsFromJSON(ctx context.Context, in *getMetricStatisticsJSON) (*getMetricStatisticsOutput, error) {
	i := in.getMetricStatisticsInput
	i.StartTime, i.EndTime = in.StartTime.time(), in.EndTime.time()
	return a.getMetricStatistics(ctx, &i)
}

func (a *API) describeAlarmHistoryFromJSON(ctx context.Context, in *describeAlarmHistoryJSON) (*describeAlarmHistoryOutput, error) {
	i := in.describeAlarmHistoryInput
	i.StartDate, i.EndDate = in.StartDate.time(), in.EndDate.time()
	return a.describeAlarmHistory(ctx, &i)
}
