package clusterquery

import (
	"cmp"
	"strconv"
	"strings"
	"time"
)

type operator int

const (
	opEquals operator = iota + 1
	opNotEquals
	opGreater
	opGreaterEqual
	opLess
	opLessEqual
	opExists
	opNotExists
	opIn
	opNotIn
	opMatches
	opNotMatches
)

// operators maps each spelling of an operator, symbol or word, to it.
var operators = map[string]operator{
	"==": opEquals, "equals": opEquals,
	"!=": opNotEquals, "not_equals": opNotEquals,
	">": opGreater, "greater_than": opGreater,
	">=": opGreaterEqual, "greater_than_equal": opGreaterEqual,
	"<": opLess, "less_than": opLess,
	"<=": opLessEqual, "less_than_equal": opLessEqual,
	"exists":  opExists,
	"!exists": opNotExists, "not_exists": opNotExists,
	"in":  opIn,
	"!in": opNotIn, "not_in": opNotIn,
	"=~": opMatches, "matches": opMatches,
	"!~": opNotMatches, "not_matches": opNotMatches,
}

// takesList reports whether the operator's argument is a list.
func (o operator) takesList() bool { return o == opIn || o == opNotIn }

// takesNoArgument reports whether the operator stands alone.
func (o operator) takesNoArgument() bool { return o == opExists || o == opNotExists }

func (o operator) ordering() bool {
	return o == opGreater || o == opGreaterEqual || o == opLess || o == opLessEqual
}

// holds applies an ordering operator to the result of a comparison.
func (o operator) holds(c int) bool {
	switch o {
	case opGreater:
		return c > 0
	case opGreaterEqual:
		return c >= 0
	case opLess:
		return c < 0
	case opLessEqual:
		return c <= 0
	}
	return false
}

// allowed reports whether a subject takes an operator, as ECS documents it; attributes take all.
func allowed(s Subject, o operator) bool {
	switch s.Field {
	case AgentConnected, EC2InstanceID, TaskGroup:
		return o == opEquals || o == opNotEquals || o == opIn || o == opNotIn || o == opMatches || o == opNotMatches
	case AgentVersion, RegisteredAt, RunningTasksCount:
		return o == opEquals || o == opNotEquals || o.ordering()
	}
	return true
}

// dateLayouts are the forms of registeredAt's argument that ECS accepts.
var dateLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

func parseDate(s string) (time.Time, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// compareValues orders a target's value against an argument: dates for registeredAt, numbers
// when both are numbers, dotted versions when both are versions, text otherwise.
func compareValues(s Subject, v, arg string) int {
	if s.Field == RegisteredAt {
		a, okA := parseDate(v)
		b, okB := parseDate(arg)
		if okA && okB {
			return a.Compare(b)
		}
	}
	a, errA := strconv.ParseFloat(v, 64)
	b, errB := strconv.ParseFloat(arg, 64)
	if errA == nil && errB == nil {
		return cmp.Compare(a, b)
	}
	if c, ok := compareVersions(v, arg); ok {
		return c
	}
	return strings.Compare(v, arg)
}

// compareVersions orders versions such as 1.10.2 and 1.9 part by part, numerically.
func compareVersions(a, b string) (int, bool) {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(pa), len(pb)) {
		x, okX := versionPart(pa, i)
		y, okY := versionPart(pb, i)
		if !okX || !okY {
			return 0, false
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c, true
		}
	}
	return 0, true
}

func versionPart(parts []string, i int) (int, bool) {
	if i >= len(parts) {
		return 0, true
	}
	n, err := strconv.Atoi(parts[i])
	return n, err == nil && n >= 0
}
