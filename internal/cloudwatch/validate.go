package cloudwatch

import (
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxEvaluationSeconds caps Period × EvaluationPeriods, as CloudWatch caps an alarm's
// evaluation range at one day.
const maxEvaluationSeconds = 24 * 60 * 60

// ErrInvalidCombination is CloudWatch's InvalidParameterCombination.
var ErrInvalidCombination = errdefs.InvalidArgument("The parameters are not valid together.")

// Validate checks a metric alarm as PutMetricAlarm does, before anything is written.
func Validate(a Alarm) error {
	if err := validateMetric(a); err != nil {
		return err
	}
	switch {
	case a.Period < 1:
		return errdefs.InvalidArgument("Period must be specified and greater than 0.")
	case a.Period != 10 && a.Period != 30 && a.Period%60 != 0:
		return errdefs.InvalidArgument("Period must be 10, 30 or a multiple of 60.")
	case a.EvaluationPeriods < 1:
		return errdefs.InvalidArgument("EvaluationPeriods must be specified and greater than 0.")
	case a.Period*a.EvaluationPeriods > maxEvaluationSeconds:
		return errdefs.InvalidArgument("The evaluation period (Period * EvaluationPeriods) must not exceed one day (86400 seconds).")
	case a.DatapointsToAlarm < 0 || a.DatapointsToAlarm > a.EvaluationPeriods:
		return errdefs.InvalidArgument("DatapointsToAlarm must be between 1 and EvaluationPeriods (%d).", a.EvaluationPeriods)
	case a.Comparison == "":
		return errdefs.InvalidArgument("ComparisonOperator must be specified.")
	case !slices.Contains([]string{GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold}, a.Comparison):
		return errdefs.InvalidArgument("ComparisonOperator %s is not supported: fargo evaluates GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold and LessThanOrEqualToThreshold.", a.Comparison)
	case a.TreatMissingData != "" && !slices.Contains([]string{MissingAsMissing, MissingNotBreaching, MissingBreaching, MissingIgnore}, a.TreatMissingData):
		return errdefs.InvalidArgument("TreatMissingData must be one of missing, notBreaching, breaching or ignore.")
	}
	return validateActions(a)
}

func validateMetric(a Alarm) error {
	switch {
	case a.Name == "":
		return errdefs.InvalidArgument("AlarmName must be specified.")
	case len(a.Name) > 255:
		return errdefs.InvalidArgument("AlarmName must be at most 255 characters.")
	case a.Namespace == "" || a.MetricName == "":
		return errdefs.InvalidArgument("MetricName and Namespace must be specified.")
	case a.Statistic == "":
		return errdefs.InvalidArgument("Statistic must be specified.")
	case !slices.Contains(Statistics, a.Statistic):
		return errdefs.InvalidArgument("Statistic %s is not one of SampleCount, Average, Sum, Minimum, Maximum.", a.Statistic)
	case len(a.Dimensions) > 30:
		return errdefs.InvalidArgument("An alarm has at most 30 dimensions.")
	}
	seen := map[string]bool{}
	for _, d := range a.Dimensions {
		if d.Name == "" || d.Value == "" {
			return errdefs.InvalidArgument("Every dimension must have a Name and a Value.")
		}
		if seen[d.Name] {
			return errdefs.InvalidArgument("The dimension %s is given more than once.", d.Name)
		}
		seen[d.Name] = true
	}
	return nil
}

// validateActions refuses actions: fargo has no SNS, Auto Scaling or EC2 actions to run.
func validateActions(a Alarm) error {
	if len(a.OKActions)+len(a.AlarmActions)+len(a.InsufficientDataActions) > 0 {
		return errdefs.InvalidArgument("Alarm actions are not supported: fargo has no action targets (SNS, Auto Scaling, EC2). Deployments read alarm states directly.")
	}
	return nil
}

// Put returns the alarm that PutMetricAlarm writes: spec, validated, replacing old (when
// exists) with its state kept, or new in INSUFFICIENT_DATA. It records the configuration
// change in the history.
func Put(old Alarm, exists bool, spec Alarm, now time.Time) (Alarm, error) {
	if err := Validate(spec); err != nil {
		return Alarm{}, err
	}
	a := spec
	a.ConfigUpdatedAt = now
	a.History = old.History
	summary := `Alarm "` + a.Name + `" updated`
	if exists {
		a.State, a.StateReason, a.StateReasonData = old.State, old.StateReason, old.StateReasonData
		a.StateUpdatedAt, a.StateTransitionedAt = old.StateUpdatedAt, old.StateTransitionedAt
	} else {
		summary = `Alarm "` + a.Name + `" created`
		a.State, a.StateReason, a.StateUpdatedAt, a.StateTransitionedAt = StateInsufficientData, "Unchecked: Initial alarm creation", now, now
	}
	a.Record(HistoryItem{Time: now, Type: HistoryConfigurationUpdate, Summary: summary})
	return a, nil
}
