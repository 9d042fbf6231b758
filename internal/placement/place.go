package placement

import (
	"cmp"
	"slices"

	"github.com/fargohq/fargo/internal/clusterquery"
	"github.com/fargohq/fargo/internal/ecs"
)

// Request is a task to place.
type Request struct {
	// Group is the task's group (service:<name>, family:<family> or RunTask's group): spread
	// and distinctInstance count the tasks of the same group.
	Group string
	// Fargate tasks are placed without a resource check: Fargate's capacity is not the
	// cluster's, and they take no constraints or strategies.
	Fargate     bool
	Needs       ecs.Resources
	Ports       []ecs.HostPort
	Constraints []Constraint
	Strategy    []ecs.PlacementStrategy
}

// Constraint is a placement constraint with its expression parsed.
type Constraint struct {
	Type  string
	Query clusterquery.Query
}

// Compile parses the constraints' expressions once for many placements.
func Compile(constraints []ecs.PlacementConstraint) ([]Constraint, error) {
	out := make([]Constraint, len(constraints))
	for i, c := range constraints {
		out[i].Type = c.Type
		if c.Type != ecs.PlacementMemberOf {
			continue
		}
		q, err := ecs.ParseExpression(c.Expression)
		if err != nil {
			return nil, err
		}
		out[i].Query = q
	}
	return out, nil
}

// RequestFor is the request that places t (a task not placed yet) under constraints and
// strategy.
func RequestFor(t ecs.Task, constraints []ecs.PlacementConstraint, strategy []ecs.PlacementStrategy) (Request, error) {
	compiled, err := Compile(constraints)
	if err != nil {
		return Request{}, err
	}
	return Request{
		Group: t.Group, Fargate: t.LaunchType == string(ecs.CompatibilityFargate),
		Needs: t.Resources(), Ports: t.HostPorts, Constraints: compiled, Strategy: strategy,
	}, nil
}

// ServiceStrategy is the strategy of a service's tasks: its own, or ECS's default for
// services, spread over availability zones.
func ServiceStrategy(s ecs.Service) []ecs.PlacementStrategy {
	if len(s.PlacementStrategy) > 0 {
		return s.PlacementStrategy
	}
	return []ecs.PlacementStrategy{{Type: ecs.PlacementSpread, Field: ecs.AttributeFieldPrefix + ecs.AttributeAvailabilityZone}}
}

// Place picks the instance for r and reserves r's resources on it, so that the next Place
// sees them. Instances that fit are narrowed by each strategy in turn; the ties left go to
// the instance with the fewest tasks, then the lowest id. ok is false when none fits, and
// the Failure says why.
func (c *Cluster) Place(r Request) (ecs.ContainerInstance, Failure, bool) {
	var fits []*instance
	var closest Failure
	best := -1
	for _, in := range c.instances {
		stage, reason := c.check(in, r)
		if reason == "" {
			fits = append(fits, in)
		} else if stage > best {
			best, closest = stage, Failure{Instance: in.ContainerInstance, Reason: reason}
		}
	}
	if len(fits) == 0 {
		return ecs.ContainerInstance{}, closest, false
	}
	for _, s := range r.Strategy {
		if len(fits) == 1 {
			break
		}
		fits = c.narrow(fits, r, s)
	}
	chosen := slices.MinFunc(fits, func(a, b *instance) int {
		return cmp.Or(cmp.Compare(a.live, b.live), cmp.Compare(a.ID, b.ID))
	})
	chosen.reserve(r.Group, r.Needs, r.Ports)
	return chosen.ContainerInstance, Failure{}, true
}

// PlaceOn places r on the instance with id, the caller's choice (StartTask), if it can take
// it, and reserves r there; otherwise the Failure says why.
func (c *Cluster) PlaceOn(id string, r Request) (Failure, bool) {
	i := slices.IndexFunc(c.instances, func(in *instance) bool { return in.ID == id })
	if i < 0 {
		return Failure{}, false
	}
	in := c.instances[i]
	if _, reason := c.check(in, r); reason != "" {
		return Failure{Instance: in.ContainerInstance, Reason: reason}, false
	}
	in.reserve(r.Group, r.Needs, r.Ports)
	return Failure{}, true
}

// check returns why in cannot take r ("" when it can) and how far it got: the checks run in
// the order of the reasons, resources before constraints, as ECS filters.
func (c *Cluster) check(in *instance, r Request) (int, Reason) {
	if !in.connected(c.now) {
		return 0, ReasonAgent
	}
	if !r.Fargate {
		switch {
		case r.Needs.CPU > in.left.CPU:
			return 1, ReasonCPU
		case r.Needs.Memory > in.left.Memory:
			return 2, ReasonMemory
		}
		if reason := in.portConflict(r.Ports); reason != "" {
			return 3, reason
		}
	}
	for _, k := range r.Constraints {
		if k.Type == ecs.PlacementMemberOf && !k.Query.Match(in) {
			return 4, ReasonMemberOf
		}
	}
	for _, k := range r.Constraints {
		if k.Type == ecs.PlacementDistinctInstance && in.groups[r.Group] > 0 {
			return 5, ReasonDistinctInstance
		}
	}
	return 6, ""
}

func (in *instance) portConflict(ports []ecs.HostPort) Reason {
	for _, p := range ports {
		if in.ports[p] {
			if p.Protocol == ecs.TransportProtocolUDP {
				return ReasonPortsUDP
			}
			return ReasonPorts
		}
	}
	return ""
}

// narrow keeps the instances that s likes best.
func (c *Cluster) narrow(fits []*instance, r Request, s ecs.PlacementStrategy) []*instance {
	switch s.Type {
	case ecs.PlacementRandom:
		return []*instance{fits[c.pick(len(fits))]}
	case ecs.PlacementBinpack:
		return keepLowest(fits, func(in *instance) int {
			if s.Field == ecs.FieldCPU {
				return in.left.CPU - r.Needs.CPU
			}
			return in.left.Memory - r.Needs.Memory
		})
	case ecs.PlacementSpread:
		if name, ok := ecs.SpreadAttribute(s.Field); ok {
			perValue := c.groupTasksByAttribute(name, r.Group)
			return keepLowest(fits, func(in *instance) int { return perValue[attributeValue(in, name)] })
		}
		return keepLowest(fits, func(in *instance) int { return in.groups[r.Group] })
	}
	return fits
}

// attributeKey tells an attribute's value from its absence.
type attributeKey struct {
	value string
	has   bool
}

func attributeValue(in *instance, name string) attributeKey {
	v, ok := in.attrs[name]
	return attributeKey{v, ok}
}

// groupTasksByAttribute counts the tasks of group on the instances of each value of attribute
// name (instances that lack it count as one more value).
func (c *Cluster) groupTasksByAttribute(name, group string) map[attributeKey]int {
	out := map[attributeKey]int{}
	for _, in := range c.instances {
		out[attributeValue(in, name)] += in.groups[group]
	}
	return out
}

// keepLowest keeps the instances of the lowest score.
func keepLowest(ins []*instance, score func(*instance) int) []*instance {
	var out []*instance
	low := 0
	for _, in := range ins {
		switch s := score(in); {
		case len(out) == 0 || s < low:
			out, low = []*instance{in}, s
		case s == low:
			out = append(out, in)
		}
	}
	return out
}
