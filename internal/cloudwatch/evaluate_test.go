package cloudwatch

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

var t0 = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

// dp is a datapoint of one sample of value v in the period i minutes after t0.
func dp(i int, values ...float64) Datapoint {
	var samples []Sample
	for _, v := range values {
		samples = append(samples, Sample{Time: t0.Add(time.Duration(i)*time.Minute + time.Second), Value: v})
	}
	return Aggregate(samples, t0.Add(-time.Hour), t0.Add(time.Hour), time.Minute)[0]
}

func alarm(op string, threshold float64, stat string, n, m int, missing string) Alarm {
	return Alarm{Name: "a", Namespace: NamespaceELB, MetricName: MetricTarget5XX, Statistic: stat, Period: 60,
		EvaluationPeriods: n, DatapointsToAlarm: m, Threshold: threshold, Comparison: op, TreatMissingData: missing}
}

func TestEvaluate(t *testing.T) {
	now := t0.Add(3*time.Minute + 10*time.Second) // range: minutes 0, 1, 2
	tests := []struct {
		name   string
		alarm  Alarm
		dps    []Datapoint
		want   StateValue
		reason string
	}{
		{"sum over threshold", alarm(GreaterThanThreshold, 1, StatSum, 1, 0, ""), []Datapoint{dp(2, 3, 2)}, StateAlarm,
			"Threshold Crossed: 1 datapoint [5.0 (07/12/26 10:02:00)] was greater than the threshold (1.0)."},
		{"sum at threshold is not greater", alarm(GreaterThanThreshold, 5, StatSum, 1, 0, ""), []Datapoint{dp(2, 3, 2)}, StateOK,
			"Threshold Crossed: 1 datapoint [5.0 (07/12/26 10:02:00)] was not greater than the threshold (5.0)."},
		{"greater or equal", alarm(GreaterThanOrEqualToThreshold, 5, StatSum, 1, 0, ""), []Datapoint{dp(2, 3, 2)}, StateAlarm, ""},
		{"less than", alarm(LessThanThreshold, 1, StatMinimum, 1, 0, ""), []Datapoint{dp(2, 0, 4)}, StateAlarm, ""},
		{"less or equal", alarm(LessThanOrEqualToThreshold, 0, StatMaximum, 1, 0, ""), []Datapoint{dp(2, 0, 4)}, StateOK, ""},
		{"average", alarm(GreaterThanThreshold, 2, StatAverage, 1, 0, ""), []Datapoint{dp(2, 1, 4)}, StateAlarm,
			"Threshold Crossed: 1 datapoint [2.5 (07/12/26 10:02:00)] was greater than the threshold (2.0)."},
		{"sample count", alarm(GreaterThanOrEqualToThreshold, 3, StatSampleCount, 1, 0, ""), []Datapoint{dp(2, 1, 1, 1)}, StateAlarm, ""},
		{"minimum", alarm(GreaterThanThreshold, 1, StatMinimum, 1, 0, ""), []Datapoint{dp(2, 1, 4)}, StateOK, ""},
		{"maximum", alarm(GreaterThanThreshold, 1, StatMaximum, 1, 0, ""), []Datapoint{dp(2, 1, 4)}, StateAlarm, ""},
		{"2 of 3 breach", alarm(GreaterThanThreshold, 1, StatSum, 3, 2, ""), []Datapoint{dp(0, 5), dp(1, 0), dp(2, 3)}, StateAlarm,
			"Threshold Crossed: 2 out of the last 3 datapoints [3.0 (07/12/26 10:02:00), 5.0 (07/12/26 10:00:00)] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition)."},
		{"1 of 3 is not 2 of 3", alarm(GreaterThanThreshold, 1, StatSum, 3, 2, ""), []Datapoint{dp(0, 0), dp(1, 0), dp(2, 3)}, StateOK, ""},
		{"3 of 3 needs all", alarm(GreaterThanThreshold, 1, StatSum, 3, 0, ""), []Datapoint{dp(0, 5), dp(1, 5), dp(2, 0)}, StateOK, ""},
		{"datapoints outside the range do not count", alarm(GreaterThanThreshold, 1, StatSum, 1, 0, ""), []Datapoint{dp(1, 5), dp(3, 5)}, StateInsufficientData,
			"Insufficient Data: 1 datapoint was unknown."},
		{"missing: all missing", alarm(GreaterThanThreshold, 1, StatSum, 3, 0, MissingAsMissing), nil, StateInsufficientData,
			"Insufficient Data: 3 datapoints were unknown."},
		{"missing: some present", alarm(GreaterThanThreshold, 1, StatSum, 3, 1, ""), []Datapoint{dp(1, 5)}, StateAlarm, ""},
		{"notBreaching: all missing", alarm(GreaterThanThreshold, 1, StatSum, 2, 0, MissingNotBreaching), nil, StateOK,
			"Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching]."},
		{"notBreaching: missing do not breach", alarm(GreaterThanThreshold, 1, StatSum, 3, 2, MissingNotBreaching), []Datapoint{dp(2, 5)}, StateOK, ""},
		{"breaching: missing breach", alarm(GreaterThanThreshold, 1, StatSum, 3, 2, MissingBreaching), []Datapoint{dp(2, 0)}, StateAlarm, ""},
		{"breaching: present below keeps OK", alarm(GreaterThanThreshold, 1, StatSum, 1, 0, MissingBreaching), []Datapoint{dp(2, 0)}, StateOK, ""},
		{"ignore: all missing keeps the state", func() Alarm {
			a := alarm(GreaterThanThreshold, 1, StatSum, 1, 0, MissingIgnore)
			a.State = StateAlarm
			return a
		}(), nil, StateAlarm, ""},
		{"ignore: present decides", alarm(GreaterThanThreshold, 1, StatSum, 1, 0, MissingIgnore), []Datapoint{dp(2, 0)}, StateOK, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Evaluate(tc.alarm, tc.dps, time.Minute, now)
			if d.State != tc.want {
				t.Fatalf("state %s (%s), want %s", d.State, d.Reason, tc.want)
			}
			if tc.reason != "" && d.Reason != tc.reason {
				t.Fatalf("reason\n got %q\nwant %q", d.Reason, tc.reason)
			}
			if !strings.HasPrefix(d.ReasonData, `{"version":"1.0"`) {
				t.Fatalf("reason data %s", d.ReasonData)
			}
		})
	}
}

