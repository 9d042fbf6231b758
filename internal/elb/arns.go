package elb

import (
	"regexp"
	"strings"

	"github.com/fargohq/fargo/internal/arn"
)

// Service is the ARN service of every ELBv2 resource.
const Service = "elasticloadbalancing"

// idPattern is the 16 hex digits that end every ELBv2 ARN.
var idPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// ValidID reports whether id has the form of the last part of an ELBv2 ARN.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// LoadBalancerRef names a load balancer: its name and the id its ARN ends with.
type LoadBalancerRef struct {
	Name string
	ID   string
}

// ListenerRef names a listener of a load balancer.
type ListenerRef struct {
	LoadBalancer LoadBalancerRef
	ID           string
}

// RuleRef names a rule of a listener.
type RuleRef struct {
	Listener ListenerRef
	ID       string
}

// TargetGroupRef names a target group.
type TargetGroupRef struct {
	Name string
	ID   string
}

// LoadBalancerARN is the ARN of an application load balancer: loadbalancer/app/<name>/<id>.
func LoadBalancerARN(scope arn.Scope, ref LoadBalancerRef) string {
	return scope.New(Service, "loadbalancer/app/"+ref.Name+"/"+ref.ID).String()
}

// ListenerARN is the ARN of a listener: listener/app/<lb-name>/<lb-id>/<id>.
func ListenerARN(scope arn.Scope, ref ListenerRef) string {
	lb := ref.LoadBalancer
	return scope.New(Service, "listener/app/"+lb.Name+"/"+lb.ID+"/"+ref.ID).String()
}

// RuleARN is the ARN of a rule: listener-rule/app/<lb-name>/<lb-id>/<listener-id>/<id>.
func RuleARN(scope arn.Scope, ref RuleRef) string {
	l := ref.Listener
	return scope.New(Service, "listener-rule/app/"+l.LoadBalancer.Name+"/"+l.LoadBalancer.ID+"/"+l.ID+"/"+ref.ID).String()
}

// TargetGroupARN is the ARN of a target group: targetgroup/<name>/<id>.
func TargetGroupARN(scope arn.Scope, ref TargetGroupRef) string {
	return scope.New(Service, "targetgroup/"+ref.Name+"/"+ref.ID).String()
}

// parts checks that s is an ELBv2 ARN whose resource starts with prefix and has n more
// '/'-separated parts, every one non-empty and the last one an id, and returns those parts.
func parts(s, prefix string, n int) ([]string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != Service {
		return nil, false
	}
	rest, ok := strings.CutPrefix(a.Resource, prefix)
	if !ok {
		return nil, false
	}
	p := strings.Split(rest, "/")
	if len(p) != n || !ValidID(p[n-1]) {
		return nil, false
	}
	for _, s := range p {
		if s == "" {
			return nil, false
		}
	}
	return p, true
}

// ParseLoadBalancerARN returns the load balancer s names, or a validation error when s is no
// application load balancer ARN.
func ParseLoadBalancerARN(s string) (LoadBalancerRef, error) {
	p, ok := parts(s, "loadbalancer/app/", 2)
	if !ok {
		return LoadBalancerRef{}, invalidf("'%s' is not a valid load balancer ARN", clip(s))
	}
	return LoadBalancerRef{Name: p[0], ID: p[1]}, nil
}

// ParseListenerARN returns the listener s names, or a validation error.
func ParseListenerARN(s string) (ListenerRef, error) {
	p, ok := parts(s, "listener/app/", 3)
	if !ok || !ValidID(p[1]) {
		return ListenerRef{}, invalidf("'%s' is not a valid listener ARN", clip(s))
	}
	return ListenerRef{LoadBalancer: LoadBalancerRef{Name: p[0], ID: p[1]}, ID: p[2]}, nil
}

// ParseRuleARN returns the rule s names, or a validation error.
func ParseRuleARN(s string) (RuleRef, error) {
	p, ok := parts(s, "listener-rule/app/", 4)
	if !ok || !ValidID(p[1]) || !ValidID(p[2]) {
		return RuleRef{}, invalidf("'%s' is not a valid listener rule ARN", clip(s))
	}
	lb := LoadBalancerRef{Name: p[0], ID: p[1]}
	return RuleRef{Listener: ListenerRef{LoadBalancer: lb, ID: p[2]}, ID: p[3]}, nil
}

// ParseTargetGroupARN returns the target group s names, or a validation error.
func ParseTargetGroupARN(s string) (TargetGroupRef, error) {
	p, ok := parts(s, "targetgroup/", 2)
	if !ok {
		return TargetGroupRef{}, invalidf("'%s' is not a valid target group ARN", clip(s))
	}
	return TargetGroupRef{Name: p[0], ID: p[1]}, nil
}

// ResourceType tells which kind of ELBv2 resource an ARN names, for tagging.
type ResourceType int

// The taggable resource types.
const (
	ResourceUnknown ResourceType = iota
	ResourceLoadBalancer
	ResourceTargetGroup
	ResourceListener
	ResourceRule
)

// TypeOf returns the kind of resource s names; ResourceUnknown when s is no ELBv2 ARN fargo
// knows.
func TypeOf(s string) ResourceType {
	switch {
	case parses(ParseLoadBalancerARN(s)):
		return ResourceLoadBalancer
	case parses(ParseTargetGroupARN(s)):
		return ResourceTargetGroup
	case parses(ParseListenerARN(s)):
		return ResourceListener
	case parses(ParseRuleARN(s)):
		return ResourceRule
	}
	return ResourceUnknown
}

func parses[T any](_ T, err error) bool { return err == nil }

// clip shortens client input echoed in a message, so that a hostile request cannot make an
// error response large.
func clip(s string) string {
	const maxLen = 128
	if len(s) > maxLen {
		return s[:maxLen] + "..."
	}
	return s
}
