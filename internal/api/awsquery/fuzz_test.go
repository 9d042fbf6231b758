package awsquery_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/awsquery"
	"github.com/fargohq/fargo/internal/errdefs"
)

// fuzzShape has a member of every kind at the top level, where the fuzzer finds them easily.
type fuzzShape struct {
	ListenerArn *string
	Priority    *int32
	Conditions  []condition
	Actions     []*action
	Targets     []target
	Count       *int64
	Small       *int8
	Unsigned    *uint16
	Ratio       *float64
	Enabled     *bool
	At          *time.Time
	Extra       map[string]string
	Pointers    []*string
}

// FuzzDecode decodes arbitrary query strings. Decode must never panic, must fail only with
// invalid-argument errors, must not make lists longer than the parameters, and once a value
// has been through Encode and Decode it must survive the next round trip unchanged.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"Action=CreateRule&Version=2015-12-01&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=%2Fapi%2F%2A" +
			"&Conditions.member.2.HttpHeaderConfig.Values.member.1=true&Priority=10&Actions.member.1.Type=forward",
		"Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10&Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=false",
		"Targets.member.1.Id=10.0.0.1&Targets.member.1.Port=80&Targets.member.3.Id=b&Targets=",
		"Extra.entry.1.key=a&Extra.entry.1.value=b&Extra=&Pointers.member.2=x",
		"Count=-1&Small=127&Unsigned=7&Ratio=1e308&Enabled=true&At=2024-01-01T00:00:00.5%2B01:00",
		"Targets.member.999999999=1&Conditions.member.0.Field=x",
		"At=9999-12-31T22:00:00-01:00&Ratio=-0",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, _ := url.ParseQuery(raw) // a partial parse still reaches Decode, as in a server
		var first fuzzShape
		if err := awsquery.Decode(values, &first); err != nil {
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("Decode(%q) error without a kind: %v", raw, err)
			}
			return
		}
		if n := len(values); len(first.Conditions) > n || len(first.Actions) > n || len(first.Targets) > n {
			t.Fatalf("lists longer than the %d parameters", n)
		}
		second := reencode(t, first)
		if third := reencode(t, second); !cmp.Equal(second, third) {
			t.Fatalf("round trip changed the value:\n%s", cmp.Diff(second, third))
		}
	})
}

func reencode(t *testing.T, in fuzzShape) fuzzShape {
	t.Helper()
	values, err := awsquery.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	var out fuzzShape
	if err := awsquery.Decode(values, &out); err != nil {
		t.Fatalf("Decode(Encode(%+v)): %v", in, err)
	}
	return out
}
