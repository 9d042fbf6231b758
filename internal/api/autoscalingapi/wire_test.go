package autoscalingapi

import (
	"reflect"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/autoscaling-members.json lists the model's members; internal/api/testdata/
// gen_members.py writes it).
var shapes = map[string]reflect.Type{
	"RegisterScalableTargetRequest":            reflect.TypeFor[registerScalableTargetInput](),
	"RegisterScalableTargetResponse":           reflect.TypeFor[registerScalableTargetOutput](),
	"SuspendedState":                           reflect.TypeFor[wireSuspendedState](),
	"DescribeScalableTargetsRequest":           reflect.TypeFor[describeScalableTargetsInput](),
	"DescribeScalableTargetsResponse":          reflect.TypeFor[describeScalableTargetsOutput](),
	"ScalableTarget":                           reflect.TypeFor[wireScalableTarget](),
	"DeregisterScalableTargetRequest":          reflect.TypeFor[targetKeyInput](),
	"DeregisterScalableTargetResponse":         reflect.TypeFor[empty](),
	"PutScalingPolicyRequest":                  reflect.TypeFor[putScalingPolicyInput](),
	"PutScalingPolicyResponse":                 reflect.TypeFor[putScalingPolicyOutput](),
	"Alarm":                                    reflect.TypeFor[wireAlarm](),
	"StepScalingPolicyConfiguration":           reflect.TypeFor[wireStepScaling](),
	"StepAdjustment":                           reflect.TypeFor[wireStepAdjustment](),
	"TargetTrackingScalingPolicyConfiguration": reflect.TypeFor[wireTargetTracking](),
	"PredefinedMetricSpecification":            reflect.TypeFor[wirePredefinedMetric](),
	"CustomizedMetricSpecification":            reflect.TypeFor[wireCustomizedMetric](),
	"MetricDimension":                          reflect.TypeFor[wireMetricDimension](),
	"TargetTrackingMetricDimension":            reflect.TypeFor[wireMetricDimension](),
	"TargetTrackingMetricDataQuery":            reflect.TypeFor[wireMetricQuery](),
	"TargetTrackingMetricStat":                 reflect.TypeFor[wireMetricStat](),
	"TargetTrackingMetric":                     reflect.TypeFor[wireMetric](),
	"DescribeScalingPoliciesRequest":           reflect.TypeFor[describeScalingPoliciesInput](),
	"DescribeScalingPoliciesResponse":          reflect.TypeFor[describeScalingPoliciesOutput](),
	"ScalingPolicy":                            reflect.TypeFor[wireScalingPolicy](),
	"DeleteScalingPolicyRequest":               reflect.TypeFor[deleteScalingPolicyInput](),
	"DeleteScalingPolicyResponse":              reflect.TypeFor[empty](),
	"DescribeScalingActivitiesRequest":         reflect.TypeFor[describeScalingActivitiesInput](),
	"DescribeScalingActivitiesResponse":        reflect.TypeFor[describeScalingActivitiesOutput](),
	"ScalingActivity":                          reflect.TypeFor[wireScalingActivity](),
}

// notImplemented are the model members fargo neither reads nor sends, by shape. Request
// members left out are accepted and ignored; response members left out are never sent.
var notImplemented = map[string][]string{
	// Predictive scaling is refused by PolicyType, so its configuration is never read or sent.
	"PutScalingPolicyRequest": {"PredictiveScalingPolicyConfiguration"},
	"ScalingPolicy":           {"PredictiveScalingPolicyConfiguration"},
	"ScalableTarget":          {"PredictedCapacity"},
	// The one activity fargo lists is no "not scaled" activity of AWS's kinds.
	"ScalingActivity": {"NotScaledReasons"},
}

// modelOnly are the model's shapes that fargo has no wire type for: those of the members that
// notImplemented lists.
func modelOnly(name string) bool {
	return strings.HasPrefix(name, "PredictiveScaling") || name == "NotScaledReason"
}

// sameShapes are model shapes with the same members that one wire type serves.
var sameShapes = map[string]string{"TargetTrackingMetricDimension": "MetricDimension", "DeleteScalingPolicyResponse": "DeregisterScalableTargetResponse"}

// TestWireShapesMatchModel checks every wire struct against the botocore model: each JSON name
// is a member of the shape with the Go type its kind calls for, the members left out are
// exactly those notImplemented lists, and every shape the operations reach has a wire type.
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/autoscaling-members.json")
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, alias := sameShapes[name]; !alias {
			names[typ] = name
		}
	}
	for name := range model {
		if _, ok := shapes[name]; !ok && !modelOnly(name) {
			t.Errorf("the model's %s has no wire type", name)
		}
	}
	for name, typ := range shapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		for member, kind := range members {
			for alias, shape := range sameShapes {
				kind = strings.ReplaceAll(kind, "structure "+alias, "structure "+shape)
			}
			members[member] = kind
		}
		wiretest.Check(t, name, typ, members, names, notImplemented[name])
	}
}
