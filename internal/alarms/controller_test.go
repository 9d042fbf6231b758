package alarms_test

import (
	"context"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fargohq/fargo/internal/alarms"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

const (
	lbARN  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/00000000000000aa"
	tgARN  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/00000000000000cc"
	taskID = "demo/1"
)

// TestControllerAlarmsOnTargetErrors runs the controller on a fake clock: a state set by hand
// lasts until the next evaluation; a target group whose task answers 5xx takes the alarm on
// its 5XX count to ALARM with CloudWatch's reason, and back to OK once the errors stop.
func TestControllerAlarmsOnTargetErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer mem.Close()
		st := store.New(mem)
		seed(t, ctx, st)
		metrics := alarms.NewMetrics(time.Hour)
		c := alarms.New(st, metrics, alarms.Config{Minute: 6 * time.Second}, slog.New(slog.DiscardHandler))
		done := make(chan error, 1)
		go func() { done <- c.Run(ctx) }()

		wait := func(want cloudwatch.StateValue) cloudwatch.Alarm {
			t.Helper()
			for range 200 {
				time.Sleep(500 * time.Millisecond)
				synctest.Wait()
				it, err := st.Alarms.Get(ctx, "green-5xx")
				if err != nil {
					t.Fatal(err)
				}
				if it.Value.State == want {
					return it.Value
				}
			}
			t.Fatalf("alarm never went %s", want)
			return cloudwatch.Alarm{}
		}
		ok := wait(cloudwatch.StateOK) // notBreaching: no errors yet
		if ok.StateReason == "" {
			t.Fatal("no reason")
		}
		// SetAlarmState's state lasts until the next evaluation.
		if _, err := st.Alarms.Update(ctx, "green-5xx", func(a *cloudwatch.Alarm) error {
			a.SetState(cloudwatch.StateAlarm, "drill", "", time.Now())
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		wait(cloudwatch.StateOK)
		var errs int64
		for range 20 { // errors for two seconds: two periods of 10 scaled seconds
			errs += 5
			setTraffic(t, ctx, st, errs)
			time.Sleep(100 * time.Millisecond)
		}
		a := wait(cloudwatch.StateAlarm)
		if len(a.History) < 3 || a.StateReasonData == "" {
			t.Fatalf("alarm %+v", a)
		}
		if want := "was greater than the threshold (1.0)."; len(a.StateReason) < len(want) || a.StateReason[len(a.StateReason)-len(want):] != want {
			t.Fatalf("reason %q", a.StateReason)
		}
		wait(cloudwatch.StateOK)
		if len(metrics.List()) == 0 {
			t.Fatal("no metrics sampled")
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}

func seed(t *testing.T, ctx context.Context, st *store.Store) {
	t.Helper()
	forward := elb.Action{Type: elb.ActionForward, Forward: elb.Forward{TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 100}}}}
	if _, err := st.Rules.Create(ctx, "r", elb.Rule{LoadBalancerARN: lbARN, IsDefault: true, Actions: []elb.Action{forward}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TargetRegistrations.Create(ctx, "g/1", elb.Registration{TargetGroupARN: tgARN, TaskARN: "arn:aws:ecs:us-east-1:000000000000:task/demo/1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Tasks.Create(ctx, taskID, ecs.Task{ARN: "arn:aws:ecs:us-east-1:000000000000:task/demo/1"}); err != nil {
		t.Fatal(err)
	}
	a, err := cloudwatch.Put(cloudwatch.Alarm{}, false, cloudwatch.Alarm{Name: "green-5xx", Namespace: cloudwatch.NamespaceELB, MetricName: cloudwatch.MetricTarget5XX,
		Dimensions: []cloudwatch.Dimension{{Name: "TargetGroup", Value: "targetgroup/green/00000000000000cc"}, {Name: "LoadBalancer", Value: "app/web/00000000000000aa"}},
		Statistic:  cloudwatch.StatSum, Period: 10, EvaluationPeriods: 1, Threshold: 1, Comparison: cloudwatch.GreaterThanThreshold,
		TreatMissingData: cloudwatch.MissingNotBreaching}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Alarms.Create(ctx, a.Name, a); err != nil {
		t.Fatal(err)
	}
}

func setTraffic(t *testing.T, ctx context.Context, st *store.Store, errs int64) {
	t.Helper()
	if _, err := st.Tasks.Update(ctx, taskID, func(task *ecs.Task) error {
		task.Traffic = ecs.TrafficStats{Requests: errs * 2, Errors: errs}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
