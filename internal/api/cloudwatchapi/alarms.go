package cloudwatchapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// pages are DescribeAlarms' and DescribeAlarmHistory's pagination: up to 100 records a page.
var pages = awsproto.Pages{
	Max: 100,
	SizeError: func(size int32, limit int) error {
		return errdefs.InvalidArgument("The value %d for parameter MaxRecords is not valid: it must be between 1 and %d.", size, limit)
	},
	TokenError:   func(string) error { return errInvalidNextToken },
	EmptyIsFirst: true,
}

func (a *API) putMetricAlarm(ctx context.Context, in *putMetricAlarmInput) (*struct{}, error) {
	spec, err := alarmSpec(in)
	if err != nil {
		return nil, err
	}
	spec.ARN = a.alarmARN(spec.Name)
	now := a.now()
	_, err = a.store.Alarms.Update(ctx, spec.Name, func(cur *cloudwatch.Alarm) error {
		next, err := cloudwatch.Put(*cur, true, spec, now)
		*cur = next
		return err
	})
	if !errors.Is(err, errdefs.ErrNotFound) {
		return nil, err
	}
	items, _, err := a.store.Alarms.List(ctx, "")
	if err != nil {
		return nil, err
	}
	if len(items) >= cloudwatch.MaxAlarms {
		return nil, errdefs.Detail(cloudwatch.ErrLimitExceeded, "The maximum allowed number of alarms (%d) has been reached.", cloudwatch.MaxAlarms)
	}
	alarm, err := cloudwatch.Put(cloudwatch.Alarm{}, false, spec, now)
	if err != nil {
		return nil, err
	}
	_, err = a.store.Alarms.Create(ctx, spec.Name, alarm)
	if errors.Is(err, errdefs.ErrAlreadyExists) {
		return a.putMetricAlarm(ctx, in) // created meanwhile: update it
	}
	return nil, err
}

// alarmSpec turns PutMetricAlarm's input into the alarm it asks for.
func alarmSpec(in *putMetricAlarmInput) (cloudwatch.Alarm, error) {
	switch {
	case len(in.Metrics) > 0 || in.ThresholdMetricID != nil:
		return cloudwatch.Alarm{}, errdefs.InvalidArgument("Metric math alarms (Metrics) are not supported: fargo evaluates alarms on one metric.")
	case in.ExtendedStatistic != nil && in.Statistic != nil:
		return cloudwatch.Alarm{}, errdefs.Detail(cloudwatch.ErrInvalidCombination, "Exactly one of Statistic and ExtendedStatistic must be specified.")
	case in.ExtendedStatistic != nil:
		return cloudwatch.Alarm{}, errdefs.InvalidArgument("ExtendedStatistic (percentiles) is not supported: fargo's counters have no percentiles to alarm on.")
	case in.EvaluationPeriods == nil:
		return cloudwatch.Alarm{}, errdefs.InvalidArgument("1 validation error detected: Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null")
	case in.ComparisonOperator == nil:
		return cloudwatch.Alarm{}, errdefs.InvalidArgument("1 validation error detected: Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null")
	case in.Threshold == nil:
		return cloudwatch.Alarm{}, errdefs.InvalidArgument("Threshold must be specified.")
	}
	a := cloudwatch.Alarm{
		Name: awsproto.Deref(in.AlarmName), Description: awsproto.Deref(in.AlarmDescription), ActionsEnabled: in.ActionsEnabled == nil || *in.ActionsEnabled,
		OKActions: in.OKActions, AlarmActions: in.AlarmActions, InsufficientDataActions: in.InsufficientDataActions,
		Namespace: awsproto.Deref(in.Namespace), MetricName: awsproto.Deref(in.MetricName), Statistic: awsproto.Deref(in.Statistic),
		Period: int(awsproto.Deref(in.Period)), Unit: awsproto.Deref(in.Unit), EvaluationPeriods: int(*in.EvaluationPeriods),
		DatapointsToAlarm: int(awsproto.Deref(in.DatapointsToAlarm)), Threshold: *in.Threshold, Comparison: *in.ComparisonOperator,
		TreatMissingData: awsproto.Deref(in.TreatMissingData),
	}
	for _, d := range in.Dimensions {
		a.Dimensions = append(a.Dimensions, cloudwatch.Dimension{Name: awsproto.Deref(d.Name), Value: awsproto.Deref(d.Value)})
	}
	return a, nil
}

