package logsapi

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestParsePattern(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern string
		want    pattern
		wantErr bool
	}{
		{"empty", "", nil, false},
		{"blank", "  ", nil, false},
		{"term", "ERROR", pattern{"ERROR"}, false},
		{"terms", "ERROR  timeout", pattern{"ERROR", "timeout"}, false},
		{"phrase", `"disk full"`, pattern{"disk full"}, false},
		{"phrase and term", `ERROR "disk full"`, pattern{"ERROR", "disk full"}, false},
		{"punctuation inside a term", "GET /health", pattern{"GET", "/health"}, false},
		{"unterminated phrase", `"disk`, nil, true},
		{"json", `{ $.level = "error" }`, nil, true},
		{"space-delimited", `[ip, user]`, nil, true},
		{"regular expression", `%ERR.*%`, nil, true},
		{"or", `?ERROR ?WARN`, nil, true},
		{"exclusion", `ERROR -timeout`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parsePattern(tt.pattern)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("err %v is not InvalidArgument", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("terms (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPatternMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pattern pattern
		message string
		want    bool
	}{
		{"empty matches all", nil, "anything", true},
		{"substring", pattern{"ERR"}, "an ERROR here", true},
		{"every term", pattern{"ERROR", "disk"}, "ERROR: disk full", true},
		{"a term missing", pattern{"ERROR", "net"}, "ERROR: disk full", false},
		{"case-sensitive", pattern{"error"}, "ERROR", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.pattern.matches(tt.message); got != tt.want {
				t.Fatalf("matches = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestStreamTokenRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tok := range []streamToken{
		{forward: true, pos: position{t: 0, k: 0}},
		{forward: false, pos: position{t: 1741064767123456789, k: 3}},
		{forward: false, pos: position{t: 1<<63 - 1, k: 0}},
	} {
		got, err := parseStreamToken(tok.String())
		if err != nil || got != tok {
			t.Fatalf("%s: got %+v %v, want %+v", tok, got, err, tok)
		}
	}
	for _, bad := range []string{"", "f/", "x/00000000000000000000000000", "f/-000000000000000000000000", "f/0000000000000000000000000a"} {
		if _, err := parseStreamToken(bad); err == nil {
			t.Fatalf("%q parsed", bad)
		}
	}
}
