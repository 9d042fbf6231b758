package elb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

func newTG(t *testing.T, spec elb.TargetGroupSpec) elb.TargetGroup {
	t.Helper()
	tg, err := elb.NewTargetGroup(scope, spec, tgID)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func TestNewTargetGroup(t *testing.T) {
	t.Parallel()
	base := elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80}
	with := func(f func(*elb.TargetGroupSpec)) elb.TargetGroupSpec {
		s := base
		f(&s)
		return s
	}
	tests := []struct {
		name string
		spec elb.TargetGroupSpec
		want error
	}{
		{"defaults", base, nil},
		{"ip https http2", with(func(s *elb.TargetGroupSpec) { s.TargetType, s.Protocol, s.ProtocolVersion = "ip", "HTTPS", "HTTP2" }), nil},
		{"bad name", with(func(s *elb.TargetGroupSpec) { s.Name = "blue_green" }), errdefs.ErrInvalidArgument},
		{"long name", with(func(s *elb.TargetGroupSpec) { s.Name = strings.Repeat("b", 33) }), errdefs.ErrInvalidArgument},
		{"lambda", with(func(s *elb.TargetGroupSpec) { s.TargetType = "lambda" }), errdefs.ErrInvalidArgument},
		{"alb", with(func(s *elb.TargetGroupSpec) { s.TargetType = "alb" }), errdefs.ErrInvalidArgument},
		{"tcp", with(func(s *elb.TargetGroupSpec) { s.Protocol = "TCP" }), errdefs.ErrInvalidArgument},
		{"no protocol", with(func(s *elb.TargetGroupSpec) { s.Protocol = "" }), errdefs.ErrInvalidArgument},
		{"no port", with(func(s *elb.TargetGroupSpec) { s.Port = 0 }), errdefs.ErrInvalidArgument},
		{"port too high", with(func(s *elb.TargetGroupSpec) { s.Port = 65536 }), errdefs.ErrInvalidArgument},
		{"grpc", with(func(s *elb.TargetGroupSpec) { s.ProtocolVersion = "GRPC" }), errdefs.ErrInvalidArgument},
		{"ipv6", with(func(s *elb.TargetGroupSpec) { s.IPAddressType = "ipv6" }), nil},
		{"dualstack target group", with(func(s *elb.TargetGroupSpec) { s.IPAddressType = "dualstack" }), errdefs.ErrInvalidArgument},
		{"health checks off", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Disable = true }), elb.ErrInvalidConfiguration},
		{"interval 4", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.IntervalSeconds = 4 }), errdefs.ErrInvalidArgument},
		{"interval 300", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.IntervalSeconds = 300 }), nil},
		{"explicit zero interval", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.IntervalSeconds = -1 }), errdefs.ErrInvalidArgument},
		{"timeout 1", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.TimeoutSeconds = 1 }), errdefs.ErrInvalidArgument},
		{"timeout not below interval", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.IntervalSeconds, s.HealthCheck.TimeoutSeconds = 5, 5 }), elb.ErrInvalidConfiguration},
		{"healthy 11", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.HealthyThreshold = 11 }), errdefs.ErrInvalidArgument},
		{"unhealthy 1", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.UnhealthyThreshold = 1 }), errdefs.ErrInvalidArgument},
		{"path without slash", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Path = "health" }), errdefs.ErrInvalidArgument},
		{"port number", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Port = "8081" }), nil},
		{"port word", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Port = "http" }), errdefs.ErrInvalidArgument},
		{"tcp health check", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Protocol = "TCP" }), errdefs.ErrInvalidArgument},
		{"matcher range", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Matcher = "200-399" }), nil},
		{"matcher 500", with(func(s *elb.TargetGroupSpec) { s.HealthCheck.Matcher = "500" }), errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := elb.NewTargetGroup(scope, tt.spec, tgID)
			wantErr(t, err, tt.want)
		})
	}
}

