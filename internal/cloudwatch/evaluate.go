package cloudwatch

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Decision is the outcome of evaluating an alarm: its state and why.
type Decision struct {
	State      StateValue
	Reason     string
	ReasonData string
}

// slot is one period of an evaluation range and its datapoint, if any.
type slot struct {
	start time.Time
	dp    Datapoint
	has   bool
}

// Range returns the evaluation range of an alarm whose periods last period at now: the
// last EvaluationPeriods complete periods, aligned on multiples of period.
func Range(a Alarm, period time.Duration, now time.Time) (from, to time.Time) {
	to = now.Truncate(period)
	return to.Add(-time.Duration(a.EvaluationPeriods) * period), to
}

// Evaluate judges alarm a on the datapoints of its evaluation range (Range; others are
// ignored) as CloudWatch does: each period's statistic is compared with the threshold; the
// alarm is in ALARM when at least DatapointsToAlarm of the EvaluationPeriods breach, missing
// periods counting as TreatMissingData says. It is pure.
func Evaluate(a Alarm, dps []Datapoint, period time.Duration, now time.Time) Decision {
	from, to := Range(a, period, now)
	slots := make([]slot, a.EvaluationPeriods)
	for i := range slots {
		slots[i].start = from.Add(time.Duration(i) * period)
	}
	for _, d := range dps {
		if d.Time.Before(from) || !d.Time.Before(to) {
			continue
		}
		i := int(d.Time.Sub(from) / period)
		slots[i].dp, slots[i].has = d, true
	}
	var breaching, present []slot
	missing := 0
	for i := len(slots) - 1; i >= 0; i-- { // newest first, as CloudWatch lists them
		s := slots[i]
		switch {
		case !s.has:
			missing++
		case breaches(a, s.dp.Stat(a.Statistic)):
			breaching = append(breaching, s)
			present = append(present, s)
		default:
			present = append(present, s)
		}
	}
	d := Decision{ReasonData: reasonData(a, slots, now)}
	need := a.Datapoints()
	switch a.Missing() {
	case MissingBreaching:
		if len(breaching)+missing >= need {
			d.State = StateAlarm
		}
	case MissingIgnore:
		if len(present) == 0 {
			d.State = a.State
			if d.State == "" {
				d.State = StateInsufficientData
			}
			d.Reason = a.StateReason
			return d
		}
	case MissingAsMissing:
		if len(present) == 0 {
			d.State, d.Reason = StateInsufficientData, fmt.Sprintf("Insufficient Data: %s %s unknown.", count(missing, "datapoint"), wasWere(missing))
			return d
		}
	}
	if len(breaching) >= need {
		d.State = StateAlarm
	}
	if d.State == StateAlarm {
		d.Reason = alarmReason(a, breaching, missing)
		return d
	}
	d.State, d.Reason = StateOK, okReason(a, present, missing)
	return d
}

func breaches(a Alarm, v float64) bool {
	switch a.Comparison {
	case GreaterThanOrEqualToThreshold:
		return v >= a.Threshold
	case GreaterThanThreshold:
		return v > a.Threshold
	case LessThanThreshold:
		return v < a.Threshold
	case LessThanOrEqualToThreshold:
		return v <= a.Threshold
	}
	return false
}

// comparisonWords is how CloudWatch's reasons name a comparison.
func comparisonWords(op string) string {
	switch op {
	case GreaterThanOrEqualToThreshold:
		return "greater than or equal to"
	case GreaterThanThreshold:
		return "greater than"
	case LessThanThreshold:
		return "less than"
	default:
		return "less than or equal to"
	}
}

func alarmReason(a Alarm, breaching []slot, missing int) string {
	n := len(breaching)
	if a.Missing() == MissingBreaching {
		n += missing
	}
	head := fmt.Sprintf("%s [%s] %s", count(n, "datapoint"), listSlots(a, breaching), wasWere(n))
	if a.EvaluationPeriods > 1 {
		head = fmt.Sprintf("%d out of the last %d datapoints [%s] %s", n, a.EvaluationPeriods, listSlots(a, breaching), wasWere(n))
	}
	s := fmt.Sprintf("Threshold Crossed: %s %s the threshold (%s).", head, comparisonWords(a.Comparison), javaDouble(a.Threshold))
	if a.EvaluationPeriods > 1 {
		s = strings.TrimSuffix(s, ".") + fmt.Sprintf(" (minimum %s for OK -> ALARM transition).", count(a.Datapoints(), "datapoint"))
	}
	return s
}

