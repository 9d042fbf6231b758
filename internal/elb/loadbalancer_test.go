package elb_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

var now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func newLB(t *testing.T, spec elb.LoadBalancerSpec) elb.LoadBalancer {
	t.Helper()
	lb, err := elb.NewLoadBalancer(scope, spec, lbID, now)
	if err != nil {
		t.Fatal(err)
	}
	return lb
}

func TestNewLoadBalancer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		spec elb.LoadBalancerSpec
		want error
	}{
		{"defaults", elb.LoadBalancerSpec{Name: "web"}, nil},
		{"everything", elb.LoadBalancerSpec{Name: "a-1", Type: "application", Scheme: "internal", IPAddressType: "dualstack",
			Subnets: []string{"subnet-1", "subnet-2"}, SecurityGroups: []string{"sg-1"}, Tags: []elb.Tag{{Key: "k"}}}, nil},
		{"no name", elb.LoadBalancerSpec{}, errdefs.ErrInvalidArgument},
		{"leading hyphen", elb.LoadBalancerSpec{Name: "-web"}, errdefs.ErrInvalidArgument},
		{"trailing hyphen", elb.LoadBalancerSpec{Name: "web-"}, errdefs.ErrInvalidArgument},
		{"33 characters", elb.LoadBalancerSpec{Name: strings.Repeat("a", 33)}, errdefs.ErrInvalidArgument},
		{"32 characters", elb.LoadBalancerSpec{Name: strings.Repeat("a", 32)}, nil},
		{"internal- prefix", elb.LoadBalancerSpec{Name: "internal-web"}, errdefs.ErrInvalidArgument},
		{"network", elb.LoadBalancerSpec{Name: "web", Type: "network"}, errdefs.ErrInvalidArgument},
		{"gateway", elb.LoadBalancerSpec{Name: "web", Type: "gateway"}, errdefs.ErrInvalidArgument},
		{"bad scheme", elb.LoadBalancerSpec{Name: "web", Scheme: "public"}, errdefs.ErrInvalidArgument},
		{"bad address type", elb.LoadBalancerSpec{Name: "web", IPAddressType: "ipv6"}, errdefs.ErrInvalidArgument},
		{"internal without public ipv4", elb.LoadBalancerSpec{Name: "web", Scheme: "internal", IPAddressType: "dualstack-without-public-ipv4"}, elb.ErrInvalidConfiguration},
		{"duplicate subnet", elb.LoadBalancerSpec{Name: "web", Subnets: []string{"s", "s"}}, errdefs.ErrInvalidArgument},
		{"duplicate tag", elb.LoadBalancerSpec{Name: "web", Tags: []elb.Tag{{Key: "k"}, {Key: "k"}}}, elb.ErrDuplicateTagKeys},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := elb.NewLoadBalancer(scope, tt.spec, lbID, now)
			wantErr(t, err, tt.want)
		})
	}
}

func TestLoadBalancerDefaults(t *testing.T) {
	t.Parallel()
	lb := newLB(t, elb.LoadBalancerSpec{Name: "web", Subnets: []string{"subnet-1", "subnet-2"}})
	if lb.ARN != "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/"+lbID {
		t.Fatalf("ARN %s", lb.ARN)
	}
	if lb.Type != "application" || lb.Scheme != "internet-facing" || lb.IPAddressType != "ipv4" || lb.State != "active" {
		t.Fatalf("defaults %+v", lb)
	}
	if len(lb.Zones) != 2 || lb.Zones[1] != (elb.Zone{Name: "us-east-1b", SubnetID: "subnet-2"}) {
		t.Fatalf("zones %+v", lb.Zones)
	}
	if lb.IdleTimeout() != time.Minute || !lb.HTTP2() || lb.DeletionProtected() || lb.Attributes["routing.http.xff_header_processing.mode"] != "append" {
		t.Fatalf("attributes %v", lb.Attributes)
	}
	internal := newLB(t, elb.LoadBalancerSpec{Name: "web", Scheme: "internal"})
	if internal.Attributes[elb.AttrDenyAllIGWTraffic] != "true" {
		t.Fatal("internal load balancers deny internet gateway traffic by default")
	}
	if !elb.SameLoadBalancerSettings(lb, newLB(t, elb.LoadBalancerSpec{Name: "web", Subnets: []string{"subnet-1", "subnet-2"}, Tags: []elb.Tag{{Key: "x"}}})) {
		t.Fatal("tags must not count for idempotency")
	}
	if elb.SameLoadBalancerSettings(lb, internal) {
		t.Fatal("a different scheme is a different load balancer")
	}
}