func TestTargetGroupDefaults(t *testing.T) {
	t.Parallel()
	tg := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTPS", Port: 443})
	want := elb.HealthCheck{Enabled: true, Protocol: "HTTPS", Port: "traffic-port", Path: "/", IntervalSeconds: 30,
		TimeoutSeconds: 5, HealthyThreshold: 5, UnhealthyThreshold: 2, Matcher: "200"}
	if tg.HealthCheck != want {
		t.Fatalf("health check %+v, want %+v", tg.HealthCheck, want)
	}
	if tg.ARN != tgARN || tg.TargetType != "instance" || tg.ProtocolVersion != "HTTP1" || tg.VpcID != elb.DefaultVpcID || tg.IPAddressType != "ipv4" {
		t.Fatalf("target group %+v", tg)
	}
	if tg.DeregistrationDelay() != 300*time.Second || tg.SlowStart() != 0 || tg.Algorithm() != "round_robin" {
		t.Fatalf("attributes %v", tg.Attributes)
	}
	if on, d := tg.Stickiness(); on || d != 24*time.Hour {
		t.Fatalf("stickiness %v %v", on, d)
	}
	modified, err := tg.WithHealthCheck(elb.HealthCheckSpec{Path: "/health", IntervalSeconds: 10})
	if err != nil || modified.HealthCheck.Path != "/health" || modified.HealthCheck.IntervalSeconds != 10 || modified.HealthCheck.TimeoutSeconds != 5 {
		t.Fatalf("WithHealthCheck = %+v, %v", modified.HealthCheck, err)
	}
	if !elb.SameTargetGroupSettings(tg, newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTPS", Port: 443, Tags: []elb.Tag{{Key: "k"}}})) {
		t.Fatal("tags must not count for idempotency")
	}
	if elb.SameTargetGroupSettings(tg, modified) {
		t.Fatal("a different health check is a different target group")
	}
}

func TestValidateMatcher(t *testing.T) {
	t.Parallel()
	for m, ok := range map[string]bool{
		"200": true, "200,202": true, "200-299": true, "200-299,404": true, "499": true,
		"": false, "199": false, "500": false, "299-200": false, "200,": false, "2OO": false, "200-": false, "-200": false, "0200": false,
	} {
		if err := elb.ValidateMatcher(m); (err == nil) != ok {
			t.Errorf("ValidateMatcher(%q) = %v, want ok=%v", m, err, ok)
		}
	}
}

func TestTargetGroupAttributes(t *testing.T) {
	t.Parallel()
	tg := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80})
	tests := []struct {
		name  string
		key   string
		value string
		want  error
	}{
		{"delay 0", "deregistration_delay.timeout_seconds", "0", nil},
		{"delay 3600", "deregistration_delay.timeout_seconds", "3600", nil},
		{"delay 3601", "deregistration_delay.timeout_seconds", "3601", elb.ErrInvalidConfiguration},
		{"slow start 0", "slow_start.duration_seconds", "0", nil},
		{"slow start 29", "slow_start.duration_seconds", "29", elb.ErrInvalidConfiguration},
		{"slow start 900", "slow_start.duration_seconds", "900", nil},
		{"slow start 901", "slow_start.duration_seconds", "901", elb.ErrInvalidConfiguration},
		{"stickiness on", "stickiness.enabled", "true", nil},
		{"app cookie", "stickiness.type", "app_cookie", elb.ErrInvalidConfiguration},
		{"source ip", "stickiness.type", "source_ip", elb.ErrInvalidConfiguration},
		{"cookie duration", "stickiness.lb_cookie.duration_seconds", "604801", elb.ErrInvalidConfiguration},
		{"least outstanding", "load_balancing.algorithm.type", "least_outstanding_requests", nil},
		{"weighted random", "load_balancing.algorithm.type", "weighted_random", elb.ErrInvalidConfiguration},
		{"reserved cookie", "stickiness.app_cookie.cookie_name", "AWSALBX", elb.ErrInvalidConfiguration},
		{"percentage off", "target_group_health.dns_failover.minimum_healthy_targets.percentage", "off", nil},
		{"percentage 101", "target_group_health.dns_failover.minimum_healthy_targets.percentage", "101", elb.ErrInvalidConfiguration},
		{"proxy protocol is for NLB", "proxy_protocol_v2.enabled", "true", errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tg.WithAttributes([]elb.Attribute{{Key: tt.key, Value: tt.value}})
			wantErr(t, err, tt.want)
			if err == nil && got.Attributes[tt.key] != tt.value {
				t.Fatalf("not applied: %v", got.Attributes)
			}
		})
	}
}
