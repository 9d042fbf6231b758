package iampolicy

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// op is the family of a condition operator; a negated operator (StringNotEquals, NotIpAddress,
// ...) is its family with negated set.
type op uint8

const (
	opStringEquals op = iota
	opStringEqualsIgnoreCase
	opStringLike
	opArnLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNull
)

type opInfo struct {
	op      op
	negated bool
}

// operators maps the operator names, in lower case, to their family.
var operators = map[string]opInfo{
	"stringequals":              {opStringEquals, false},
	"stringnotequals":           {opStringEquals, true},
	"stringequalsignorecase":    {opStringEqualsIgnoreCase, false},
	"stringnotequalsignorecase": {opStringEqualsIgnoreCase, true},
	"stringlike":                {opStringLike, false},
	"stringnotlike":             {opStringLike, true},
	"arnequals":                 {opArnLike, false},
	"arnlike":                   {opArnLike, false},
	"arnnotequals":              {opArnLike, true},
	"arnnotlike":                {opArnLike, true},
	"numericequals":             {opNumericEquals, false},
	"numericnotequals":          {opNumericEquals, true},
	"numericlessthan":           {opNumericLessThan, false},
	"numericlessthanequals":     {opNumericLessThanEquals, false},
	"numericgreaterthan":        {opNumericGreaterThan, false},
	"numericgreaterthanequals":  {opNumericGreaterThanEquals, false},
	"dateequals":                {opDateEquals, false},
	"datenotequals":             {opDateEquals, true},
	"datelessthan":              {opDateLessThan, false},
	"datelessthanequals":        {opDateLessThanEquals, false},
	"dategreaterthan":           {opDateGreaterThan, false},
	"dategreaterthanequals":     {opDateGreaterThanEquals, false},
	"bool":                      {opBool, false},
	"binaryequals":              {opBinaryEquals, false},
	"ipaddress":                 {opIPAddress, false},
	"notipaddress":              {opIPAddress, true},
	"null":                      {opNull, false},
}

// setOp is the set operator prefix of a condition on a multivalued key.
type setOp uint8

const (
	setNone setOp = iota
	setForAnyValue
	setForAllValues
)

// condition is a compiled Condition: the operator, the key and the policy's values in the
// form the operator compares.
type condition struct {
	opInfo
	set      setOp
	ifExists bool
	key      key
	strs     []pattern // string and binary operators
	arns     []arnPattern
	nums     []float64 // numeric operators; values that do not parse are left out
	times    []time.Time
	nets     []netip.Prefix
	words    []string // Bool and Null: "true" or "false", lower case
}

// compileCondition compiles c; an unknown operator is refused as AWS refuses it.
func compileCondition(c Condition, variables bool) (condition, error) {
	name := c.Operator
	var cc condition
	if rest, ok := cutPrefixFold(name, "ForAnyValue:"); ok {
		cc.set, name = setForAnyValue, rest
	} else if rest, ok := cutPrefixFold(name, "ForAllValues:"); ok {
		cc.set, name = setForAllValues, rest
	}
	if rest, ok := cutSuffixFold(name, "IfExists"); ok {
		cc.ifExists, name = true, rest
	}
	info, ok := operators[strings.ToLower(name)]
	if !ok || (info.op == opNull && (cc.ifExists || cc.set != setNone)) {
		return condition{}, malformedf(fmtConditionType, c.Operator)
	}
	if !hasVendor(c.Key) {
		return condition{}, malformed(msgVendor)
	}
	cc.opInfo, cc.key = info, parseKey(c.Key)
	for _, v := range c.Values {
		cc.addValue(v, variables)
	}
	return cc, nil
}