func TestLoadBalancerAttributes(t *testing.T) {
	t.Parallel()
	lb := newLB(t, elb.LoadBalancerSpec{Name: "web"})
	tests := []struct {
		name    string
		changes []elb.Attribute
		want    error
	}{
		{"idle timeout", []elb.Attribute{{Key: "idle_timeout.timeout_seconds", Value: "120"}}, nil},
		{"idle timeout too long", []elb.Attribute{{Key: "idle_timeout.timeout_seconds", Value: "4001"}}, elb.ErrInvalidConfiguration},
		{"idle timeout zero", []elb.Attribute{{Key: "idle_timeout.timeout_seconds", Value: "0"}}, elb.ErrInvalidConfiguration},
		{"not a number", []elb.Attribute{{Key: "idle_timeout.timeout_seconds", Value: "1m"}}, elb.ErrInvalidConfiguration},
		{"http2 off", []elb.Attribute{{Key: "routing.http2.enabled", Value: "false"}}, nil},
		{"not a boolean", []elb.Attribute{{Key: "routing.http2.enabled", Value: "yes"}}, elb.ErrInvalidConfiguration},
		{"unknown key", []elb.Attribute{{Key: "dns_record.client_routing_policy", Value: "x"}}, errdefs.ErrInvalidArgument},
		{"cross zone is fixed", []elb.Attribute{{Key: "load_balancing.cross_zone.enabled", Value: "false"}}, elb.ErrInvalidConfiguration},
		{"desync mode", []elb.Attribute{{Key: "routing.http.desync_mitigation_mode", Value: "strictest"}}, nil},
		{"logs without bucket", []elb.Attribute{{Key: "access_logs.s3.enabled", Value: "true"}}, elb.ErrInvalidConfiguration},
		{"logs with bucket", []elb.Attribute{{Key: "access_logs.s3.enabled", Value: "true"}, {Key: "access_logs.s3.bucket", Value: "b"}}, nil},
		{"keep alive", []elb.Attribute{{Key: "client_keep_alive.seconds", Value: "59"}}, elb.ErrInvalidConfiguration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := lb.WithAttributes(tt.changes)
			wantErr(t, err, tt.want)
			if err == nil && got.Attributes[tt.changes[0].Key] != tt.changes[0].Value {
				t.Fatalf("attribute not applied: %v", got.Attributes)
			}
		})
	}
	if lb.Attributes["idle_timeout.timeout_seconds"] != "60" {
		t.Fatal("WithAttributes changed its receiver's map")
	}
	sorted := lb.Attributes.Sorted()
	for i := 1; i < len(sorted); i++ {
		if sorted[i-1].Key >= sorted[i].Key {
			t.Fatalf("Sorted not sorted at %d: %v", i, sorted)
		}
	}
}

func TestLoadBalancerStatus(t *testing.T) {
	t.Parallel()
	lbal := elb.LoadBalancer{ARN: "arn:lb/a", State: elb.StateActive}
	serving := elb.Listener{LoadBalancerARN: "arn:lb/a", Port: 80, Protocol: "HTTP"}
	taken := elb.Listener{LoadBalancerARN: "arn:lb/a", Port: 8080, Protocol: "HTTP", Failure: "listen tcp 127.0.0.1:8080: bind: address already in use"}
	otherLB := elb.Listener{LoadBalancerARN: "arn:lb/b", Port: 9090, Protocol: "HTTP", Failure: "taken"}
	tests := []struct {
		name       string
		listeners  []elb.Listener
		wantCode   string
		wantReason string
	}{
		{"no listener", nil, elb.StateActive, ""},
		{"every listener serves", []elb.Listener{serving}, elb.StateActive, ""},
		{"a listener cannot bind", []elb.Listener{serving, taken}, elb.StateFailed, "listener HTTP:8080 cannot serve: listen tcp 127.0.0.1:8080: bind: address already in use"},
		{"another load balancer's listener", []elb.Listener{serving, otherLB}, elb.StateActive, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, reason := lbal.Status(tt.listeners)
			if code != tt.wantCode || reason != tt.wantReason {
				t.Fatalf("Status = %q, %q; want %q, %q", code, reason, tt.wantCode, tt.wantReason)
			}
		})
	}
}