func (a *API) describeAlarms(ctx context.Context, in *describeAlarmsInput) (*describeAlarmsOutput, error) {
	if in.StateValue != nil && !cloudwatch.StateValue(*in.StateValue).Valid() {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]", *in.StateValue)
	}
	if len(in.AlarmNames) > 100 {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100")
	}
	items, _, err := a.store.Alarms.List(ctx, "")
	if err != nil {
		return nil, err
	}
	out := &describeAlarmsOutput{MetricAlarms: []metricAlarm{}, CompositeAlarms: []struct{}{}}
	wantMetric := len(in.AlarmTypes) == 0 || slices.Contains(in.AlarmTypes, "MetricAlarm")
	var match []cloudwatch.Alarm
	for _, it := range items {
		al := it.Value
		if wantMetric && (len(in.AlarmNames) == 0 || slices.Contains(in.AlarmNames, al.Name)) &&
			(in.AlarmNamePrefix == nil || strings.HasPrefix(al.Name, *in.AlarmNamePrefix)) &&
			(in.StateValue == nil || string(al.State) == *in.StateValue) && in.ActionPrefix == nil {
			match = append(match, al)
		}
	}
	page, next, err := awsproto.Paginate(pages, match, awsproto.ByKey(func(al cloudwatch.Alarm) string { return al.Name }), in.NextToken, in.MaxRecords, 50)
	if err != nil {
		return nil, err
	}
	for _, al := range page {
		out.MetricAlarms = append(out.MetricAlarms, alarmToWire(al))
	}
	out.NextToken = next
	return out, nil
}

func (a *API) describeAlarmsForMetric(ctx context.Context, in *describeAlarmsForMetricInput) (*describeAlarmsForMetricOutput, error) {
	if in.MetricName == nil || in.Namespace == nil {
		return nil, errdefs.InvalidArgument("MetricName and Namespace must be specified.")
	}
	items, _, err := a.store.Alarms.List(ctx, "")
	if err != nil {
		return nil, err
	}
	dims := dimensionsFromWire(in.Dimensions)
	out := &describeAlarmsForMetricOutput{MetricAlarms: []metricAlarm{}}
	for _, it := range items {
		al := it.Value
		if al.Namespace != *in.Namespace || al.MetricName != *in.MetricName ||
			in.Dimensions != nil && !cloudwatch.SameDimensions(al.Dimensions, dims) ||
			in.Statistic != nil && al.Statistic != *in.Statistic ||
			in.Period != nil && al.Period != int(*in.Period) || in.Unit != nil && al.Unit != *in.Unit {
			continue
		}
		out.MetricAlarms = append(out.MetricAlarms, alarmToWire(al))
	}
	return out, nil
}

// deleteAlarms deletes the named alarms; when one does not exist, none is deleted, as
// CloudWatch answers ResourceNotFound for the request.
func (a *API) deleteAlarms(ctx context.Context, in *alarmNamesInput) (*struct{}, error) {
	if len(in.AlarmNames) == 0 {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'alarmNames' failed to satisfy constraint: Member must not be null")
	}
	var txn store.Txn
	for _, name := range dedupe(in.AlarmNames) {
		it, err := a.store.Alarms.Get(ctx, name)
		if errors.Is(err, errdefs.ErrNotFound) {
			return nil, errdefs.Detail(cloudwatch.ErrAlarmNotFound, "1 of the alarms provided do not exist: [%s].", name)
		}
		if err != nil {
			return nil, err
		}
		a.store.Alarms.Remove(&txn, name, it.Revision)
	}
	_, err := a.store.Commit(ctx, &txn)
	return nil, err
}

func (a *API) setAlarmState(ctx context.Context, in *setAlarmStateInput) (*struct{}, error) {
	switch {
	case in.AlarmName == nil || in.StateValue == nil || in.StateReason == nil:
		return nil, errdefs.InvalidArgument("AlarmName, StateValue and StateReason must be specified.")
	case !cloudwatch.StateValue(*in.StateValue).Valid():
		return nil, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]", *in.StateValue)
	case len(*in.StateReason) > 1023:
		return nil, errdefs.InvalidArgument("StateReason must be at most 1023 characters.")
	case in.StateReasonData != nil && !jsonObject(*in.StateReasonData):
		return nil, errdefs.Detail(errInvalidFormat, "StateReasonData is not valid JSON.")
	}
	now := a.now()
	_, err := a.store.Alarms.Update(ctx, *in.AlarmName, func(al *cloudwatch.Alarm) error {
		al.SetState(cloudwatch.StateValue(*in.StateValue), *in.StateReason, awsproto.Deref(in.StateReasonData), now)
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, errdefs.Detail(cloudwatch.ErrAlarmNotFound, "Alarm %s not found", *in.AlarmName)
	}
	return nil, err
}

func (a *API) enableAlarmActions(ctx context.Context, in *alarmNamesInput) (*struct{}, error) {
	return nil, a.setActionsEnabled(ctx, in.AlarmNames, true)
}

func (a *API) disableAlarmActions(ctx context.Context, in *alarmNamesInput) (*struct{}, error) {
	return nil, a.setActionsEnabled(ctx, in.AlarmNames, false)
}

// setActionsEnabled sets ActionsEnabled of the named alarms; names of no alarm are skipped,
// as CloudWatch skips them.
func (a *API) setActionsEnabled(ctx context.Context, names []string, enabled bool) error {
	if len(names) == 0 {
		return errdefs.InvalidArgument("1 validation error detected: Value null at 'alarmNames' failed to satisfy constraint: Member must not be null")
	}
	for _, name := range dedupe(names) {
		_, err := a.store.Alarms.Update(ctx, name, func(al *cloudwatch.Alarm) error {
			al.ActionsEnabled = enabled
			return nil
		})
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return err
		}
	}
	return nil
}
