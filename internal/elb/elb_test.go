package elb_test

import (
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

var scope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}

const (
	lbID   = "0123456789abcdef"
	tgID   = "fedcba9876543210"
	tgARN  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/" + tgID
	tg2ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/green/" + lbID
)

// wantErr checks err against want: nil means success, errdefs kinds and elb reasons match with
// errors.Is.
func wantErr(t *testing.T, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("err = %v, want %v", err, want)
	}
}

func TestParseARNs(t *testing.T) {
	t.Parallel()
	lb := elb.LoadBalancerARN(scope, elb.LoadBalancerRef{Name: "web", ID: lbID})
	l := elb.ListenerARN(scope, elb.ListenerRef{LoadBalancer: elb.LoadBalancerRef{Name: "web", ID: lbID}, ID: tgID})
	r := elb.RuleARN(scope, elb.RuleRef{Listener: elb.ListenerRef{LoadBalancer: elb.LoadBalancerRef{Name: "web", ID: lbID}, ID: tgID}, ID: lbID})
	tests := []struct {
		name string
		s    string
		want elb.ResourceType
	}{
		{"load balancer", lb, elb.ResourceLoadBalancer},
		{"listener", l, elb.ResourceListener},
		{"rule", r, elb.ResourceRule},
		{"target group", tgARN, elb.ResourceTargetGroup},
		{"network load balancer", "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/web/" + lbID, elb.ResourceUnknown},
		{"short id", "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/blue/abc", elb.ResourceUnknown},
		{"other service", "arn:aws:ecs:us-east-1:000000000000:targetgroup/blue/" + tgID, elb.ResourceUnknown},
		{"extra part", lb + "/x", elb.ResourceUnknown},
		{"empty name", "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup//" + tgID, elb.ResourceUnknown},
		{"not an arn", "web", elb.ResourceUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := elb.TypeOf(tt.s); got != tt.want {
				t.Fatalf("TypeOf(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
	ref, err := elb.ParseRuleARN(r)
	if err != nil || ref.ID != lbID || ref.Listener.ID != tgID || ref.Listener.LoadBalancer.Name != "web" {
		t.Fatalf("ParseRuleARN = %+v, %v", ref, err)
	}
	if _, err := elb.ParseListenerARN("bogus"); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("bad listener ARN: %v", err)
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	many := make([]elb.Tag, elb.MaxTags+1)
	for i := range many {
		many[i] = elb.Tag{Key: string(rune('a'+i%26)) + string(rune('a'+i/26))}
	}
	tests := []struct {
		name string
		tags []elb.Tag
		want error
	}{
		{"empty", nil, nil},
		{"fine", []elb.Tag{{Key: "team", Value: "web"}, {Key: "env"}}, nil},
		{"empty key", []elb.Tag{{Key: ""}}, errdefs.ErrInvalidArgument},
		{"reserved prefix", []elb.Tag{{Key: "AWS:name"}}, errdefs.ErrInvalidArgument},
		{"long value", []elb.Tag{{Key: "k", Value: string(make([]byte, 257))}}, errdefs.ErrInvalidArgument},
		{"duplicate", []elb.Tag{{Key: "k"}, {Key: "k"}}, elb.ErrDuplicateTagKeys},
		{"too many", many, elb.ErrTooManyTags},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, elb.ValidateTagRequest(tt.tags), tt.want)
		})
	}
	merged, err := elb.AddTags([]elb.Tag{{Key: "a", Value: "1"}}, []elb.Tag{{Key: "a", Value: "2"}, {Key: "b"}})
	if err != nil || len(merged) != 2 || merged[0].Value != "2" {
		t.Fatalf("AddTags = %v, %v", merged, err)
	}
	if _, err := elb.AddTags(many[:elb.MaxTags], []elb.Tag{{Key: "new"}}); !errors.Is(err, elb.ErrTooManyTags) {
		t.Fatalf("AddTags over the limit: %v", err)
	}
	if left := elb.RemoveTags(merged, []string{"a", "ghost"}); len(left) != 1 || left[0].Key != "b" {
		t.Fatalf("RemoveTags = %v", left)
	}
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }
