package elb

import (
	"net/netip"
	"regexp"
	"strings"
)

// Condition fields.
const (
	FieldHostHeader        = "host-header"
	FieldPathPattern       = "path-pattern"
	FieldHTTPHeader        = "http-header"
	FieldHTTPRequestMethod = "http-request-method"
	FieldQueryString       = "query-string"
	FieldSourceIP          = "source-ip"
)

// MaxConditionValues is how many values all conditions of one rule may have together (ALB's
// match evaluations per rule).
const MaxConditionValues = 5

// Condition is one condition of a rule; a rule matches when all its conditions do, and a
// condition matches when any of its values does.
type Condition struct {
	Field string
	// Values are the host patterns, path patterns, header value patterns, methods or CIDRs.
	Values []string
	// HTTPHeaderName is the header an http-header condition looks at.
	HTTPHeaderName string
	// QueryStrings are the key/value patterns of a query-string condition.
	QueryStrings []QueryString
}

// QueryString is one pattern of a query-string condition; an empty Key matches any key.
type QueryString struct {
	Key, Value string
}

// ConditionSpec is a condition as a request gives it: the legacy Field+Values form, or Field
// with the configuration of its kind.
type ConditionSpec struct {
	Field string
	// Values are the legacy values (host-header and path-pattern only).
	Values []string
	// Configs names the XxxConfig members the request sent, by field: "host-header" for
	// HostHeaderConfig and so on.
	Configs []string
	// ConfigValues, HTTPHeaderName and QueryStrings are the contents of that configuration.
	ConfigValues   []string
	HTTPHeaderName string
	QueryStrings   []QueryString
	// HasRegexValues is set when the request sent RegexValues, which fargo does not support.
	HasRegexValues bool
}

// uniqueFields may appear at most once per rule.
var uniqueFields = map[string]bool{FieldHostHeader: true, FieldPathPattern: true, FieldHTTPRequestMethod: true, FieldSourceIP: true}

// NewConditions validates the conditions of a rule: at least one, each valid, host-header,
// path-pattern, http-request-method and source-ip at most once, and at most
// MaxConditionValues values in all.
func NewConditions(specs []ConditionSpec) ([]Condition, error) {
	if len(specs) == 0 {
		return nil, invalidf("A rule must have at least one condition")
	}
	out := make([]Condition, 0, len(specs))
	seen := map[string]bool{}
	total := 0
	for _, s := range specs {
		c, err := newCondition(s)
		if err != nil {
			return nil, err
		}
		if uniqueFields[c.Field] && seen[c.Field] {
			return nil, invalidf("A rule can have only one '%s' condition", c.Field)
		}
		seen[c.Field] = true
		total += len(c.Values) + len(c.QueryStrings)
		out = append(out, c)
	}
	if total > MaxConditionValues {
		return nil, invalidf("A rule can have at most %d condition values in all", MaxConditionValues)
	}
	return out, nil
}

func newCondition(s ConditionSpec) (Condition, error) {
	if s.HasRegexValues {
		return Condition{}, invalidf("Regular expression conditions (RegexValues) are not supported by fargo yet")
	}
	if _, ok := validators[s.Field]; !ok {
		if s.Field == "" {
			return Condition{}, invalidf("A condition must have a Field")
		}
		return Condition{}, invalidf("Condition field '%s' is not valid", clip(s.Field))
	}
	c := Condition{Field: s.Field}
	switch {
	case len(s.Configs) > 1 || len(s.Configs) == 1 && s.Configs[0] != s.Field:
		return Condition{}, invalidf("A '%s' condition can carry only its own configuration", s.Field)
	case len(s.Configs) == 1 && len(s.Values) > 0:
		return Condition{}, invalidf("A condition can have Values or a configuration, not both")
	case len(s.Configs) == 1:
		c.Values, c.HTTPHeaderName, c.QueryStrings = s.ConfigValues, s.HTTPHeaderName, s.QueryStrings
	case s.Field != FieldHostHeader && s.Field != FieldPathPattern:
		return Condition{}, invalidf("A '%s' condition needs its configuration; Values serve only host-header and path-pattern", s.Field)
	case len(s.Values) != 1:
		return Condition{}, invalidf("A '%s' condition given with Values takes exactly one value; use its configuration for more", s.Field)
	default:
		c.Values = s.Values
	}
	if len(c.Values) == 0 && len(c.QueryStrings) == 0 {
		return Condition{}, invalidf("A '%s' condition must have at least one value", s.Field)
	}
	return c, validators[s.Field](c)
}

var (
	hostPattern       = regexp.MustCompile(`^[A-Za-z0-9\-.*?]{1,128}$`)
	pathPattern       = regexp.MustCompile(`^[A-Za-z0-9_\-.$/~"'@:+&*?=%!,;()\[\]{}|^]{1,128}$`)
	headerNamePattern = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]{1,40}$")
	methodPattern     = regexp.MustCompile(`^[A-Z_\-]{1,40}$`)
	cidrChars         = regexp.MustCompile(`^[0-9a-fA-F.:/]{1,64}$`)
)

// validators check a condition's values by field.
var validators = map[string]func(Condition) error{
	FieldHostHeader:        func(c Condition) error { return eachMatches(c, hostPattern, "host header pattern") },
	FieldPathPattern:       func(c Condition) error { return eachMatches(c, pathPattern, "path pattern") },
	FieldHTTPRequestMethod: func(c Condition) error { return eachMatches(c, methodPattern, "HTTP request method") },
	FieldHTTPHeader:        validateHeaderCondition,
	FieldQueryString:       validateQueryCondition,
	FieldSourceIP:          validateSourceIPCondition,
}

func eachMatches(c Condition, re *regexp.Regexp, what string) error {
	if len(c.QueryStrings) > 0 || c.HTTPHeaderName != "" {
		return invalidf("A '%s' condition takes only values", c.Field)
	}
	for _, v := range c.Values {
		if !re.MatchString(v) {
			return invalidf("'%s' is not a valid %s", clip(v), what)
		}
	}
	return nil
}

func validateHeaderCondition(c Condition) error {
	if !headerNamePattern.MatchString(c.HTTPHeaderName) {
		return invalidf("HTTP header name '%s' must be 1-40 token characters", clip(c.HTTPHeaderName))
	}
	for _, v := range c.Values {
		if !printable(v, 128) {
			return invalidf("HTTP header value patterns must be 1-128 printable characters")
		}
	}
	return nil
}

func validateQueryCondition(c Condition) error {
	if len(c.Values) > 0 || c.HTTPHeaderName != "" {
		return invalidf("A 'query-string' condition takes only key/value pairs")
	}
	for _, q := range c.QueryStrings {
		if q.Key != "" && !printable(q.Key, 128) || !printable(q.Value, 128) {
			return invalidf("Query string keys and values must be at most 128 printable characters, and values not empty")
		}
	}
	return nil
}

func validateSourceIPCondition(c Condition) error {
	if err := eachMatches(c, cidrChars, "CIDR block"); err != nil {
		return err
	}
	for _, v := range c.Values {
		if _, err := netip.ParsePrefix(v); err != nil {
			return invalidf("'%s' is not a valid CIDR block", clip(v))
		}
	}
	return nil
}

// printable reports whether s has 1 to maxLen characters, none of them control characters.
func printable(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
