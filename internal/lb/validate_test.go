package lb

import (
	"errors"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	fwd := func(ws ...WeightedGroup) Action {
		return Action{Type: ActionForward, Forward: Forward{TargetGroups: ws}}
	}
	valid := func() Config {
		return Config{
			Listeners: []Listener{{ID: "l", Addr: "127.0.0.1:8080", Rules: []Rule{{ID: "d", Action: fwd(WeightedGroup{GroupID: "g", Weight: 1})}}}},
			TargetGroups: []TargetGroup{{ID: "g", Targets: []Target{{ID: "t", Addr: "127.0.0.1:9000"}},
				HealthCheck: HealthCheck{Matcher: "200-299,302"}}},
		}
	}
	tests := []struct {
		name   string
		change func(*Config)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(*Config) {}, ""},
		{"unknown group", func(c *Config) { c.Listeners[0].Rules[0].Action = fwd(WeightedGroup{GroupID: "x"}) }, "unknown target group"},
		{"weight too big", func(c *Config) { c.Listeners[0].Rules[0].Action = fwd(WeightedGroup{GroupID: "g", Weight: 1000}) }, "weight"},
		{"no rules", func(c *Config) { c.Listeners[0].Rules = nil }, "no rules"},
		{"duplicate listener", func(c *Config) { c.Listeners = append(c.Listeners, c.Listeners[0]) }, "duplicate listener"},
		{"same address twice", func(c *Config) {
			l := c.Listeners[0]
			l.ID = "l2"
			c.Listeners = append(c.Listeners, l)
		}, "both bind"},
		{"bad address", func(c *Config) { c.Listeners[0].Addr = "8080" }, "address"},
		{"https without cert", func(c *Config) { c.Listeners[0].Protocol = ProtocolHTTPS }, "certificate"},
		{"bad condition field", func(c *Config) {
			c.Listeners[0].Rules[0].Conditions = []Condition{{Field: "cookie", Values: []string{"x"}}}
		}, "unknown condition"},
		{"bad cidr", func(c *Config) {
			c.Listeners[0].Rules[0].Conditions = []Condition{{Field: FieldSourceIP, Values: []string{"10.0.0.0/33"}}}
		}, "source-ip"},
		{"bad matcher", func(c *Config) { c.TargetGroups[0].HealthCheck.Matcher = "200-abc" }, "matcher"},
		{"bad health path", func(c *Config) { c.TargetGroups[0].HealthCheck.Path = "health" }, "path"},
		{"duplicate target", func(c *Config) {
			c.TargetGroups[0].Targets = append(c.TargetGroups[0].Targets, c.TargetGroups[0].Targets[0])
		}, "duplicate target"},
		{"target without port", func(c *Config) { c.TargetGroups[0].Targets[0].Addr = "127.0.0.1" }, "address"},
		{"bad algorithm", func(c *Config) { c.TargetGroups[0].Algorithm = "random" }, "algorithm"},
		{"bad redirect code", func(c *Config) {
			c.Listeners[0].Rules[0].Action = Action{Type: ActionRedirect, Redirect: Redirect{StatusCode: 307}}
		}, "redirect status"},
		{"bad fixed code", func(c *Config) {
			c.Listeners[0].Rules[0].Action = Action{Type: ActionFixedResponse, FixedResponse: FixedResponse{StatusCode: 99}}
		}, "fixed-response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want == "":
			case err == nil || !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Validate() = %v, want an error about %q", err, tt.want)
			case !errors.Is(err, errdefs.ErrInvalidArgument):
				t.Fatalf("Validate() = %v, not an invalid-argument error", err)
			}
		})
	}
}
