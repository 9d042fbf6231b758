package cloudwatchapi

import (
	"context"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/errdefs"
)

// describeAlarmHistory lists the history the alarms keep (the newest items of each alarm
// that exists), newest first unless ScanBy asks otherwise.
func (a *API) describeAlarmHistory(ctx context.Context, in *describeAlarmHistoryInput) (*describeAlarmHistoryOutput, error) {
	if t := awsproto.Deref(in.HistoryItemType); t != "" && !slices.Contains([]string{cloudwatch.HistoryConfigurationUpdate, cloudwatch.HistoryStateUpdate, "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"}, t) {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'historyItemType' failed to satisfy constraint: Member must satisfy enum value set: [ConfigurationUpdate, StateUpdate, Action, AlarmContributorStateUpdate, AlarmContributorAction]", t)
	}
	scan := awsproto.Deref(in.ScanBy)
	if scan != "" && scan != "TimestampDescending" && scan != "TimestampAscending" {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'scanBy' failed to satisfy constraint: Member must satisfy enum value set: [TimestampDescending, TimestampAscending]", scan)
	}
	items, _, err := a.store.Alarms.List(ctx, "")
	if err != nil {
		return nil, err
	}
	var all []alarmHistoryItem
	for _, it := range items {
		al := it.Value
		if in.AlarmName != nil && al.Name != *in.AlarmName {
			continue
		}
		for _, h := range al.History {
			if in.HistoryItemType != nil && h.Type != *in.HistoryItemType ||
				in.StartDate != nil && h.Time.Before(*in.StartDate) || in.EndDate != nil && h.Time.After(*in.EndDate) {
				continue
			}
			item := alarmHistoryItem{AlarmName: al.Name, AlarmType: "MetricAlarm", Timestamp: h.Time.UTC(), HistoryItemType: h.Type, HistorySummary: h.Summary}
			if h.Data != "" {
				item.HistoryData = ptr(h.Data)
			}
			all = append(all, item)
		}
	}
	slices.SortStableFunc(all, func(x, y alarmHistoryItem) int {
		if scan == "TimestampAscending" {
			return x.Timestamp.Compare(y.Timestamp)
		}
		return y.Timestamp.Compare(x.Timestamp)
	})
	page, next, err := awsproto.Paginate(pages, all, awsproto.ByOffset[alarmHistoryItem](), in.NextToken, in.MaxRecords, 100)
	if err != nil {
		return nil, err
	}
	return &describeAlarmHistoryOutput{AlarmHistoryItems: append([]alarmHistoryItem{}, page...), NextToken: next}, nil
}
