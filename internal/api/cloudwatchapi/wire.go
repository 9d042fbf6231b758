package cloudwatchapi

import "time"

// The wire shapes of CloudWatch. One set serves both protocols: json names are the members
// of the CBOR maps (the front door transcodes CBOR requests to JSON, and encodes responses
// with these names), query and xml names those of Query requests and responses.

type dimension struct {
	Name  *string `json:"Name,omitempty" query:"Name" xml:"Name,omitempty"`
	Value *string `json:"Value,omitempty" query:"Value" xml:"Value,omitempty"`
}

type putMetricAlarmInput struct {
	AlarmName                        *string     `json:"AlarmName" query:"AlarmName"`
	AlarmDescription                 *string     `json:"AlarmDescription" query:"AlarmDescription"`
	ActionsEnabled                   *bool       `json:"ActionsEnabled" query:"ActionsEnabled"`
	OKActions                        []string    `json:"OKActions" query:"OKActions"`
	AlarmActions                     []string    `json:"AlarmActions" query:"AlarmActions"`
	InsufficientDataActions          []string    `json:"InsufficientDataActions" query:"InsufficientDataActions"`
	MetricName                       *string     `json:"MetricName" query:"MetricName"`
	Namespace                        *string     `json:"Namespace" query:"Namespace"`
	Statistic                        *string     `json:"Statistic" query:"Statistic"`
	ExtendedStatistic                *string     `json:"ExtendedStatistic" query:"ExtendedStatistic"`
	Dimensions                       []dimension `json:"Dimensions" query:"Dimensions"`
	Period                           *int32      `json:"Period" query:"Period"`
	Unit                             *string     `json:"Unit" query:"Unit"`
	EvaluationPeriods                *int32      `json:"EvaluationPeriods" query:"EvaluationPeriods"`
	DatapointsToAlarm                *int32      `json:"DatapointsToAlarm" query:"DatapointsToAlarm"`
	Threshold                        *float64    `json:"Threshold" query:"Threshold"`
	ComparisonOperator               *string     `json:"ComparisonOperator" query:"ComparisonOperator"`
	TreatMissingData                 *string     `json:"TreatMissingData" query:"TreatMissingData"`
	EvaluateLowSampleCountPercentile *string     `json:"EvaluateLowSampleCountPercentile" query:"EvaluateLowSampleCountPercentile"`
	Metrics                          []any       `json:"Metrics" query:"-"`
	ThresholdMetricID                *string     `json:"ThresholdMetricId" query:"ThresholdMetricId"`
}

type metricAlarm struct {
	AlarmName                          *string     `json:"AlarmName,omitempty" xml:"AlarmName,omitempty"`
	AlarmArn                           *string     `json:"AlarmArn,omitempty" xml:"AlarmArn,omitempty"`
	AlarmDescription                   *string     `json:"AlarmDescription,omitempty" xml:"AlarmDescription,omitempty"`
	AlarmConfigurationUpdatedTimestamp *time.Time  `json:"AlarmConfigurationUpdatedTimestamp,omitempty" xml:"AlarmConfigurationUpdatedTimestamp,omitempty"`
	ActionsEnabled                     bool        `json:"ActionsEnabled" xml:"ActionsEnabled"`
	OKActions                          []string    `json:"OKActions" xml:"OKActions>member"`
	AlarmActions                       []string    `json:"AlarmActions" xml:"AlarmActions>member"`
	InsufficientDataActions            []string    `json:"InsufficientDataActions" xml:"InsufficientDataActions>member"`
	StateValue                         string      `json:"StateValue" xml:"StateValue"`
	StateReason                        string      `json:"StateReason" xml:"StateReason"`
	StateReasonData                    *string     `json:"StateReasonData,omitempty" xml:"StateReasonData,omitempty"`
	StateUpdatedTimestamp              *time.Time  `json:"StateUpdatedTimestamp,omitempty" xml:"StateUpdatedTimestamp,omitempty"`
	MetricName                         string      `json:"MetricName" xml:"MetricName"`
	Namespace                          string      `json:"Namespace" xml:"Namespace"`
	Statistic                          string      `json:"Statistic" xml:"Statistic"`
	Dimensions                         []dimension `json:"Dimensions" xml:"Dimensions>member"`
	Period                             int32       `json:"Period" xml:"Period"`
	Unit                               *string     `json:"Unit,omitempty" xml:"Unit,omitempty"`
	EvaluationPeriods                  int32       `json:"EvaluationPeriods" xml:"EvaluationPeriods"`
	DatapointsToAlarm                  *int32      `json:"DatapointsToAlarm,omitempty" xml:"DatapointsToAlarm,omitempty"`
	Threshold                          float64     `json:"Threshold" xml:"Threshold"`
	ComparisonOperator                 string      `json:"ComparisonOperator" xml:"ComparisonOperator"`
	TreatMissingData                   *string     `json:"TreatMissingData,omitempty" xml:"TreatMissingData,omitempty"`
	StateTransitionedTimestamp         *time.Time  `json:"StateTransitionedTimestamp,omitempty" xml:"StateTransitionedTimestamp,omitempty"`
}

type describeAlarmsInput struct {
	AlarmNames      []string `json:"AlarmNames" query:"AlarmNames"`
	AlarmNamePrefix *string  `json:"AlarmNamePrefix" query:"AlarmNamePrefix"`
	AlarmTypes      []string `json:"AlarmTypes" query:"AlarmTypes"`
	StateValue      *string  `json:"StateValue" query:"StateValue"`
	ActionPrefix    *string  `json:"ActionPrefix" query:"ActionPrefix"`
	MaxRecords      *int32   `json:"MaxRecords" query:"MaxRecords"`
	NextToken       *string  `json:"NextToken" query:"NextToken"`
}

