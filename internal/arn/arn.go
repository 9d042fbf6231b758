package arn

import (
	"regexp"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

// ARN is a parsed Amazon Resource Name: arn:partition:service:region:account:resource.
type ARN struct {
	Partition string
	Service   string
	Region    string
	AccountID string
	// Resource is everything after the fifth colon, for example "cluster/demo" or
	// "task-definition/web:3".
	Resource string
}

// String renders the ARN in its canonical form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.AccountID + ":" + a.Resource
}

// Parse splits s into its parts. It checks the shape only, not whether the resource exists.
func Parse(s string) (ARN, error) {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" || parts[5] == "" {
		return ARN{}, errdefs.InvalidArgument("%q is not a valid ARN", s)
	}
	return ARN{Partition: parts[1], Service: parts[2], Region: parts[3], AccountID: parts[4], Resource: parts[5]}, nil
}

// IsARN reports whether s looks like an ARN rather than a short name.
func IsARN(s string) bool { return strings.HasPrefix(s, "arn:") }

// ResourceType returns the part of the resource before the first '/' (ECS style) or ':'
// (CodeDeploy style), for example "cluster" or "task-definition".
func (a ARN) ResourceType() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[:i]
	}
	return a.Resource
}

// ResourceID returns the resource without its type prefix, for example "demo" or "web:3".
func (a ARN) ResourceID() string {
	if i := strings.IndexAny(a.Resource, "/:"); i >= 0 {
		return a.Resource[i+1:]
	}
	return ""
}

// Scope is the partition, region and account every ARN of one fargo server carries.
type Scope struct {
	Partition string
	Region    string
	AccountID string
}

// New returns an ARN of service with resource in the scope.
func (s Scope) New(service, resource string) ARN {
	return ARN{Partition: s.Partition, Service: service, Region: s.Region, AccountID: s.AccountID, Resource: resource}
}

// regionPattern is the shape of a region name: us-east-1, ap-northeast-2, us-gov-west-1.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)

// IsRegion reports whether s has the shape of a region name, such as ap-northeast-2.
func IsRegion(s string) bool { return regionPattern.MatchString(s) }
