package awsquery_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/awsquery"
	"github.com/fargohq/fargo/internal/errdefs"
)

func mustParse(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDecodeCreateRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		query string
		want  createRuleInput
	}{
		{
			name: "captured from the aws cli",
			query: "Action=CreateRule&Version=2015-12-01&ListenerArn=arn%3Al" +
				"&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=%2Fapi%2F%2A" +
				"&Conditions.member.2.Field=http-header&Conditions.member.2.HttpHeaderConfig.HttpHeaderName=X-Canary" +
				"&Conditions.member.2.HttpHeaderConfig.Values.member.1=true" +
				"&Priority=10&Actions.member.1.Type=forward&Actions.member.1.TargetGroupArn=arn%3Atg",
			want: createRuleInput{
				ListenerArn: aws.String("arn:l"),
				Priority:    aws.Int32(10),
				Conditions: []condition{
					{Field: aws.String("path-pattern"), Values: []string{"/api/*"}},
					{Field: aws.String("http-header"), HTTPHeaderConfig: &httpHeaderConfig{
						HTTPHeaderName: aws.String("X-Canary"), Values: []string{"true"},
					}},
				},
				Actions: []*action{{Type: aws.String("forward"), TargetGroupArn: aws.String("arn:tg")}},
			},
		},
		{
			name: "sparse and out of order members",
			query: "Conditions.member.10.Field=b&Conditions.member.3.Field=a" +
				"&Conditions.member.3.Values.member.7=y&Conditions.member.3.Values.member.2=x",
			want: createRuleInput{Conditions: []condition{
				{Field: aws.String("a"), Values: []string{"x", "y"}},
				{Field: aws.String("b")},
			}},
		},
		{
			name: "nested lists and weighted forward",
			query: "Actions.member.1.Type=forward&Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=blue" +
				"&Actions.member.1.ForwardConfig.TargetGroups.member.1.Weight=90" +
				"&Actions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=green" +
				"&Actions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10" +
				"&Actions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=false",
			want: createRuleInput{Actions: []*action{{
				Type: aws.String("forward"),
				ForwardConfig: &forwardConfig{
					TargetGroups: []targetGroupTuple{
						{TargetGroupArn: aws.String("blue"), Weight: aws.Int32(90)},
						{TargetGroupArn: aws.String("green"), Weight: aws.Int32(10)},
					},
					TargetGroupStickinessConfig: &stickiness{Enabled: aws.Bool(false)},
				},
			}}},
		},
		{
			name:  "empty lists",
			query: "Conditions=&Tags=&Actions.member.1.ForwardConfig.TargetGroups=",
			want: createRuleInput{Conditions: []condition{}, Tags: []tag{},
				Actions: []*action{{ForwardConfig: &forwardConfig{TargetGroups: []targetGroupTuple{}}}}},
		},
		{
			name:  "members win over the empty form",
			query: "Tags=&Tags.member.1.Key=k",
			want:  createRuleInput{Tags: []tag{{Key: aws.String("k")}}},
		},
		{
			name:  "unknown parameters, Action and Version ignored",
			query: "Action=CreateRule&Version=2015-12-01&Bogus=1&Priority.member.1=5&Conditions.entry.1.key=x&ListenerArn.Sub=y",
			want:  createRuleInput{},
		},
		{
			name:  "first of repeated values",
			query: "ListenerArn=a&ListenerArn=b",
			want:  createRuleInput{ListenerArn: aws.String("a")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got createRuleInput
			if err := awsquery.Decode(mustParse(t, tt.query), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("Decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeScalars(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name  string
		query string
		want  scalars
	}{
		{"strings keep encoded characters", "Name=a%20b%2Bc%26d", scalars{Name: aws.String("a b+c&d")}},
		{"empty string", "Name=", scalars{Name: aws.String("")}},
		{"int64 bounds", "Count=-9223372036854775808&Small=-128&Unsigned=65535",
			scalars{Count: aws.Int64(-9223372036854775808), Small: ptr[int8](-128), Unsigned: ptr[uint16](65535)}},
		{"float", "Ratio=0.25", scalars{Ratio: aws.Float64(0.25)}},
		{"float exponent", "Ratio=1e-3", scalars{Ratio: aws.Float64(0.001)}},
		{"bool", "Enabled=true", scalars{Enabled: aws.Bool(true)}},
		{"timestamp", "At=2024-01-02T03:04:05Z", scalars{At: &at}},
		{"timestamp with fraction", "At=2024-01-02T03:04:05.250Z", scalars{At: ptr(at.Add(250 * time.Millisecond))}},
		{"timestamp with offset", "At=2024-01-02T05:04:05%2B02:00", scalars{At: &at}},
		{"non-pointer member", "Plain=7", scalars{Plain: 7}},
		{"map", "Extra.entry.2.key=b&Extra.entry.2.value=2&Extra.entry.1.key=a&Extra.entry.1.value=1&Extra.entry.3.key=c",
			scalars{Extra: map[string]string{"a": "1", "b": "2", "c": ""}}},
		{"empty map", "Extra=", scalars{Extra: map[string]string{}}},
		{"list of pointers", "Pointers.member.1=x&Pointers.member.2=", scalars{Pointers: []*string{aws.String("x"), aws.String("")}}},
		{"skipped members", "Ignored=x&private=y", scalars{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got scalars
			if err := awsquery.Decode(mustParse(t, tt.query), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(scalars{})); diff != "" {
				t.Fatalf("Decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestDecodeRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		query   string
		message string
	}{
		{"not a number", "Count=abc", "Value 'abc' at 'Count' failed to satisfy constraint: Member must be a number"},
		{"int8 overflow", "Small=128", "Value '128' at 'Small' failed to satisfy constraint: Member must be a number within the 8-bit integer range"},
		{"int32 overflow in a list", "Targets.member.1.Port=2147483648",
			"at 'Targets.member.1.Port' failed to satisfy constraint: Member must be a number within the 32-bit integer range"},
		{"negative unsigned", "Unsigned=-1", "Member must be a number"},
		{"float nan", "Ratio=NaN", "Member must be a finite number"},
		{"float inf", "Ratio=Inf", "Member must be a finite number"},
		{"bool", "Enabled=yes", "Value 'yes' at 'Enabled' failed to satisfy constraint: Member must be a boolean"},
		{"bool case", "Enabled=True", "Member must be a boolean"},
		{"timestamp", "At=2024-01-02", "Member must be an ISO 8601 timestamp"},
		{"timestamp beyond year 9999 in UTC", "At=9999-12-31T23:00:00-02:00", "Member must be an ISO 8601 timestamp"},
		{"timestamp before year 0 in UTC", "At=0000-01-01T00:30:00%2B01:00", "Member must be an ISO 8601 timestamp"},
		{"epoch timestamp", "At=1704164645", "Member must be an ISO 8601 timestamp"},
		{"index zero", "Targets.member.0.Id=a", "Parameter 'Targets.member' has an invalid index '0'"},
		{"index too large", "Targets.member.1001.Id=a", "invalid index '1001': must be a number from 1 to 1000"},
		{"huge index", "Targets.member.999999999=1", "invalid index '999999999'"},
		{"index with leading zero", "Targets.member.01.Id=a", "invalid index '01'"},
		{"index not a number", "Targets.member.x.Id=a", "invalid index 'x'"},
		{"index empty", "Targets.member..Id=a", "invalid index ''"},
		{"list sent as a value", "Targets=abc", "Value 'abc' at 'Targets' failed to satisfy constraint: Member must be a list"},
		{"map sent as a value", "Extra=abc", "Member must be a map"},
		{"map entry without key", "Extra.entry.1.value=v", "Value 'null' at 'Extra.entry.1.key' failed to satisfy constraint: Member must not be null"},
		{"long value clipped", "Count=" + strings.Repeat("9", 5000), "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				Count    *int64
				Small    *int8
				Unsigned *uint16
				Ratio    *float64
				Enabled  *bool
				At       *time.Time
				Extra    map[string]string
				Targets  []target
			}
			err := awsquery.Decode(mustParse(t, tt.query), &got)
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("Decode error = %v, want invalid argument", err)
			}
			if msg := errdefs.Message(err); !strings.HasPrefix(msg, "1 validation error detected: ") ||
				!strings.Contains(msg, tt.message) || len(msg) > 400 {
				t.Fatalf("message %q does not contain %q", msg, tt.message)
			}
		})
	}
}

func TestDecodeProgrammingErrors(t *testing.T) {
	t.Parallel()
	var notStruct int
	var nilPtr *createRuleInput
	var unsupported struct{ C chan int }
	var intKeys struct{ M map[int]string }
	tests := []struct {
		name string
		v    any
		q    string
	}{
		{"not a pointer", createRuleInput{}, ""},
		{"nil pointer", nilPtr, ""},
		{"pointer to non-struct", &notStruct, ""},
		{"unsupported member", &unsupported, "C=1"},
		{"map with int keys", &intKeys, "M=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := awsquery.Decode(mustParse(t, tt.q), tt.v)
			if err == nil || errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("Decode error = %v, want a programming error without a kind", err)
			}
		})
	}
}
