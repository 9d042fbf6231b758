package sigv4

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	terminator    = "aws4_request"
	amzDateLayout = "20060102T150405Z"
	// maxPresignExpires is the longest X-Amz-Expires AWS accepts: one week.
	maxPresignExpires = 7 * 24 * 60 * 60
)

// scope is the parsed Credential: <key id>/<yyyymmdd>/<region>/<service>/aws4_request.
type scope struct {
	accessKeyID, date, region, service string
}

func (s scope) String() string { return s.date + "/" + s.region + "/" + s.service + "/" + terminator }

// auth is what a request claims about its signature, read from the Authorization header or
// from presigned query parameters.
type auth struct {
	scope scope
	// signedHeaders is the SignedHeaders value exactly as sent: it is a line of the canonical
	// request, and headerNames is its split.
	signedHeaders string
	headerNames   []string
	signature     string
	amzDate       string
	time          time.Time
	// expires is X-Amz-Expires of a presigned request, zero when absent.
	expires      time.Duration
	sessionToken string
	presigned    bool
}

// parseAuth reads the claimed signature from r, whose query string is already parsed.
func parseAuth(r *http.Request, query url.Values) (auth, error) {
	header := r.Header.Values("Authorization")
	presigned := query.Has("X-Amz-Algorithm")
	switch {
	case len(header) > 0 && presigned:
		return auth{}, fail(Malformed, msgBothAuth)
	case presigned:
		return parseQueryAuth(query)
	case len(header) > 0:
		return parseHeaderAuth(r.Header)
	default:
		return auth{}, fail(MissingAuth, msgMissingAuth)
	}
}

func parseHeaderAuth(h http.Header) (auth, error) {
	values := h.Values("Authorization")
	if len(values) != 1 {
		return auth{}, fail(Malformed, "Authorization header must be sent exactly once.")
	}
	a, err := parseAuthorization(values[0])
	if err != nil {
		return auth{}, err
	}
	dates := h.Values("X-Amz-Date")
	if len(dates) != 1 {
		// AWS also accepts the Date header here; no client fargo serves uses it, so the message
		// names only the header we read.
		return auth{}, fail(Malformed, "Authorization header requires existence of a 'X-Amz-Date' header.")
	}
	if tokens := h.Values("X-Amz-Security-Token"); len(tokens) > 0 {
		// The token becomes part of Identity, so it has to be covered by the signature.
		if len(tokens) > 1 || !slices.Contains(a.headerNames, "x-amz-security-token") {
			return auth{}, fail(Malformed, "'X-Amz-Security-Token' must be sent once and be a 'SignedHeader' in the AWS Authorization.")
		}
		a.sessionToken = tokens[0]
	}
	// Not "return a, a.setDate(...)": Go leaves unspecified whether a is read before or after
	// the call that sets its date.
	err = a.setDate(dates[0])
	return a, err
}

// parseAuthorization parses
// "AWS4-HMAC-SHA256 Credential=<scope>, SignedHeaders=<a;b>, Signature=<hex>".
func parseAuthorization(s string) (auth, error) {
	alg, rest, _ := strings.Cut(strings.TrimSpace(s), " ")
	if alg != algorithm {
		return auth{}, fail(Malformed, fmt.Sprintf("Unsupported AWS 'algorithm': '%s'.", clip(alg)))
	}
	var cred, signed, sig string
	for part := range strings.SplitSeq(rest, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return auth{}, fail(Malformed, "Invalid key=value pair (missing equal-sign) in Authorization header.")
		}
		var dst *string
		switch key {
		case "Credential":
			dst = &cred
		case "SignedHeaders":
			dst = &signed
		case "Signature":
			dst = &sig
		default:
			continue // AWS ignores parameters it does not know
		}
		if *dst != "" {
			return auth{}, fail(Malformed, fmt.Sprintf("Authorization header has a duplicate '%s' parameter.", key))
		}
		*dst = value
	}
	if msg := missingParams("Authorization header requires '%s' parameter. ", cred, signed, sig); msg != "" {
		return auth{}, fail(Malformed, msg)
	}
	return newAuth(cred, signed, sig)
}

