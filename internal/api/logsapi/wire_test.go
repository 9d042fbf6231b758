package logsapi

import (
	"reflect"
	"slices"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/logs-members.json lists the model's members; internal/api/testdata/gen_members.py
// writes it).
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
// is a member of the shape with the Go type its kind calls for, the members left out are
// exactly those notImplemented lists, and every shape the operations reach has a wire type.
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/logs-members.json")
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, ok := names[typ]; !ok || name < names[typ] {
			names[typ] = name
		}
	}
	for name := range model {
		if _, ok := shapes[name]; !ok && !slices.Contains(modelOnly, name) {
			t.Errorf("the model's %s has no wire type", name)
		}
	}
	for name, typ := range shapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		wiretest.Check(t, name, typ, members, names, notImplemented[name])
	}
}
