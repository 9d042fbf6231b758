package codedeployapi_test

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestDeploymentGroupAlarmConfiguration stores a group's alarms and reports them; a bad
// configuration is refused and changes nothing.
func TestDeploymentGroupAlarmConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createApp(t, "app")
	in := groupInput("app", "dg")
	in.AlarmConfiguration = &types.AlarmConfiguration{Enabled: true, Alarms: []types.Alarm{{Name: aws.String("green-5xx")}}}
	if _, err := e.cd.CreateDeploymentGroup(e.ctx, in); err != nil {
		t.Fatal(err)
	}
	g := getGroup(t, e, "app", "dg")
	if c := g.AlarmConfiguration; c == nil || !c.Enabled || c.IgnorePollAlarmFailure || len(c.Alarms) != 1 || aws.ToString(c.Alarms[0].Name) != "green-5xx" {
		t.Fatalf("alarm configuration %+v", g.AlarmConfiguration)
	}
	_, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"), CurrentDeploymentGroupName: aws.String("dg"),
		AlarmConfiguration: &types.AlarmConfiguration{Enabled: true}})
	apitest.WantError(t, err, "InvalidAlarmConfigException", "The alarm configuration is enabled but names no alarms.", http.StatusBadRequest)
	many := make([]types.Alarm, 11)
	for i := range many {
		many[i].Name = aws.String("a" + string(rune('a'+i)))
	}
	_, err = e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"), CurrentDeploymentGroupName: aws.String("dg"),
		AlarmConfiguration: &types.AlarmConfiguration{Alarms: many}})
	apitest.WantError(t, err, "AlarmsLimitExceededException", "A deployment group watches at most 10 alarms, not 11.", http.StatusBadRequest)
	if g := getGroup(t, e, "app", "dg"); len(g.AlarmConfiguration.Alarms) != 1 {
		t.Fatalf("a refused update changed the alarms: %+v", g.AlarmConfiguration)
	}
	if _, err := e.cd.UpdateDeploymentGroup(e.ctx, &cdsdk.UpdateDeploymentGroupInput{ApplicationName: aws.String("app"), CurrentDeploymentGroupName: aws.String("dg"),
		AlarmConfiguration: &types.AlarmConfiguration{}}); err != nil {
		t.Fatal(err)
	}
	if g := getGroup(t, e, "app", "dg"); g.AlarmConfiguration != nil {
		t.Fatalf("cleared alarms still reported: %+v", g.AlarmConfiguration)
	}
}
