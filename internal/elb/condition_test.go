package elb_test

import (
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

func TestNewConditions(t *testing.T) {
	t.Parallel()
	path := func(v ...string) elb.ConditionSpec {
		return elb.ConditionSpec{Field: "path-pattern", Configs: []string{"path-pattern"}, ConfigValues: v}
	}
	header := elb.ConditionSpec{Field: "http-header", Configs: []string{"http-header"}, HTTPHeaderName: "X-Canary", ConfigValues: []string{"true"}}
	tests := []struct {
		name  string
		specs []elb.ConditionSpec
		want  error
	}{
		{"none", nil, errdefs.ErrInvalidArgument},
		{"legacy path", []elb.ConditionSpec{{Field: "path-pattern", Values: []string{"/api/*"}}}, nil},
		{"legacy host", []elb.ConditionSpec{{Field: "host-header", Values: []string{"*.example.com"}}}, nil},
		{"legacy two values", []elb.ConditionSpec{{Field: "path-pattern", Values: []string{"/a", "/b"}}}, errdefs.ErrInvalidArgument},
		{"legacy header", []elb.ConditionSpec{{Field: "http-header", Values: []string{"x"}}}, errdefs.ErrInvalidArgument},
		{"config path", []elb.ConditionSpec{path("/a", "/b")}, nil},
		{"values and config", []elb.ConditionSpec{{Field: "path-pattern", Values: []string{"/a"}, Configs: []string{"path-pattern"}, ConfigValues: []string{"/b"}}}, errdefs.ErrInvalidArgument},
		{"config of another field", []elb.ConditionSpec{{Field: "path-pattern", Configs: []string{"host-header"}, ConfigValues: []string{"a"}}}, errdefs.ErrInvalidArgument},
		{"two configs", []elb.ConditionSpec{{Field: "path-pattern", Configs: []string{"path-pattern", "host-header"}, ConfigValues: []string{"/a"}}}, errdefs.ErrInvalidArgument},
		{"empty config", []elb.ConditionSpec{path()}, errdefs.ErrInvalidArgument},
		{"no field", []elb.ConditionSpec{{Values: []string{"/a"}}}, errdefs.ErrInvalidArgument},
		{"unknown field", []elb.ConditionSpec{{Field: "cookie", Values: []string{"a"}}}, errdefs.ErrInvalidArgument},
		{"regex", []elb.ConditionSpec{{Field: "path-pattern", HasRegexValues: true}}, errdefs.ErrInvalidArgument},
		{"header", []elb.ConditionSpec{header}, nil},
		{"two headers", []elb.ConditionSpec{header, header}, nil},
		{"two paths", []elb.ConditionSpec{path("/a"), path("/b")}, errdefs.ErrInvalidArgument},
		{"header without name", []elb.ConditionSpec{{Field: "http-header", Configs: []string{"http-header"}, ConfigValues: []string{"v"}}}, errdefs.ErrInvalidArgument},
		{"header name with space", []elb.ConditionSpec{{Field: "http-header", Configs: []string{"http-header"}, HTTPHeaderName: "X Y", ConfigValues: []string{"v"}}}, errdefs.ErrInvalidArgument},
		{"six values", []elb.ConditionSpec{path("/a", "/b", "/c"), header, {Field: "host-header", Configs: []string{"host-header"}, ConfigValues: []string{"a", "b"}}}, errdefs.ErrInvalidArgument},
		{"five values", []elb.ConditionSpec{path("/a", "/b", "/c"), header, {Field: "host-header", Configs: []string{"host-header"}, ConfigValues: []string{"a"}}}, nil},
		{"long path", []elb.ConditionSpec{path("/" + strings.Repeat("a", 128))}, errdefs.ErrInvalidArgument},
		{"host with slash", []elb.ConditionSpec{{Field: "host-header", Values: []string{"a/b"}}}, errdefs.ErrInvalidArgument},
		{"methods", []elb.ConditionSpec{{Field: "http-request-method", Configs: []string{"http-request-method"}, ConfigValues: []string{"GET", "POST"}}}, nil},
		{"lowercase method", []elb.ConditionSpec{{Field: "http-request-method", Configs: []string{"http-request-method"}, ConfigValues: []string{"get"}}}, errdefs.ErrInvalidArgument},
		{"source ip", []elb.ConditionSpec{{Field: "source-ip", Configs: []string{"source-ip"}, ConfigValues: []string{"10.0.0.0/8", "::1/128"}}}, nil},
		{"source ip without mask", []elb.ConditionSpec{{Field: "source-ip", Configs: []string{"source-ip"}, ConfigValues: []string{"10.0.0.1"}}}, errdefs.ErrInvalidArgument},
		{"query", []elb.ConditionSpec{{Field: "query-string", Configs: []string{"query-string"}, QueryStrings: []elb.QueryString{{Key: "v", Value: "2"}, {Value: "beta"}}}}, nil},
		{"query without value", []elb.ConditionSpec{{Field: "query-string", Configs: []string{"query-string"}, QueryStrings: []elb.QueryString{{Key: "v"}}}}, errdefs.ErrInvalidArgument},
		{"query with values", []elb.ConditionSpec{{Field: "query-string", Configs: []string{"query-string"}, ConfigValues: []string{"x"}, QueryStrings: []elb.QueryString{{Value: "x"}}}}, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := elb.NewConditions(tt.specs)
			wantErr(t, err, tt.want)
		})
	}
}
