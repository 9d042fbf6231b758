package ecs

import (
	"strings"

	"github.com/fargohq/fargo/internal/clusterquery"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Fields of placement strategies.
const (
	FieldInstanceID = "instanceId"
	// FieldHost is ECS's other name of instanceId.
	FieldHost            = "host"
	FieldCPU             = "cpu"
	FieldMemory          = "memory"
	AttributeFieldPrefix = "attribute:"
	// AttributeAvailabilityZone is the attribute ECS spreads a service's tasks over by default.
	AttributeAvailabilityZone = "ecs.availability-zone"
	// maxExpression is the longest cluster query language expression the API takes.
	maxExpression = 2000
)

// ValidatePlacement checks the placement constraints and strategies of a service or a RunTask
// request of launchType as ECS does: known types, memberOf expressions in the cluster query
// language, strategy fields that fit their type, and none at all for Fargate.
func ValidatePlacement(launchType string, constraints []PlacementConstraint, strategies []PlacementStrategy) error {
	if len(constraints) > maxPlacementConstraints {
		return errdefs.InvalidArgument("At most %d placement constraints can be specified.", maxPlacementConstraints)
	}
	if len(strategies) > maxPlacementStrategies {
		return errdefs.InvalidArgument("At most %d placement strategies can be specified.", maxPlacementStrategies)
	}
	for _, c := range constraints {
		if err := validateConstraint(c); err != nil {
			return err
		}
	}
	for _, s := range strategies {
		if err := validateStrategy(s); err != nil {
			return err
		}
	}
	if launchType == string(CompatibilityFargate) {
		if len(strategies) > 0 {
			return errdefs.InvalidArgument("Placement strategies are not supported with FARGATE launch type.")
		}
		if len(constraints) > 0 {
			return errdefs.InvalidArgument("Placement constraints are not supported with FARGATE launch type.")
		}
	}
	return nil
}

func validateConstraint(c PlacementConstraint) error {
	switch c.Type {
	case PlacementDistinctInstance:
		if c.Expression != "" {
			return errdefs.InvalidArgument("distinctInstance expression should not be specified.")
		}
		return nil
	case PlacementMemberOf:
		if c.Expression == "" {
			return errdefs.InvalidArgument("A memberOf placement constraint requires an expression.")
		}
		_, err := ParseExpression(c.Expression)
		return err
	}
	return invalidValue("placementConstraints.type", c.Type, "distinctInstance, memberOf")
}

func validateStrategy(s PlacementStrategy) error {
	switch s.Type {
	case PlacementRandom:
		return nil
	case PlacementBinpack:
		if s.Field != FieldCPU && s.Field != FieldMemory {
			return errdefs.InvalidArgument("Invalid field '%s' for the binpack placement strategy: use cpu or memory.", s.Field)
		}
		return nil
	case PlacementSpread:
		if _, ok := SpreadAttribute(s.Field); !ok && s.Field != FieldInstanceID && s.Field != FieldHost {
			return errdefs.InvalidArgument("Invalid field '%s' for the spread placement strategy: use instanceId, host or attribute:<name>.", s.Field)
		}
		return nil
	}
	return invalidValue("placementStrategy.type", s.Type, "random, spread, binpack")
}

// SpreadAttribute returns the attribute a spread strategy's field names ("attribute:<name>").
func SpreadAttribute(field string) (string, bool) {
	name, ok := strings.CutPrefix(field, AttributeFieldPrefix)
	return name, ok && name != ""
}

// ParseExpression parses a cluster query language expression, or says in ECS's terms why it
// cannot.
func ParseExpression(expr string) (clusterquery.Query, error) {
	if len(expr) > maxExpression {
		return clusterquery.Query{}, errdefs.InvalidArgument("The placement constraint expression must be at most %d characters.", maxExpression)
	}
	q, err := clusterquery.Parse(expr)
	if err != nil {
		return clusterquery.Query{}, errdefs.InvalidArgument("Invalid expression '%s' in placement constraint: %s.", expr, err.Error())
	}
	return q, nil
}

// TaskPlacementConstraints are the constraints a task of td placed with constraints obeys:
// the task definition's memberOf constraints, then the service's or the request's.
func TaskPlacementConstraints(td TaskDefinition, constraints []PlacementConstraint) []PlacementConstraint {
	out := make([]PlacementConstraint, 0, len(td.PlacementConstraints)+len(constraints))
	for _, c := range td.PlacementConstraints {
		out = append(out, PlacementConstraint{Type: string(c.Type), Expression: c.Expression})
	}
	return append(out, constraints...)
}

// launchTypeForPlacement picks EC2 for a request that gave no launch type but placement
// constraints or strategies, which only EC2 tasks take, when td runs on EC2; otherwise the
// launch type stays as given (ResolveLaunch fills in the default).
func launchTypeForPlacement(launchType string, td TaskDefinition, placed bool) string {
	if launchType == "" && placed && td.ARN != "" && td.IsCompatibleWith(CompatibilityEC2) {
		return string(CompatibilityEC2)
	}
	return launchType
}
