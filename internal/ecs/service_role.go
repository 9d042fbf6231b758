package ecs

import (
	"strings"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Values of a service's availabilityZoneRebalancing. fargo runs every task in one
// Availability Zone, so the setting is stored and reported, and has nothing to rebalance.
const (
	AZRebalancingEnabled  = "ENABLED"
	AZRebalancingDisabled = "DISABLED"
)

// serviceLinkedRole is the resource of ECS's service-linked role, which a service uses unless
// it names a role of its own.
const serviceLinkedRole = "role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"

// ErrRoleNeedsServiceLinkedRole is ECS's answer to a role given for a service that must use
// the service-linked role.
var ErrRoleNeedsServiceLinkedRole = errdefs.InvalidArgument("You cannot specify an IAM role for services that require a service linked role.")

// ValidateAZRebalancing checks a service's availabilityZoneRebalancing; "" is a service
// stored before fargo kept the setting, which ECS reports as not set.
func ValidateAZRebalancing(v string) error {
	switch v {
	case "", AZRebalancingEnabled, AZRebalancingDisabled:
		return nil
	}
	return invalidValue("availabilityZoneRebalancing", v, "ENABLED, DISABLED")
}

// ServiceRoleARN returns the roleArn ECS reports for service s of task definition td created
// with role (CreateService's role, a name, a path and name, or an ARN): the role as an ARN, or
// ECS's service-linked role for the services that need one, or "" for the others (an EC2
// service outside awsvpc without a load balancer). The rules are CreateService's role
// documentation.
func ServiceRoleARN(scope arn.Scope, role string, s Service, td TaskDefinition) (string, error) {
	needsLinked := td.ARN != "" && td.EffectiveNetworkMode() == NetworkModeAwsvpc ||
		s.DeploymentController == ControllerExternal || len(s.LoadBalancers) > 1
	switch {
	case role != "" && needsLinked:
		return "", ErrRoleNeedsServiceLinkedRole
	case role != "" && len(s.LoadBalancers) == 0:
		return "", errdefs.InvalidArgument("A role can only be specified for a service with a load balancer.")
	case role != "" && arn.IsARN(role):
		return role, nil
	case role != "":
		return iamRoleARN(scope, "role/"+strings.TrimPrefix(role, "/")), nil
	case needsLinked || len(s.LoadBalancers) > 0:
		return iamRoleARN(scope, serviceLinkedRole), nil
	}
	return "", nil
}

// iamRoleARN is an IAM ARN, which names no region, of resource in scope's account.
func iamRoleARN(scope arn.Scope, resource string) string {
	return arn.ARN{Partition: scope.Partition, Service: "iam", AccountID: scope.AccountID, Resource: resource}.String()
}
