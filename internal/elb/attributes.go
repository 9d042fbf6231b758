package elb

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Attributes are the attributes of a load balancer or target group by key. Every key ALB
// reports is present, defaults included, with its value as the string the wire carries.
type Attributes map[string]string

// Attribute is one key/value pair, as ModifyXxxAttributes sends them.
type Attribute struct {
	Key   string
	Value string
}

// Sorted returns the attributes ordered by key.
func (a Attributes) Sorted() []Attribute {
	out := make([]Attribute, 0, len(a))
	for _, k := range slices.Sorted(maps.Keys(a)) {
		out = append(out, Attribute{Key: k, Value: a[k]})
	}
	return out
}

// Bool returns the attribute as a boolean; false when it is not "true".
func (a Attributes) Bool(key string) bool { return a[key] == "true" }

// Int returns the attribute as an integer; 0 when it is not a number.
func (a Attributes) Int(key string) int {
	n, _ := strconv.Atoi(a[key])
	return n
}

// Seconds returns the attribute, a number of seconds, as a duration.
func (a Attributes) Seconds(key string) time.Duration {
	return time.Duration(a.Int(key)) * time.Second
}

// attributeSpec is what ALB accepts for one attribute key.
type attributeSpec struct {
	def string
	// check says what is wrong with v, in words that complete "must ..."; "" when v is fine.
	check func(v string) string
}

// attributeSet is the known keys of one kind of resource.
type attributeSet struct {
	// what names the resource in messages: "Load balancer" or "Target group".
	what  string
	specs map[string]attributeSpec
}

// defaults returns every key with its default value.
func (s attributeSet) defaults() Attributes {
	out := make(Attributes, len(s.specs))
	for k, spec := range s.specs {
		out[k] = spec.def
	}
	return out
}

// apply returns a copy of attrs with changes applied. An unknown key is a validation error; a
// value out of range is an invalid configuration, as ALB answers.
func (s attributeSet) apply(attrs Attributes, changes []Attribute) (Attributes, error) {
	out := maps.Clone(attrs)
	if out == nil {
		out = s.defaults()
	}
	for _, c := range changes {
		spec, ok := s.specs[c.Key]
		if !ok {
			return nil, invalidf("%s attribute key '%s' is not recognized", s.what, clip(c.Key))
		}
		if spec.check != nil {
			if problem := spec.check(c.Value); problem != "" {
				return nil, errdefs.Detail(ErrInvalidConfiguration, "%s attribute '%s' must %s", s.what, c.Key, problem)
			}
		}
		out[c.Key] = c.Value
	}
	return out, nil
}

func checkBool(v string) string {
	if v != "true" && v != "false" {
		return "be true or false"
	}
	return ""
}

func checkRange(lo, hi int) func(string) string {
	return func(v string) string {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return "be an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
		}
		return ""
	}
}

func checkOneOf(values ...string) func(string) string {
	return func(v string) string {
		if !slices.Contains(values, v) {
			return "be one of " + strings.Join(values, ", ")
		}
		return ""
	}
}

func checkMaxLen(n int) func(string) string {
	return func(v string) string {
		if len(v) > n {
			return "be at most " + strconv.Itoa(n) + " characters long"
		}
		return ""
	}
}
