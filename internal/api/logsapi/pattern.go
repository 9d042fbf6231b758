package logsapi

import (
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

var errPatternUnsupported = errdefs.InvalidArgument(`Invalid filter pattern: fargo supports only the empty pattern (every event) and ` +
	`terms or quoted phrases ("a phrase") that must all appear in the message, case-sensitive; ` +
	`JSON ({ ... }), space-delimited ([ ... ]), regular expression (%%...%%), ?OR and -exclusion patterns are not supported.`)

// pattern is a filter pattern fargo supports: terms that must all appear in a message.
type pattern []string

// parsePattern reads a filter pattern of unquoted terms and quoted phrases, as CloudWatch reads
// them for unstructured log events. Other pattern syntaxes are rejected.
func parsePattern(s string) (pattern, error) {
	var terms pattern
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return terms, nil
		}
		if s[0] == '"' {
			phrase, rest, ok := strings.Cut(s[1:], `"`)
			if !ok {
				return nil, errPatternUnsupported
			}
			terms, s = append(terms, phrase), rest
			continue
		}
		term, rest, _ := strings.Cut(s, " ")
		if strings.ContainsAny(term[:1], "?-{[%") || strings.ContainsAny(term, `"{}[]`) {
			return nil, errPatternUnsupported
		}
		terms, s = append(terms, term), rest
	}
}

// matches reports whether message contains every term.
func (p pattern) matches(message string) bool {
	for _, t := range p {
		if !strings.Contains(message, t) {
			return false
		}
	}
	return true
}
