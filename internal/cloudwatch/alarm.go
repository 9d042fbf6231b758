package cloudwatch

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// StateValue is an alarm's state.
type StateValue string

// The states of an alarm.
const (
	StateOK               StateValue = "OK"
	StateAlarm            StateValue = "ALARM"
	StateInsufficientData StateValue = "INSUFFICIENT_DATA"
)

// Valid reports whether s is one of the three states.
func (s StateValue) Valid() bool {
	return s == StateOK || s == StateAlarm || s == StateInsufficientData
}

// The statistics of a metric alarm and of GetMetricStatistics.
const (
	StatSampleCount = "SampleCount"
	StatAverage     = "Average"
	StatSum         = "Sum"
	StatMinimum     = "Minimum"
	StatMaximum     = "Maximum"
)

// Statistics are the statistics in the order CloudWatch lists them.
var Statistics = []string{StatSampleCount, StatAverage, StatSum, StatMinimum, StatMaximum}

// The comparison operators fargo evaluates (the anomaly detection bands are not).
const (
	GreaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
	GreaterThanThreshold          = "GreaterThanThreshold"
	LessThanThreshold             = "LessThanThreshold"
	LessThanOrEqualToThreshold    = "LessThanOrEqualToThreshold"
)

// The treatments of missing data.
const (
	MissingAsMissing    = "missing"
	MissingNotBreaching = "notBreaching"
	MissingBreaching    = "breaching"
	MissingIgnore       = "ignore"
)

// MaxAlarms is how many metric alarms a region holds (CloudWatch's default quota), and
// maxHistoryItems how many history items an alarm keeps.
const (
	MaxAlarms       = 5000
	maxHistoryItems = 100
)

// The history item types fargo records.
const (
	HistoryConfigurationUpdate = "ConfigurationUpdate"
	HistoryStateUpdate         = "StateUpdate"
)

// Dimension is a name/value pair that is part of a metric's identity.
type Dimension struct {
	Name  string
	Value string
}

// Alarm is a metric alarm: what it watches, how it judges, and its state.
type Alarm struct {
	Name                    string
	ARN                     string
	Description             string
	ActionsEnabled          bool
	OKActions               []string
	AlarmActions            []string
	InsufficientDataActions []string
	Namespace               string
	MetricName              string
	Dimensions              []Dimension
	Statistic               string
	// Period is in seconds of the server's clock (--time-scale shortens them as it shortens
	// deployment minutes).
	Period            int
	Unit              string
	EvaluationPeriods int
	DatapointsToAlarm int
	Threshold         float64
	Comparison        string
	TreatMissingData  string
	ConfigUpdatedAt   time.Time

	State           StateValue
	StateReason     string
	StateReasonData string
	StateUpdatedAt  time.Time
	// StateTransitionedAt is when State last changed value (a new reason alone does not count).
	StateTransitionedAt time.Time
	// History are the alarm's newest history items, oldest first, at most maxHistoryItems.
	History []HistoryItem
}

// HistoryItem is one record of an alarm's history.
type HistoryItem struct {
	Time    time.Time
	Type    string
	Summary string
	Data    string
}

// Errors with a code of their own.
var (
	ErrAlarmNotFound = errdefs.NotFound("The alarm does not exist.")
	ErrLimitExceeded = errdefs.LimitExceeded("The maximum number of alarms has been reached.")
)

// Record appends item to a's history, dropping the oldest beyond the cap.
func (a *Alarm) Record(item HistoryItem) {
	a.History = append(a.History, item)
	if n := len(a.History) - maxHistoryItems; n > 0 {
		a.History = append([]HistoryItem(nil), a.History[n:]...)
	}
}

// Datapoints returns how many of the evaluation periods must breach: DatapointsToAlarm, or
// all of them when it is not set.
func (a Alarm) Datapoints() int {
	if a.DatapointsToAlarm > 0 {
		return a.DatapointsToAlarm
	}
	return a.EvaluationPeriods
}

// Missing returns the alarm's treatment of missing data, "missing" when not set.
func (a Alarm) Missing() string {
	if a.TreatMissingData == "" {
		return MissingAsMissing
	}
	return a.TreatMissingData
}

// PeriodDuration is how long one period lasts on a clock whose minute lasts minute.
func (a Alarm) PeriodDuration(minute time.Duration) time.Duration {
	return time.Duration(a.Period) * minute / 60
}

// Watches reports whether a watches the metric namespace/name with exactly dims.
func (a Alarm) Watches(namespace, name string, dims []Dimension) bool {
	return a.Namespace == namespace && a.MetricName == name && SameDimensions(a.Dimensions, dims)
}

// SetState moves a to state for reason at now, recording the transition in its history
// when the state changes. It reports whether the state changed.
func (a *Alarm) SetState(state StateValue, reason, data string, now time.Time) bool {
	old, oldReason := a.State, a.StateReason
	a.State, a.StateReason, a.StateReasonData, a.StateUpdatedAt = state, reason, data, now
	if old == state {
		return false
	}
	a.StateTransitionedAt = now
	a.Record(HistoryItem{Time: now, Type: HistoryStateUpdate,
		Summary: "Alarm updated from " + string(old) + " to " + string(state),
		Data:    stateHistoryData(old, oldReason, state, reason, data)})
	return true
}
