package logsapi

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/logs-members.json lists the model's members; testdata/gen_members.py writes it).
var shapes = map[string]reflect.Type{
	"DescribeLogGroupsRequest":     reflect.TypeFor[describeLogGroupsInput](),
	"DescribeLogGroupsResponse":    reflect.TypeFor[describeLogGroupsOutput](),
	"LogGroup":                     reflect.TypeFor[wireLogGroup](),
	"DescribeLogStreamsRequest":    reflect.TypeFor[describeLogStreamsInput](),
	"DescribeLogStreamsResponse":   reflect.TypeFor[describeLogStreamsOutput](),
	"LogStream":                    reflect.TypeFor[wireLogStream](),
	"GetLogEventsRequest":          reflect.TypeFor[getLogEventsInput](),
	"GetLogEventsResponse":         reflect.TypeFor[getLogEventsOutput](),
	"OutputLogEvent":               reflect.TypeFor[wireOutputEvent](),
	"FilterLogEventsRequest":       reflect.TypeFor[filterLogEventsInput](),
	"FilterLogEventsResponse":      reflect.TypeFor[filterLogEventsOutput](),
	"FilteredLogEvent":             reflect.TypeFor[wireFilteredEvent](),
	"SearchedLogStream":            reflect.TypeFor[wireSearchedStream](),
	"CreateLogGroupRequest":        reflect.TypeFor[createLogGroupInput](),
	"DeleteLogGroupRequest":        reflect.TypeFor[logGroupNameInput](),
	"DeleteRetentionPolicyRequest": reflect.TypeFor[logGroupNameInput](),
	"CreateLogStreamRequest":       reflect.TypeFor[logStreamNameInput](),
	"DeleteLogStreamRequest":       reflect.TypeFor[logStreamNameInput](),
	"PutRetentionPolicyRequest":    reflect.TypeFor[putRetentionPolicyInput](),
	"PutLogEventsRequest":          reflect.TypeFor[putLogEventsInput](),
	"InputLogEvent":                reflect.TypeFor[wireInputEvent](),
	"PutLogEventsResponse":         reflect.TypeFor[putLogEventsOutput](),
	"RejectedLogEventsInfo":        reflect.TypeFor[wireRejectedEvents](),
}

// notImplemented are the model members fargo neither reads nor sends, by shape. Request
// members left out are accepted and ignored; response members left out are never sent.
var notImplemented = map[string][]string{
	// Cross-account observability has no place on one machine.
	"DescribeLogGroupsRequest": {"accountIdentifiers", "includeLinkedAccounts"},
	// Results are always interleaved (the member is deprecated); nothing is masked.
	"FilterLogEventsRequest": {"interleaved", "unmask"},
	"GetLogEventsRequest":    {"unmask"},
	"LogGroup": {
		"bearerTokenAuthenticationEnabled", "dataProtectionStatus", "deletionProtectionEnabled", "inheritedProperties",
		"kmsKeyId",
	},
	"LogStream": {"uploadSequenceToken"}, // deprecated with sequence tokens
	// The entity (telemetry for CloudWatch's explore view) is accepted, ignored, never rejected.
	"PutLogEventsRequest":  {"entity"},
	"PutLogEventsResponse": {"rejectedEntityInfo"},
}

// modelOnly are the model's shapes that fargo has no wire type for: those of the members that
// notImplemented lists.
var modelOnly = []string{"Entity", "RejectedEntityInfo"}

// TestWireShapesMatchModel checks every wire struct against the botocore model: each JSON name
// is a member of the shape with the Go type its kind calls for, and the members left out are
// exactly those notImplemented lists.
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	var model struct {
		Shapes map[string]map[string]string `json:"shapes"`
	}
	b, err := os.ReadFile("testdata/logs-members.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &model); err != nil {
		t.Fatal(err)
	}
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, ok := names[typ]; !ok || name < names[typ] {
			names[typ] = name
		}
	}
	for name := range model.Shapes {
		if _, ok := shapes[name]; !ok && !slices.Contains(modelOnly, name) {
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

// goKind is the model kind a Go type carries; CloudWatch Logs models no boxed scalars, so a
// pointer only marks a member that may be absent.
func goKind(t reflect.Type, names map[reflect.Type]string) string {
	switch t.Kind() {
	case reflect.Pointer:
		return goKind(t.Elem(), names)
	case reflect.Struct:
		return "structure " + names[t]
	case reflect.Slice:
		return "list of " + goKind(t.Elem(), names)
	case reflect.Map:
		return "map of " + goKind(t.Elem(), names)
	case reflect.Int32:
		return "integer"
	case reflect.Int64:
		return "long"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return t.String()
}
