package cloudwatchapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the alarms a request acts on, for its authorization (resource type alarm,
// arn:aws:cloudwatch:<region>:<account>:alarm:<name>); the metric operations name none.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	switch op {
	case "PutMetricAlarm", "SetAlarmState", "DescribeAlarmHistory":
		t.Add(in.String("AlarmName"))
	case "DescribeAlarms", "DeleteAlarms", "EnableAlarmActions", "DisableAlarmActions":
		for _, n := range in.Strings("AlarmNames") {
			t.Add(n)
		}
	}
	return t
}
