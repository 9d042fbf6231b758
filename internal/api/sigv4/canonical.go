package sigv4

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// canonicalRequest builds the six lines the client hashed: method, URI, query, headers (each
// ending in a newline, hence the blank line), signed header names and payload hash.
func canonicalRequest(r *http.Request, a auth, query url.Values, payloadHash string) string {
	var b strings.Builder
	b.WriteString(cmp.Or(r.Method, http.MethodGet))
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query, a.presigned))
	b.WriteByte('\n')
	for _, name := range a.headerNames {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(a.signedHeaders)
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// canonicalURI encodes the path as sent once more, as every service but S3 expects: the
// clients sign "/a%2520b" for a request to "/a%20b".
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '/' || unreserved(c) {
			b.WriteByte(c)
		} else {
			const upperHex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&0xF])
		}
	}
	return b.String()
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// canonicalQuery encodes every name and value per RFC 3986 and sorts the pairs after encoding,
// as the specification says ("a-b" and "a/b" sort differently before and after). A presigned
// request leaves its own signature out.
func canonicalQuery(q url.Values, presigned bool) string {
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(q))
	for k, vs := range q {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		ek := encodeQueryComponent(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, encodeQueryComponent(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Or(strings.Compare(a.k, b.k), strings.Compare(a.v, b.v)) })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// encodeQueryComponent differs from url.QueryEscape only in the space, which SigV4 writes as
// %20; a literal '+' is already %2B, so replacing '+' touches only spaces.
func encodeQueryComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// headerValue returns the canonical value of one signed header: every value trimmed with inner
// runs of spaces collapsed, joined by commas.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		// Go moves Host out of r.Header on the server side.
		return cleanValue(cmp.Or(r.Host, r.URL.Host))
	}
	values := r.Header.Values(name)
	if len(values) == 0 && name == "content-length" && r.ContentLength > 0 {
		// A server request keeps Content-Length in r.Header; a request built in-process has
		// only the field.
		return strconv.FormatInt(r.ContentLength, 10)
	}
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(cleanValue(v))
	}
	return b.String()
}

func cleanValue(v string) string {
	v = strings.TrimSpace(v)
	if !strings.Contains(v, "  ") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == ' ' && v[i-1] == ' ' {
			continue // i > 0: v does not start with a space after TrimSpace
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// payloadHash returns the hash to put in the canonical request. It is computed from body; an
// x-amz-content-sha256 header, when sent, must agree with it (see the package documentation).
func payloadHash(h http.Header, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	declared := h.Values("X-Amz-Content-Sha256")
	switch {
	case len(declared) == 0:
		return computed, nil
	case len(declared) == 1 && strings.EqualFold(declared[0], computed):
		return declared[0], nil // as signed, even in upper case
	default:
		return "", fail(SignatureMismatch, msgPayloadMismatch)
	}
}

// signature computes the hex signature of the canonical request with the key derived from
// secret and the credential scope.
func signature(secret string, a auth, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	toSign := algorithm + "\n" + a.amzDate + "\n" + a.scope.String() + "\n" + hex.EncodeToString(sum[:])
	key := hmacSHA256([]byte("AWS4"+secret), a.scope.date)
	for _, part := range []string{a.scope.region, a.scope.service, terminator} {
		key = hmacSHA256(key, part)
	}
	return hex.EncodeToString(hmacSHA256(key, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
