package daemon_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cw "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
)

// TestCloudWatchAlarmPolicies checks that IAM policies govern CloudWatch calls (Smithy RPC v2
// CBOR) on the alarm ARN: a user allowed the alarms web-* puts web-5xx, is refused api-5xx
// with the Query code AccessDenied, and the refused alarm is not made.
func TestCloudWatchAlarmPolicies(t *testing.T) {
	t.Parallel()
	e := newEnforceEnv(t)
	policy := `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["cloudwatch:PutMetricAlarm","cloudwatch:DescribeAlarms"],"Resource":"arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-*"}]}`
	user := cw.NewFromConfig(e.userConfig(t, "alarmist", policy, ""))
	ctx := context.Background()
	put := func(c *cw.Client, name string) error {
		_, err := c.PutMetricAlarm(ctx, &cw.PutMetricAlarmInput{AlarmName: aws.String(name), Namespace: aws.String("AWS/ApplicationELB"),
			MetricName: aws.String("RequestCount"), Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1),
			Threshold: aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold})
		return err
	}
	if err := put(user, "web-5xx"); err != nil {
		t.Fatal(err)
	}
	err := put(user, "api-5xx")
	if errorCode(err) != "AccessDenied" || !strings.Contains(err.Error(), "cloudwatch:PutMetricAlarm on resource: arn:aws:cloudwatch:us-east-1:000000000000:alarm:api-5xx") {
		t.Fatalf("put api-5xx as alarmist: %v", err)
	}
	out, err := user.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{AlarmNames: []string{"web-5xx"}})
	if err != nil || len(out.MetricAlarms) != 1 {
		t.Fatalf("describe web-5xx: %+v %v", out, err)
	}
	creds, err := credentials.Load(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	root := cw.NewFromConfig(apitest.Config(e.srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
	all, err := root.DescribeAlarms(ctx, &cw.DescribeAlarmsInput{})
	if err != nil || len(all.MetricAlarms) != 1 {
		t.Fatalf("alarms after the refusal: %+v %v", all, err)
	}
}
