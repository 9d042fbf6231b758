package cloudwatchapi

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
)

func ptr[T any](v T) *T { return &v }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func dedupe(names []string) []string {
	out := slices.Clone(names)
	slices.Sort(out)
	return slices.Compact(out)
}

func jsonObject(s string) bool {
	var v map[string]any
	return json.Unmarshal([]byte(s), &v) == nil
}

func dimensionsFromWire(dims []dimension) []cloudwatch.Dimension {
	var out []cloudwatch.Dimension
	for _, d := range dims {
		out = append(out, cloudwatch.Dimension{Name: awsproto.Deref(d.Name), Value: awsproto.Deref(d.Value)})
	}
	return out
}

func dimensionsToWire(dims []cloudwatch.Dimension) []dimension {
	out := []dimension{}
	for _, d := range dims {
		out = append(out, dimension{Name: ptr(d.Name), Value: ptr(d.Value)})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func alarmToWire(a cloudwatch.Alarm) metricAlarm {
	out := metricAlarm{
		AlarmName: ptr(a.Name), AlarmArn: ptr(a.ARN), AlarmConfigurationUpdatedTimestamp: timePtr(a.ConfigUpdatedAt),
		ActionsEnabled: a.ActionsEnabled, OKActions: nonNil(a.OKActions), AlarmActions: nonNil(a.AlarmActions),
		InsufficientDataActions: nonNil(a.InsufficientDataActions), StateValue: string(a.State), StateReason: a.StateReason,
		StateUpdatedTimestamp: timePtr(a.StateUpdatedAt), MetricName: a.MetricName, Namespace: a.Namespace,
		Statistic: a.Statistic, Dimensions: dimensionsToWire(a.Dimensions), Period: int32(a.Period),
		EvaluationPeriods: int32(a.EvaluationPeriods), Threshold: a.Threshold, ComparisonOperator: a.Comparison,
		StateTransitionedTimestamp: timePtr(a.StateTransitionedAt),
	}
	if a.Description != "" {
		out.AlarmDescription = ptr(a.Description)
	}
	if a.StateReasonData != "" {
		out.StateReasonData = ptr(a.StateReasonData)
	}
	if a.Unit != "" {
		out.Unit = ptr(a.Unit)
	}
	if a.DatapointsToAlarm > 0 {
		out.DatapointsToAlarm = ptr(int32(a.DatapointsToAlarm))
	}
	if a.TreatMissingData != "" {
		out.TreatMissingData = ptr(a.TreatMissingData)
	}
	return out
}
