package clusterquery

import (
	"fmt"
	"strings"
)

// token is a word of an expression: a bracket, a comma, or a run of other characters (a
// subject, an operator, a keyword or a value), possibly quoted.
type token struct {
	text   string
	quoted bool
	pos    int
}

// lex splits s into tokens. Quotes (' or ") make one value of anything between them.
func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("()[],", c) >= 0:
			out = append(out, token{text: s[i : i+1], pos: i})
			i++
		case c == '\'' || c == '"':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated quote at position %d", i)
			}
			out = append(out, token{text: s[i+1 : i+1+end], quoted: true, pos: i})
			i += end + 2
		default:
			start := i
			for i < len(s) && !isDelimiter(s[i]) {
				i++
			}
			out = append(out, token{text: s[start:i], pos: start})
		}
	}
	return out, nil
}

func isDelimiter(c byte) bool {
	return strings.IndexByte(" \t\n\r()[],'\"", c) >= 0
}