func (c *condition) addValue(v string, variables bool) {
	switch c.op {
	case opStringEquals, opBinaryEquals:
		c.strs = append(c.strs, compilePattern(v, patternOptions{variables: variables}))
	case opStringEqualsIgnoreCase:
		c.strs = append(c.strs, compilePattern(v, patternOptions{variables: variables, fold: true}))
	case opStringLike:
		c.strs = append(c.strs, compilePattern(v, patternOptions{glob: true, variables: variables}))
	case opArnLike:
		c.arns = append(c.arns, compileARNPattern(v, variables))
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			c.nums = append(c.nums, n)
		}
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		if t, ok := parseTime(v); ok {
			c.times = append(c.times, t)
		}
	case opIPAddress:
		if p, ok := parsePrefix(v); ok {
			c.nets = append(c.nets, p)
		}
	case opBool, opNull:
		c.words = append(c.words, strings.ToLower(v))
	}
}

// eval applies AWS's rules: a key absent from the request fails the condition, except for the
// IfExists forms, ForAllValues (true of an empty set) and the negated operators; within a key
// the policy's values are alternatives (OR), and a negated operator holds when none matches.
func (c *condition) eval(r *Request) bool {
	v, ok := c.key.lookup(r)
	present := ok && v.len() > 0
	if c.op == opNull {
		for _, w := range c.words {
			if (w == "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		switch {
		case c.ifExists, c.set == setForAllValues:
			return true
		case c.set == setForAnyValue:
			return false
		}
		return c.negated
	}
	if c.set == setForAllValues {
		for i := range v.len() {
			if c.matches(v, i, r) == c.negated {
				return false
			}
		}
		return true
	}
	for i := range v.len() {
		if c.matches(v, i, r) != c.negated {
			return true
		}
	}
	return false
}

// matches reports whether the request's i-th value matches any of the policy's values under
// the operator's family (before negation).
func (c *condition) matches(v values, i int, r *Request) bool {
	switch c.op {
	case opStringEquals, opStringEqualsIgnoreCase, opStringLike, opBinaryEquals:
		s := v.str(i)
		for j := range c.strs {
			if c.strs[j].match(s, r) {
				return true
			}
		}
		return false
	case opArnLike:
		s := v.str(i)
		for j := range c.arns {
			if c.arns[j].match(s, r) {
				return true
			}
		}
		return false
	case opBool:
		s := v.str(i)
		for _, w := range c.words {
			if strings.EqualFold(s, w) {
				return true
			}
		}
		return false
	case opIPAddress:
		return c.matchesIP(v, i)
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		return c.matchesTime(v, i)
	}
	return c.matchesNumber(v.str(i))
}

func (c *condition) matchesNumber(s string) bool {
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return false
	}
	for _, want := range c.nums {
		if compare(c.op-opNumericEquals, cmpFloat(n, want)) {
			return true
		}
	}
	return false
}

func (c *condition) matchesTime(v values, i int) bool {
	t := v.time
	if t.IsZero() {
		var ok bool
		if t, ok = parseTime(v.str(i)); !ok {
			return false
		}
	}
	for _, want := range c.times {
		if compare(c.op-opDateEquals, t.Compare(want)) {
			return true
		}
	}
	return false
}

func (c *condition) matchesIP(v values, i int) bool {
	ip := v.ip
	if !ip.IsValid() {
		var err error
		if ip, err = netip.ParseAddr(v.str(i)); err != nil {
			return false
		}
	}
	for _, n := range c.nets {
		if n.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// compare applies a comparison, numbered as the numeric and date families are (equals, less
// than, less than or equals, greater than, greater than or equals), to the result of a
// three-way comparison of the request's value with the policy's.
func compare(rel op, c int) bool {
	switch rel {
	case 0:
		return c == 0
	case 1:
		return c < 0
	case 2:
		return c <= 0
	case 3:
		return c > 0
	}
	return c >= 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parseTime reads a date condition value: ISO 8601 (as AWS writes it, with or without a time)
// or seconds since the epoch.
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	return time.Time{}, false
}

// parsePrefix reads an IpAddress value: a CIDR block, or one address.
func parsePrefix(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(s); err == nil {
		a = a.Unmap()
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

func cutSuffixFold(s, suffix string) (string, bool) {
	if len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix) {
		return s[:len(s)-len(suffix)], true
	}
	return s, false
}
