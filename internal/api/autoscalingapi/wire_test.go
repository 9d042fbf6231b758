package autoscalingapi

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/autoscaling-members.json lists the model's members; testdata/gen_members.py
// writes it).
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
// is a member of the shape with the Go type its kind calls for, and the members left out are
// exactly those notImplemented lists.
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	var model struct {
		Shapes map[string]map[string]string `json:"shapes"`
	}
	b, err := os.ReadFile("testdata/autoscaling-members.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &model); err != nil {
		t.Fatal(err)
	}
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, alias := sameShapes[name]; !alias {
			names[typ] = name
		}
	}
	for name := range model.Shapes {
		if _, ok := shapes[name]; !ok && !modelOnly(name) {
			t.Errorf("the model's %s has no wire type", name)
		}
	}
	for name, typ := range shapes {
		members, ok := model.Shapes[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		checkShape(t, name, typ, members, names)
	}
}

func checkShape(t *testing.T, name string, typ reflect.Type, members map[string]string, names map[reflect.Type]string) {
	t.Helper()
	got := map[string]string{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		member, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		got[member] = goKind(f.Type, names)
	}
	var left []string
	for member, kind := range members {
		for alias, shape := range sameShapes {
			kind = strings.ReplaceAll(kind, "structure "+alias, "structure "+shape)
		}
		g, ok := got[member]
		switch {
		case !ok:
			left = append(left, member)
		case g != kind:
			t.Errorf("%s.%s is %s on the wire, %s in the model", name, member, g, kind)
		}
		delete(got, member)
	}
	for member := range got {
		t.Errorf("%s (%s) has %s, which the model does not", name, typ, member)
	}
	sort.Strings(left)
	want := slices.Clone(notImplemented[name])
	sort.Strings(want)
	if !slices.Equal(want, left) {
		t.Errorf("%s: members left out %v, listed %v", name, left, want)
	}
}

// goKind is the model kind a Go type carries; a pointer only marks a member that may be
// absent.
func goKind(t reflect.Type, names map[reflect.Type]string) string {
	switch {
	case t == reflect.TypeFor[awsproto.EpochSeconds]():
		return "timestamp"
	case t.Kind() == reflect.Pointer:
		return goKind(t.Elem(), names)
	case t.Kind() == reflect.Struct:
		return "structure " + names[t]
	case t.Kind() == reflect.Slice:
		return "list of " + goKind(t.Elem(), names)
	case t.Kind() == reflect.Map:
		return "map of " + goKind(t.Elem(), names)
	}
	switch t.Kind() {
	case reflect.Int32:
		return "integer"
	case reflect.Float64:
		return "double"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return t.String()
}
