package iampolicy

import (
	"strings"
	"unicode/utf8"
)

// elemKind is what one element of a compiled pattern matches.
type elemKind uint8

const (
	elemText     elemKind = iota // literal text
	elemOneChar                  // '?': any one character
	elemVariable                 // ${key} or ${key, 'default'}: the key's value, as literal text
)

type elem struct {
	kind elemKind
	text string // elemText: the text; elemVariable: the default value
	key  key    // elemVariable
	def  bool   // elemVariable: whether a default value was given
}

// pattern is a compiled string pattern: a resource or action with the wildcards '*' and '?',
// or a condition value. It is split at its '*' wildcards into parts, each a sequence of
// elements, so that matching is the classic linear glob: the first part anchored at the start,
// the middle parts at their leftmost match, the last part anchored at the end.
type pattern struct {
	parts [][]elem
	fold  bool // compare ASCII case-insensitively (actions, StringEqualsIgnoreCase)
	any   bool // the pattern is "*" alone
}

// patternOptions say how compilePattern reads the text.
type patternOptions struct {
	glob      bool // '*' and '?' are wildcards
	variables bool // ${...} are policy variables
	fold      bool
}

func compilePattern(s string, o patternOptions) pattern {
	p := pattern{fold: o.fold, any: o.glob && s == "*"}
	var part []elem
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			part = append(part, elem{kind: elemText, text: text.String()})
			text.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case o.variables && c == '$' && i+1 < len(s) && s[i+1] == '{' && strings.IndexByte(s[i+2:], '}') >= 0:
			end := i + 2 + strings.IndexByte(s[i+2:], '}')
			if e, special := variableElem(s[i+2 : end]); special {
				text.WriteString(e.text)
			} else {
				flush()
				part = append(part, e)
			}
			i = end
		case o.glob && c == '*':
			flush()
			p.parts = append(p.parts, part)
			part = nil
		case o.glob && c == '?':
			flush()
			part = append(part, elem{kind: elemOneChar})
		default:
			text.WriteByte(c)
		}
	}
	flush()
	p.parts = append(p.parts, part)
	return p
}

// variableElem reads the inside of ${...}: one of the special characters ${*}, ${?}, ${$}
// (literal text; special is true), or a key with an optional default, ${aws:username, 'me'}.
func variableElem(inside string) (e elem, special bool) {
	switch inside {
	case "*", "?", "$":
		return elem{kind: elemText, text: inside}, true
	}
	name, def, hasDef := strings.Cut(inside, ",")
	e = elem{kind: elemVariable, key: parseKey(strings.TrimSpace(name))}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			def = def[1 : len(def)-1]
		}
		e.text, e.def = def, true
	}
	return e, false
}

// match reports whether s matches the pattern, with the variables of r.
func (p *pattern) match(s string, r *Request) bool {
	if p.any {
		return true
	}
	n := len(p.parts)
	pos, ok := p.matchAt(p.parts[0], s, 0, r)
	if !ok {
		return false
	}
	if n == 1 {
		return pos == len(s)
	}
	for _, part := range p.parts[1 : n-1] {
		if pos, ok = p.find(part, s, pos, r); !ok {
			return false
		}
	}
	return p.matchSuffix(p.parts[n-1], s, pos, r)
}

// find returns the end of the leftmost match of part in s at or after from.
func (p *pattern) find(part []elem, s string, from int, r *Request) (int, bool) {
	for start := from; start <= len(s); start = nextRune(s, start) {
		if end, ok := p.matchAt(part, s, start, r); ok {
			return end, true
		}
	}
	return 0, false
}

// matchSuffix reports whether part matches the end of s, starting at or after from.
func (p *pattern) matchSuffix(part []elem, s string, from int, r *Request) bool {
	if len(part) == 0 {
		return true
	}
	if len(part) == 1 && part[0].kind == elemText {
		t := part[0].text
		return len(s)-len(t) >= from && p.equal(s[len(s)-len(t):], t)
	}
	for start := from; start <= len(s); start = nextRune(s, start) {
		if end, ok := p.matchAt(part, s, start, r); ok && end == len(s) {
			return true
		}
	}
	return false
}

// matchAt matches part at s[i:] and returns where the match ends.
func (p *pattern) matchAt(part []elem, s string, i int, r *Request) (int, bool) {
	for _, e := range part {
		switch e.kind {
		case elemOneChar:
			if i >= len(s) {
				return 0, false
			}
			i = nextRune(s, i)
			continue
		case elemVariable:
			v, ok := e.resolve(r)
			if !ok || !p.hasPrefixAt(s, i, v) {
				return 0, false
			}
			i += len(v)
		default:
			if !p.hasPrefixAt(s, i, e.text) {
				return 0, false
			}
			i += len(e.text)
		}
	}
	return i, true
}

func (p *pattern) hasPrefixAt(s string, i int, t string) bool {
	return len(s)-i >= len(t) && p.equal(s[i:i+len(t)], t)
}

func (p *pattern) equal(a, b string) bool {
	if p.fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// resolve returns the value of a variable: the key's single value in r, else the default.
// A variable with neither matches nothing, as in AWS.
func (e *elem) resolve(r *Request) (string, bool) {
	if v, ok := e.key.lookup(r); ok && v.len() == 1 {
		return v.str(0), true
	}
	return e.text, e.def
}

func nextRune(s string, i int) int {
	if i >= len(s) {
		return i + 1
	}
	if s[i] < utf8.RuneSelf {
		return i + 1
	}
	_, w := utf8.DecodeRuneInString(s[i:])
	return i + w
}
