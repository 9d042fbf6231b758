package awsproto

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The scanner below reads the members of a JSON request body that name its resources, for
// authorization, without decoding the body: it walks the bytes once per member asked for and
// allocates only the strings it returns. It reads members as the operation's own decoding
// (encoding/json into a struct) does, so that the names authorized are the names the operation
// acts on: member names match case-insensitively (bytes.EqualFold, after unescaping), and null
// reads as absent. Where encoding/json would take the last of several members of one name,
// the scanner notes the name (Input.Duplicate) and the front door refuses the request.

// forEachMember calls fn with the raw name (without quotes, maybe escaped) and the raw value of
// each member of the object obj, in order, until fn returns false. It stops silently at the
// first byte that does not fit: the operation's decoding reports malformed bodies.
func forEachMember(obj []byte, fn func(name, value []byte) bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return
	}
	i = skipSpace(obj, i+1)
	for i < len(obj) && obj[i] == '"' {
		nameEnd := skipString(obj, i)
		if nameEnd < 0 {
			return
		}
		j := skipSpace(obj, nameEnd)
		if j >= len(obj) || obj[j] != ':' {
			return
		}
		j = skipSpace(obj, j+1)
		valueEnd := skipValue(obj, j)
		if valueEnd < 0 || !fn(obj[i+1:nameEnd-1], obj[j:valueEnd]) {
			return
		}
		i = skipSpace(obj, valueEnd)
		if i >= len(obj) || obj[i] != ',' {
			return
		}
		i = skipSpace(obj, i+1)
	}
}

// forEachElement calls fn with each raw element of the array arr, in order.
func forEachElement(arr []byte, fn func(value []byte)) {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return
	}
	i = skipSpace(arr, i+1)
	for i < len(arr) && arr[i] != ']' {
		end := skipValue(arr, i)
		if end < 0 {
			return
		}
		fn(arr[i:end])
		i = skipSpace(arr, end)
		if i >= len(arr) || arr[i] != ',' {
			return
		}
		i = skipSpace(arr, i+1)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the offset after the string that starts at b[i] ('"'), or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset after the value that starts at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				if j = skipString(b, j); j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(b) && !endsLiteral(b[j]) {
		j++
	}
	return j
}

// nameIs reports whether the raw member name is name, as encoding/json matches a struct
// field's name: case-insensitively, after unescaping.
func nameIs(raw []byte, name string) bool {
	if bytes.IndexByte(raw, '\\') < 0 {
		return bytes.EqualFold(raw, []byte(name))
	}
	var s string
	quoted := make([]byte, 0, len(raw)+2)
	quoted = append(append(append(quoted, '"'), raw...), '"')
	return json.Unmarshal(quoted, &s) == nil && bytes.EqualFold([]byte(s), []byte(name))
}

// unquote returns the text of a raw JSON string value, false for any other value. It reads
// what encoding/json reads: escapes undone, and invalid UTF-8 as U+FFFD (a name authorized as
// the raw bytes would not be the name the operation decodes).
func unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

// endsLiteral reports whether c ends a number, true, false or null.
func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