func okReason(a Alarm, present []slot, missing int) string {
	if len(present) == 0 {
		return fmt.Sprintf("Threshold Crossed: no datapoints were received for %s and %s treated as [NonBreaching].",
			count(missing, "period"), count(missing, "missing datapoint")+" "+wasWere(missing))
	}
	return fmt.Sprintf("Threshold Crossed: %s [%s] %s not %s the threshold (%s).", count(len(present), "datapoint"),
		listSlots(a, present), wasWere(len(present)), comparisonWords(a.Comparison), javaDouble(a.Threshold))
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func wasWere(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// listSlots lists datapoints as CloudWatch's reasons do: "5.0 (07/12/26 10:00:00)".
func listSlots(a Alarm, slots []slot) string {
	parts := make([]string, len(slots))
	for i, s := range slots {
		parts[i] = javaDouble(s.dp.Stat(a.Statistic)) + " (" + s.start.UTC().Format("02/01/06 15:04:05") + ")"
	}
	return strings.Join(parts, ", ")
}

// javaDouble formats v as Java prints a double, which CloudWatch's reasons show: 5.0, 0.25.
func javaDouble(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEN") {
		s += ".0"
	}
	return s
}

const reasonTime = "2006-01-02T15:04:05.000-0700"

// reasonData is the JSON of StateReasonData, in CloudWatch's form.
func reasonData(a Alarm, slots []slot, now time.Time) string {
	type evaluated struct {
		Timestamp   string   `json:"timestamp"`
		SampleCount *float64 `json:"sampleCount,omitempty"`
		Value       *float64 `json:"value,omitempty"`
	}
	data := struct {
		Version             string      `json:"version"`
		QueryDate           string      `json:"queryDate"`
		StartDate           string      `json:"startDate"`
		Statistic           string      `json:"statistic"`
		Period              int         `json:"period"`
		RecentDatapoints    []float64   `json:"recentDatapoints"`
		Threshold           float64     `json:"threshold"`
		EvaluatedDatapoints []evaluated `json:"evaluatedDatapoints"`
	}{Version: "1.0", QueryDate: now.UTC().Format(reasonTime), Statistic: a.Statistic, Period: a.Period,
		RecentDatapoints: []float64{}, Threshold: a.Threshold, EvaluatedDatapoints: []evaluated{}}
	if len(slots) > 0 {
		data.StartDate = slots[0].start.UTC().Format(reasonTime)
	}
	for i := len(slots) - 1; i >= 0; i-- {
		s := slots[i]
		e := evaluated{Timestamp: s.start.UTC().Format(reasonTime)}
		if s.has {
			n, v := s.dp.SampleCount, s.dp.Stat(a.Statistic)
			e.SampleCount, e.Value = &n, &v
		}
		data.EvaluatedDatapoints = append(data.EvaluatedDatapoints, e)
	}
	for _, s := range slots {
		if s.has {
			data.RecentDatapoints = append(data.RecentDatapoints, s.dp.Stat(a.Statistic))
		}
	}
	b, _ := json.Marshal(data)
	return string(b)
}

// stateHistoryData is the JSON of a state update's history item.
func stateHistoryData(old StateValue, oldReason string, state StateValue, reason, data string) string {
	type st struct {
		StateValue      string          `json:"stateValue"`
		StateReason     string          `json:"stateReason"`
		StateReasonData json.RawMessage `json:"stateReasonData,omitempty"`
	}
	out := struct {
		Version  string `json:"version"`
		OldState st     `json:"oldState"`
		NewState st     `json:"newState"`
	}{Version: "1.0", OldState: st{StateValue: string(old), StateReason: oldReason}, NewState: st{StateValue: string(state), StateReason: reason}}
	if json.Valid([]byte(data)) {
		out.NewState.StateReasonData = json.RawMessage(data)
	}
	b, _ := json.Marshal(out)
	return string(b)
}
