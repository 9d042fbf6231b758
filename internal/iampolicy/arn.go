package iampolicy

import "strings"

// arnPattern is a compiled value of an ARN condition operator. AWS matches each of the six
// colon-separated parts of an ARN on its own, so a wildcard never spans a colon of the first
// five; a value that is not six parts long ("*") is matched as one pattern.
type arnPattern struct {
	parts [6]pattern
	whole *pattern // set when the value has fewer than six parts
}

func compileARNPattern(v string, variables bool) arnPattern {
	o := patternOptions{glob: true, variables: variables}
	split := splitARN(v, variables)
	if len(split) < 6 {
		whole := compilePattern(v, o)
		return arnPattern{whole: &whole}
	}
	var a arnPattern
	for i, part := range split {
		a.parts[i] = compilePattern(part, o)
	}
	return a
}

// splitARN splits an ARN pattern at its first five colons, not counting those inside the
// policy variables it may hold (${aws:username}).
func splitARN(v string, variables bool) []string {
	var parts []string
	start, inVariable := 0, false
	for i := 0; i < len(v) && len(parts) < 5; i++ {
		switch {
		case variables && !inVariable && strings.HasPrefix(v[i:], "${"):
			inVariable = true
		case inVariable && v[i] == '}':
			inVariable = false
		case !inVariable && v[i] == ':':
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	return append(parts, v[start:])
}

func (a *arnPattern) match(s string, r *Request) bool {
	if a.whole != nil {
		return a.whole.match(s, r)
	}
	for i := range 5 {
		colon := strings.IndexByte(s, ':')
		if colon < 0 || !a.parts[i].match(s[:colon], r) {
			return false
		}
		s = s[colon+1:]
	}
	return a.parts[5].match(s, r)
}