type describeAlarmsOutput struct {
	MetricAlarms    []metricAlarm `json:"MetricAlarms" xml:"MetricAlarms>member"`
	CompositeAlarms []struct{}    `json:"CompositeAlarms" xml:"CompositeAlarms>member"`
	NextToken       *string       `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

type describeAlarmsForMetricInput struct {
	MetricName *string     `json:"MetricName" query:"MetricName"`
	Namespace  *string     `json:"Namespace" query:"Namespace"`
	Statistic  *string     `json:"Statistic" query:"Statistic"`
	Dimensions []dimension `json:"Dimensions" query:"Dimensions"`
	Period     *int32      `json:"Period" query:"Period"`
	Unit       *string     `json:"Unit" query:"Unit"`
}

type describeAlarmsForMetricOutput struct {
	MetricAlarms []metricAlarm `json:"MetricAlarms" xml:"MetricAlarms>member"`
}

type alarmNamesInput struct {
	AlarmNames []string `json:"AlarmNames" query:"AlarmNames"`
}

type setAlarmStateInput struct {
	AlarmName       *string `json:"AlarmName" query:"AlarmName"`
	StateValue      *string `json:"StateValue" query:"StateValue"`
	StateReason     *string `json:"StateReason" query:"StateReason"`
	StateReasonData *string `json:"StateReasonData" query:"StateReasonData"`
}

type describeAlarmHistoryInput struct {
	AlarmName       *string    `json:"AlarmName" query:"AlarmName"`
	AlarmTypes      []string   `json:"AlarmTypes" query:"AlarmTypes"`
	HistoryItemType *string    `json:"HistoryItemType" query:"HistoryItemType"`
	StartDate       *time.Time `json:"StartDate" query:"StartDate"`
	EndDate         *time.Time `json:"EndDate" query:"EndDate"`
	MaxRecords      *int32     `json:"MaxRecords" query:"MaxRecords"`
	NextToken       *string    `json:"NextToken" query:"NextToken"`
	ScanBy          *string    `json:"ScanBy" query:"ScanBy"`
}

type alarmHistoryItem struct {
	AlarmName       string    `json:"AlarmName" xml:"AlarmName"`
	AlarmType       string    `json:"AlarmType" xml:"AlarmType"`
	Timestamp       time.Time `json:"Timestamp" xml:"Timestamp"`
	HistoryItemType string    `json:"HistoryItemType" xml:"HistoryItemType"`
	HistorySummary  string    `json:"HistorySummary" xml:"HistorySummary"`
	HistoryData     *string   `json:"HistoryData,omitempty" xml:"HistoryData,omitempty"`
}

type describeAlarmHistoryOutput struct {
	AlarmHistoryItems []alarmHistoryItem `json:"AlarmHistoryItems" xml:"AlarmHistoryItems>member"`
	NextToken         *string            `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

type dimensionFilter struct {
	Name  *string `json:"Name" query:"Name"`
	Value *string `json:"Value" query:"Value"`
}

type listMetricsInput struct {
	Namespace      *string           `json:"Namespace" query:"Namespace"`
	MetricName     *string           `json:"MetricName" query:"MetricName"`
	Dimensions     []dimensionFilter `json:"Dimensions" query:"Dimensions"`
	NextToken      *string           `json:"NextToken" query:"NextToken"`
	RecentlyActive *string           `json:"RecentlyActive" query:"RecentlyActive"`
}

type metric struct {
	Namespace  string      `json:"Namespace" xml:"Namespace"`
	MetricName string      `json:"MetricName" xml:"MetricName"`
	Dimensions []dimension `json:"Dimensions" xml:"Dimensions>member"`
}

type listMetricsOutput struct {
	Metrics   []metric `json:"Metrics" xml:"Metrics>member"`
	NextToken *string  `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

type getMetricStatisticsInput struct {
	Namespace          *string     `json:"Namespace" query:"Namespace"`
	MetricName         *string     `json:"MetricName" query:"MetricName"`
	Dimensions         []dimension `json:"Dimensions" query:"Dimensions"`
	StartTime          *time.Time  `json:"StartTime" query:"StartTime"`
	EndTime            *time.Time  `json:"EndTime" query:"EndTime"`
	Period             *int32      `json:"Period" query:"Period"`
	Statistics         []string    `json:"Statistics" query:"Statistics"`
	ExtendedStatistics []string    `json:"ExtendedStatistics" query:"ExtendedStatistics"`
	Unit               *string     `json:"Unit" query:"Unit"`
}

type datapoint struct {
	Timestamp   time.Time `json:"Timestamp" xml:"Timestamp"`
	SampleCount *float64  `json:"SampleCount,omitempty" xml:"SampleCount,omitempty"`
	Average     *float64  `json:"Average,omitempty" xml:"Average,omitempty"`
	Sum         *float64  `json:"Sum,omitempty" xml:"Sum,omitempty"`
	Minimum     *float64  `json:"Minimum,omitempty" xml:"Minimum,omitempty"`
	Maximum     *float64  `json:"Maximum,omitempty" xml:"Maximum,omitempty"`
	Unit        string    `json:"Unit" xml:"Unit"`
}

type getMetricStatisticsOutput struct {
	Label      string      `json:"Label" xml:"Label"`
	Datapoints []datapoint `json:"Datapoints" xml:"Datapoints>member"`
}
