package hooks

import (
	"errors"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

func TestParseTarget(t *testing.T) {
	tests := []struct {
		name, in string
		want     TargetRef
		wantErr  bool
	}{
		{name: "function name", in: "smoke", want: TargetRef{Function: "smoke"}},
		{name: "function with alias", in: "smoke:live", want: TargetRef{Function: "smoke"}},
		{name: "function or task definition", in: "migrate:3", want: TargetRef{Function: "migrate", TaskDefinition: "migrate:3"}},
		{name: "lambda ARN", in: "arn:aws:lambda:us-east-1:000000000000:function:smoke", want: TargetRef{Function: "smoke"}},
		{name: "lambda ARN with version", in: "arn:aws:lambda:us-east-1:000000000000:function:smoke:7", want: TargetRef{Function: "smoke"}},
		{name: "task definition ARN", in: "arn:aws:ecs:us-east-1:000000000000:task-definition/migrate:2", want: TargetRef{TaskDefinition: "arn:aws:ecs:us-east-1:000000000000:task-definition/migrate:2"}},
		{name: "other ARN", in: "arn:aws:s3:::bucket", wantErr: true},
		{name: "bad name", in: "no spaces", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "two qualifiers", in: "a:b:c", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTarget(tt.in)
			if tt.wantErr {
				if !errors.Is(err, errdefs.ErrInvalidArgument) {
					t.Fatalf("ParseTarget(%q) error = %v, want an invalid argument", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseTarget(%q) = %+v, %v, want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCodeDeployHookIDRoundTrips(t *testing.T) {
	id := ExecutionID("d-ABCDEFGHI", "AfterInstall", 0)
	got, ok := ParseCodeDeployHookID(CodeDeployHookID(id))
	if !ok || got != id {
		t.Fatalf("round trip of %q = %q, %v", id, got, ok)
	}
	for _, bad := range []string{"", "not base64!", CodeDeployHookID("no-bars")} {
		if _, ok := ParseCodeDeployHookID(bad); ok {
			t.Errorf("ParseCodeDeployHookID(%q) accepted it", bad)
		}
	}
}

func TestNewFunction(t *testing.T) {
	scope := arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	f, err := NewFunction(scope, "smoke", "http://127.0.0.1:8080/hook", 30*time.Second, "", nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if f.ARN != "arn:aws:lambda:us-east-1:000000000000:function:smoke" || f.CreatedAt != now {
		t.Fatalf("function = %+v", f)
	}
	later := now.Add(time.Hour)
	g, err := NewFunction(scope, "smoke", "https://example.com", 0, "", &f, later)
	if err != nil || g.CreatedAt != now || g.UpdatedAt != later {
		t.Fatalf("changed function = %+v, %v", g, err)
	}
	bad := []struct {
		name, fn, url string
		timeout       time.Duration
	}{
		{"bad name", "a b", "http://x", 0},
		{"relative URL", "f", "/hook", 0},
		{"other scheme", "f", "ftp://x/y", 0},
		{"negative timeout", "f", "http://x", -time.Second},
		{"too long timeout", "f", "http://x", 2 * time.Hour},
		{"fractional timeout", "f", "http://x", 1500 * time.Millisecond},
	}
	for _, b := range bad {
		if _, err := NewFunction(scope, b.fn, b.url, b.timeout, "", nil, now); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("%s: error = %v, want an invalid argument", b.name, err)
		}
	}
}