func parseQueryAuth(q url.Values) (auth, error) {
	if alg := q.Get("X-Amz-Algorithm"); alg != algorithm {
		return auth{}, fail(Malformed, fmt.Sprintf("Unsupported AWS 'algorithm': '%s'.", clip(alg)))
	}
	cred, signed, sig, date := q.Get("X-Amz-Credential"), q.Get("X-Amz-SignedHeaders"), q.Get("X-Amz-Signature"), q.Get("X-Amz-Date")
	if cred == "" || signed == "" || sig == "" || date == "" {
		return auth{}, fail(Malformed, "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "+
			"'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.")
	}
	a, err := newAuth(cred, signed, sig)
	if err != nil {
		return auth{}, err
	}
	a.presigned = true
	a.sessionToken = q.Get("X-Amz-Security-Token") // signed as part of the canonical query
	if q.Has("X-Amz-Expires") {
		n, err := strconv.Atoi(q.Get("X-Amz-Expires"))
		if err != nil || n <= 0 || n > maxPresignExpires {
			return auth{}, fail(Malformed, "X-Amz-Expires must be a number of seconds between 1 and 604800.")
		}
		a.expires = time.Duration(n) * time.Second
	}
	err = a.setDate(date) // before a is copied, as above
	return a, err
}

// missingParams returns one sentence per empty value, in AWS's order: Credential, Signature,
// SignedHeaders.
func missingParams(format, cred, signed, sig string) string {
	var b strings.Builder
	for _, p := range []struct{ name, value string }{{"Credential", cred}, {"Signature", sig}, {"SignedHeaders", signed}} {
		if p.value == "" {
			fmt.Fprintf(&b, format, p.name)
		}
	}
	return strings.TrimSpace(b.String())
}

func newAuth(cred, signed, sig string) (auth, error) {
	sc, err := parseCredential(cred)
	if err != nil {
		return auth{}, err
	}
	names, err := parseSignedHeaders(signed)
	if err != nil {
		return auth{}, err
	}
	return auth{scope: sc, signedHeaders: signed, headerNames: names, signature: sig}, nil
}

func parseCredential(s string) (scope, error) {
	parts := strings.SplitN(s, "/", 6)
	switch {
	case len(parts) != 5:
		return scope{}, fail(Malformed, fmt.Sprintf("Credential must have exactly 5 slash-delimited elements, "+
			"e.g. keyid/date/region/service/term, got '%s'", clip(s)))
	case parts[0] == "":
		return scope{}, fail(Malformed, "Credential must name an access key id.")
	case parts[2] == "":
		return scope{}, fail(Malformed, "Credential should be scoped to a valid region.")
	case parts[3] == "":
		return scope{}, fail(Malformed, "Credential should be scoped to correct service.")
	case parts[4] != terminator:
		return scope{}, fail(Malformed, fmt.Sprintf("Credential should be scoped with a valid terminator: "+
			"'aws4_request', not '%s'.", clip(parts[4])))
	}
	// The date part is checked against X-Amz-Date by setDate, which covers its format too.
	return scope{accessKeyID: parts[0], date: parts[1], region: parts[2], service: parts[3]}, nil
}

func parseSignedHeaders(s string) ([]string, error) {
	names := strings.Split(s, ";")
	for _, n := range names {
		if n == "" || n != strings.ToLower(n) {
			return nil, fail(Malformed, fmt.Sprintf("SignedHeaders must be lowercase header names separated by ';', got '%s'.", clip(s)))
		}
	}
	if !slices.Contains(names, "host") {
		return nil, fail(Malformed, "'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return names, nil
}

// setDate parses X-Amz-Date and checks it against the date of the credential scope.
func (a *auth) setDate(s string) error {
	t, err := time.Parse(amzDateLayout, s)
	if err != nil || t.Format(amzDateLayout) != s {
		return fail(Malformed, fmt.Sprintf("Date must be in ISO-8601 'basic format'. Got '%s'. "+
			"See http://en.wikipedia.org/wiki/ISO_8601", clip(s)))
	}
	if a.scope.date != s[:8] {
		return fail(ScopeMismatch, fmt.Sprintf("Date in Credential scope does not match YYYYMMDD from ISO-8601 "+
			"version of date from HTTP: '%s' != '%s', from '%s'.", clip(a.scope.date), s[:8], s))
	}
	a.amzDate, a.time = s, t
	return nil
}

// clip shortens client input echoed in a message, so a hostile header cannot make the error
// response large.
func clip(s string) string {
	const maxLen = 64
	if len(s) <= maxLen {
		return strings.ToValidUTF8(s, string(utf8.RuneError))
	}
	return strings.ToValidUTF8(s[:maxLen], string(utf8.RuneError)) + "..."
}