func TestAggregate(t *testing.T) {
	samples := []Sample{{t0.Add(70 * time.Second), 4}, {t0.Add(10 * time.Second), 1}, {t0.Add(20 * time.Second), 3}, {t0.Add(2 * time.Minute), 7}}
	got := Aggregate(samples, t0, t0.Add(2*time.Minute), time.Minute)
	if len(got) != 2 {
		t.Fatalf("datapoints %+v", got)
	}
	if d := got[0]; d.SampleCount != 2 || d.Sum != 4 || d.Minimum != 1 || d.Maximum != 3 || d.Average() != 2 || !d.Time.Equal(t0) {
		t.Fatalf("first %+v", d)
	}
	if d := got[1]; d.Sum != 4 || !d.Time.Equal(t0.Add(time.Minute)) {
		t.Fatalf("second %+v", d)
	}
}

func TestValidate(t *testing.T) {
	ok := alarm(GreaterThanThreshold, 1, StatSum, 2, 1, "")
	tests := []struct {
		name   string
		change func(*Alarm)
	}{
		{"no name", func(a *Alarm) { a.Name = "" }},
		{"no metric", func(a *Alarm) { a.MetricName = "" }},
		{"bad statistic", func(a *Alarm) { a.Statistic = "p99" }},
		{"period 20", func(a *Alarm) { a.Period = 20 }},
		{"period 90", func(a *Alarm) { a.Period = 90 }},
		{"no evaluation periods", func(a *Alarm) { a.EvaluationPeriods = 0 }},
		{"more than a day", func(a *Alarm) { a.Period, a.EvaluationPeriods = 3600, 25 }},
		{"datapoints above periods", func(a *Alarm) { a.DatapointsToAlarm = 3 }},
		{"anomaly band", func(a *Alarm) { a.Comparison = "LessThanLowerThreshold" }},
		{"bad missing treatment", func(a *Alarm) { a.TreatMissingData = "zero" }},
		{"duplicate dimension", func(a *Alarm) { a.Dimensions = []Dimension{{"TargetGroup", "x"}, {"TargetGroup", "y"}} }},
		{"actions", func(a *Alarm) { a.AlarmActions = []string{"arn:aws:sns:us-east-1:000000000000:t"} }},
	}
	if err := Validate(ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := ok
			tc.change(&a)
			if err := Validate(a); !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("Validate = %v, want invalid argument", err)
			}
		})
	}
}

func TestSetStateRecordsTransitions(t *testing.T) {
	a, err := Put(Alarm{}, false, alarm(GreaterThanThreshold, 1, StatSum, 1, 0, ""), t0)
	if err != nil {
		t.Fatal(err)
	}
	if a.State != StateInsufficientData || len(a.History) != 1 || a.History[0].Summary != `Alarm "a" created` {
		t.Fatalf("created %+v", a)
	}
	if !a.SetState(StateAlarm, "r", "{}", t0.Add(time.Minute)) || a.SetState(StateAlarm, "r2", "{}", t0.Add(2*time.Minute)) {
		t.Fatal("SetState reports a change only when the state changes")
	}
	if len(a.History) != 2 || a.History[1].Summary != "Alarm updated from INSUFFICIENT_DATA to ALARM" || !a.StateTransitionedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("history %+v", a.History)
	}
	for range 200 {
		a.Record(HistoryItem{Type: HistoryStateUpdate})
	}
	if len(a.History) != maxHistoryItems {
		t.Fatalf("history keeps %d items", len(a.History))
	}
}
