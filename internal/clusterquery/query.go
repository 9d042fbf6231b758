package clusterquery

import (
	"regexp"
	"slices"
	"strings"
)

// Field is a subject of the language other than an attribute.
type Field string

// The fields ECS's cluster query language knows, and Attribute for "attribute:<name>".
const (
	AgentConnected    Field = "agentConnected"
	AgentVersion      Field = "agentVersion"
	EC2InstanceID     Field = "ec2InstanceId"
	RegisteredAt      Field = "registeredAt"
	RunningTasksCount Field = "runningTasksCount"
	TaskGroup         Field = "task:group"
	Attribute         Field = "attribute"
)

// Subject is what a comparison looks at: a field, or an attribute by name.
type Subject struct {
	Field Field
	// Name is the attribute's name when Field is Attribute.
	Name string
}

func (s Subject) String() string {
	if s.Field == Attribute {
		return "attribute:" + s.Name
	}
	return string(s.Field)
}

// Target is what a query matches: a container instance as its caller sees it.
type Target interface {
	// Values returns the target's values of s: none when it has no such subject (an attribute
	// it lacks), one empty string for an attribute without a value, and every group of the
	// tasks it runs for TaskGroup.
	Values(s Subject) []string
}

// Query is a parsed expression. The zero value matches everything.
type Query struct {
	root node
	src  string
}

// Match reports whether t satisfies the query.
func (q Query) Match(t Target) bool {
	if q.root == nil {
		return true
	}
	return q.root.match(t)
}

// String is the expression the query was parsed from.
func (q Query) String() string { return q.src }

// Subjects lists the subjects the query looks at, in order of appearance.
func (q Query) Subjects() []Subject {
	var out []Subject
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case and:
			walk(n.l)
			walk(n.r)
		case or:
			walk(n.l)
			walk(n.r)
		case not:
			walk(n.n)
		case comparison:
			if !slices.Contains(out, n.subject) {
				out = append(out, n.subject)
			}
		}
	}
	if q.root != nil {
		walk(q.root)
	}
	return out
}

type node interface{ match(Target) bool }

type and struct{ l, r node }
type or struct{ l, r node }
type not struct{ n node }

func (n and) match(t Target) bool { return n.l.match(t) && n.r.match(t) }
func (n or) match(t Target) bool  { return n.l.match(t) || n.r.match(t) }
func (n not) match(t Target) bool { return !n.n.match(t) }

// comparison is "subject operator [argument]".
type comparison struct {
	subject Subject
	op      operator
	args    []string
	pattern *regexp.Regexp // for matches and not_matches
}

func (c comparison) match(t Target) bool {
	values := t.Values(c.subject)
	switch c.op {
	case opExists:
		return len(values) > 0
	case opNotExists:
		return len(values) == 0
	case opEquals, opIn:
		return slices.ContainsFunc(values, c.equalsAny)
	case opNotEquals, opNotIn:
		return !slices.ContainsFunc(values, c.equalsAny)
	case opMatches:
		return slices.ContainsFunc(values, c.pattern.MatchString)
	case opNotMatches:
		return !slices.ContainsFunc(values, c.pattern.MatchString)
	}
	return slices.ContainsFunc(values, func(v string) bool { return c.op.holds(compareValues(c.subject, v, c.args[0])) })
}

func (c comparison) equalsAny(v string) bool {
	return slices.ContainsFunc(c.args, func(a string) bool { return equalValues(c.subject, v, a) })
}

// equalValues compares as ECS does: agentConnected's booleans regardless of case, everything
// else exactly.
func equalValues(s Subject, v, arg string) bool {
	if s.Field == AgentConnected {
		return strings.EqualFold(v, arg)
	}
	if s.Field == RegisteredAt || s.Field == RunningTasksCount {
		return compareValues(s, v, arg) == 0
	}
	return v == arg
}
