package lb

import (
	"net/http"
	"net/netip"
	"net/textproto"
	"net/url"
	"strings"
)

// Condition kinds of a compiled condition.
const (
	condHost uint8 = iota
	condPath
	condHeader
	condMethod
	condQuery
	condSourceIP
)

// cond is a compiled Condition. Patterns that ALB compares case-insensitively are stored in
// lower case, so matching folds only the request side and never allocates.
type cond struct {
	kind     uint8
	patterns []pattern
	header   string // canonical header name of condHeader
	query    []queryPattern
	prefixes []netip.Prefix
}

// pattern is one value with ALB's * and ? wildcards; wild is false when it has none, so
// matching is a plain comparison.
type pattern struct {
	s    string
	wild bool
}

type queryPattern struct {
	key, value pattern // key.s empty: any key
}

func newPattern(s string, fold bool) pattern {
	if fold {
		s = strings.ToLower(s)
	}
	return pattern{s: s, wild: strings.ContainsAny(s, "*?")}
}

func (p pattern) match(s string, fold bool) bool {
	if !p.wild {
		if fold {
			return equalFoldLower(p.s, s)
		}
		return p.s == s
	}
	return wildMatch(p.s, s, fold)
}

func compileCond(c Condition) cond {
	out := cond{}
	switch c.Field {
	case FieldHostHeader:
		out.kind = condHost
		out.patterns = patterns(c.Values, true)
	case FieldPathPattern:
		out.kind = condPath
		out.patterns = patterns(c.Values, false)
	case FieldHTTPHeader:
		out.kind = condHeader
		out.header = textproto.CanonicalMIMEHeaderKey(c.HeaderName)
		out.patterns = patterns(c.Values, true)
	case FieldRequestMethod:
		out.kind = condMethod
		out.patterns = patterns(c.Values, false)
		for i := range out.patterns {
			out.patterns[i].wild = false // ALB: methods have no wildcards
		}
	case FieldQueryString:
		out.kind = condQuery
		for _, q := range c.Query {
			out.query = append(out.query, queryPattern{key: newPattern(q.Key, true), value: newPattern(q.Value, true)})
		}
	case FieldSourceIP:
		out.kind = condSourceIP
		for _, v := range c.Values {
			p, _ := parsePrefix(v) // validated
			out.prefixes = append(out.prefixes, p)
		}
	}
	return out
}

func patterns(values []string, fold bool) []pattern {
	out := make([]pattern, len(values))
	for i, v := range values {
		out[i] = newPattern(v, fold)
	}
	return out
}

// parsePrefix parses a CIDR; a bare address is a single-address prefix.
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()).Masked(), nil
}

// match reports whether r satisfies c.
func (c *cond) match(r *http.Request) bool {
	switch c.kind {
	case condHost:
		return anyMatch(c.patterns, stripPort(r.Host), true)
	case condPath:
		return anyMatch(c.patterns, r.URL.Path, false)
	case condHeader:
		for _, v := range r.Header[c.header] {
			if anyMatch(c.patterns, v, true) {
				return true
			}
		}
		return false
	case condMethod:
		return anyMatch(c.patterns, r.Method, false)
	case condQuery:
		return c.matchQuery(r.URL.RawQuery)
	case condSourceIP:
		a, ok := remoteIP(r.RemoteAddr)
		if !ok {
			return false
		}
		for _, p := range c.prefixes {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return false
}

func anyMatch(ps []pattern, s string, fold bool) bool {
	for _, p := range ps {
		if p.match(s, fold) {
			return true
		}
	}
	return false
}

// matchQuery reports whether any key/value pair of the raw query matches any pattern.
// It scans the query in place and unescapes only parts that contain escapes.
func (c *cond) matchQuery(raw string) bool {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, v = unescapeQuery(k), unescapeQuery(v)
		for _, q := range c.query {
			if (q.key.s == "" || q.key.match(k, true)) && q.value.match(v, true) {
				return true
			}
		}
	}
	return false
}

func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	u, err := url.QueryUnescape(s)
	if err != nil {
		return s
	}
	return u
}

// stripPort removes a :port suffix from a Host header value, keeping IPv6 brackets intact.
func stripPort(host string) string {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.IndexByte(host[i:], ']') >= 0 {
		return host
	}
	return host[:i]
}

// remoteIP parses the address of a request's RemoteAddr ("ip:port").
func remoteIP(remote string) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Addr{}, false
	}
	return ap.Addr().Unmap(), true
}

// clientIP returns the address part of a RemoteAddr without allocating.
func clientIP(remote string) string {
	host := remote
	if i := strings.LastIndexByte(remote, ':'); i >= 0 {
		host = remote[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldLower compares an already lower-case pattern with s, folding s's ASCII letters.
func equalFoldLower(lowerPat, s string) bool {
	if len(lowerPat) != len(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerPat[i] != lower(s[i]) {
			return false
		}
	}
	return true
}

// wildMatch matches s against pat, where * matches any run of bytes (also none) and ? one
// byte. It backtracks only to the last star, so it runs in O(len(pat)·len(s)) at worst and
// does not allocate. With fold, pat is lower case and s is folded.
func wildMatch(pat, s string, fold bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		if p < len(pat) {
			switch c := pat[p]; {
			case c == '*':
				star, mark = p, i
				p++
				continue
			case c == '?' || c == s[i] || (fold && c == lower(s[i])):
				p++
				i++
				continue
			}
		}
		if star < 0 {
			return false
		}
		p = star + 1
		mark++
		i = mark
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}
