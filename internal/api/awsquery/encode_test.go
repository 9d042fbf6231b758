package awsquery_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/fargohq/fargo/internal/api/awsquery"
)

func TestEncode(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 2, 3, 4, 5, 250_000_000, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		in   any
		want string // url.Values.Encode of the result, which sorts by name
	}{
		{"nil members left out", &createRuleInput{}, ""},
		{"nested", createRuleInput{
			Priority:   aws.Int32(10),
			Conditions: []condition{{Field: aws.String("path-pattern"), Values: []string{"/api/*"}}},
			Actions: []*action{{Type: aws.String("forward"), ForwardConfig: &forwardConfig{
				TargetGroups:                []targetGroupTuple{{TargetGroupArn: aws.String("b"), Weight: aws.Int32(90)}},
				TargetGroupStickinessConfig: &stickiness{Enabled: aws.Bool(false)},
			}}},
			Tags: []tag{},
		}, "Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=false" +
			"&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=b" +
			"&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90&Actions.member.1.Type=forward" +
			"&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=%2Fapi%2F%2A&Priority=10&Tags="},
		{"scalars", scalars{Name: aws.String("a b"), Ratio: aws.Float64(0.5), At: &at, Plain: 3, Ignored: aws.String("x"),
			Extra: map[string]string{"b": "2", "a": "1"}},
			"At=2024-01-02T02%3A04%3A05.25Z&Extra.entry.1.key=a&Extra.entry.1.value=1&Extra.entry.2.key=b" +
				"&Extra.entry.2.value=2&Name=a+b&Plain=3&Ratio=0.5"},
		{"empty map", scalars{Extra: map[string]string{}}, "Extra=&Plain=0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := awsquery.Encode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Encode() != tt.want {
				t.Fatalf("Encode = %s\nwant     %s", got.Encode(), tt.want)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []any{nil, 3, (*createRuleInput)(nil), struct{ F func() }{F: func() {}}} {
		if _, err := awsquery.Encode(in); err == nil {
			t.Errorf("Encode(%T) succeeded", in)
		}
	}
}

// roundTrip is a shape whose every value survives Encode then Decode unchanged. The wire
// cannot tell a struct with no members set from an absent one, so every generated struct sets
// at least one member.
type roundTrip struct {
	Name     *string
	Count    *int64
	Small    *int8
	Unsigned *uint16
	Ratio    *float64
	Enabled  *bool
	At       *time.Time
	Extra    map[string]string
	Names    []string
	Pointers []*string
	Targets  []target
	Actions  []*action
}

func optional[V any](g *rapid.Generator[V]) *rapid.Generator[*V] { return rapid.Ptr(g, true) }

func list[V any](g *rapid.Generator[V]) *rapid.Generator[[]V] {
	return rapid.Custom(func(t *rapid.T) []V {
		if rapid.Bool().Draw(t, "nil") {
			return nil
		}
		return rapid.SliceOfN(g, 0, 3).Draw(t, "items")
	})
}

func roundTripGen() *rapid.Generator[roundTrip] {
	str := rapid.String()
	stamp := rapid.Custom(func(t *rapid.T) time.Time {
		return time.Unix(rapid.Int64Range(-62135596800, 253402300799).Draw(t, "s"), rapid.Int64Range(0, 999_999_999).Draw(t, "ns")).UTC()
	})
	finite := rapid.Float64().Filter(func(f float64) bool { return f == f })
	tgt := rapid.Custom(func(t *rapid.T) target {
		return target{ID: rapid.Ptr(str, false).Draw(t, "id"), Port: optional(rapid.Int32()).Draw(t, "port")}
	})
	tuple := rapid.Custom(func(t *rapid.T) targetGroupTuple {
		return targetGroupTuple{TargetGroupArn: rapid.Ptr(str, false).Draw(t, "arn"), Weight: optional(rapid.Int32()).Draw(t, "w")}
	})
	act := rapid.Custom(func(t *rapid.T) *action {
		a := &action{Type: rapid.Ptr(str, false).Draw(t, "type"), Order: optional(rapid.Int32()).Draw(t, "order")}
		if rapid.Bool().Draw(t, "forward") {
			a.ForwardConfig = &forwardConfig{TargetGroups: rapid.SliceOfN(tuple, 0, 3).Draw(t, "tgs")}
		}
		return a
	})
	return rapid.Custom(func(t *rapid.T) roundTrip {
		return roundTrip{
			Name: optional(str).Draw(t, "name"), Count: optional(rapid.Int64()).Draw(t, "count"),
			Small: optional(rapid.Int8()).Draw(t, "small"), Unsigned: optional(rapid.Uint16()).Draw(t, "unsigned"),
			Ratio: optional(finite).Draw(t, "ratio"), Enabled: optional(rapid.Bool()).Draw(t, "enabled"),
			At: optional(stamp).Draw(t, "at"), Names: list(str).Draw(t, "names"),
			Extra: rapid.Custom(func(t *rapid.T) map[string]string {
				if rapid.Bool().Draw(t, "nil") {
					return nil
				}
				return rapid.MapOfN(str, str, 0, 3).Draw(t, "entries")
			}).Draw(t, "extra"),
			Pointers: list(rapid.Ptr(str, false)).Draw(t, "pointers"),
			Targets:  list(tgt).Draw(t, "targets"), Actions: list(act).Draw(t, "actions"),
		}
	})
}

// TestRoundTrip checks that Decode inverts Encode through the real wire form, the string
// url.Values.Encode writes and url.ParseQuery reads.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := roundTripGen().Draw(t, "in")
		values, err := awsquery.Encode(in)
		if err != nil {
			t.Fatal(err)
		}
		wire, err := url.ParseQuery(values.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var out roundTrip
		if err := awsquery.Decode(wire, &out); err != nil {
			t.Fatalf("Decode(%s): %v", values.Encode(), err)
		}
		if diff := cmp.Diff(in, out); diff != "" {
			t.Fatalf("round trip mismatch (-in +out):\n%s", diff)
		}
	})
}
