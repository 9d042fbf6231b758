package awsproto

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Pages are the pagination rules of a service's list operations: the page sizes a request
// may ask for, and how the service answers a size or token that it does not accept.
type Pages struct {
	// Max is the largest page size a request may ask for.
	Max int
	// SizeError answers a page size outside 1..limit (Max).
	SizeError func(size int32, limit int) error
	// TokenError answers a token that the service did not issue.
	TokenError func(token string) error
	// EmptyIsFirst makes an empty token ask for the first page, as no token does; without it
	// an empty token is one the service did not issue.
	EmptyIsFirst bool
}

// Size returns the page size a request asks for, def when it asks for none.
func (p Pages) Size(size *int32, def int) (int, error) {
	if size == nil {
		return def, nil
	}
	if *size < 1 || int(*size) > p.Max {
		return 0, p.SizeError(*size, p.Max)
	}
	return int(*size), nil
}

// Cursor is what a token names: where in a list the page after it starts.
type Cursor[T any] struct {
	// start returns the index of the first item of the page pos names, false for a position
	// the cursor never writes.
	start func(items []T, pos string) (int, bool)
	// pos returns the position of the page that starts at items[end].
	pos func(items []T, end int) string
}

// ByKey names a page by the key of the item before it, so that pages stay in place while
// items are added and removed. The list must be sorted by key, and keys unique.
func ByKey[T any](key func(T) string) Cursor[T] {
	return Cursor[T]{
		start: func(items []T, after string) (int, bool) {
			if after == "" {
				return 0, false
			}
			i := 0
			for i < len(items) && key(items[i]) <= after {
				i++
			}
			return i, true
		},
		pos: func(items []T, end int) string { return key(items[end-1]) },
	}
}

// ByString is ByKey for a sorted list of unique strings, each its own key.
func ByString() Cursor[string] { return ByKey(func(s string) string { return s }) }

// ByOffset names a page by the offset of its first item, for a list in an order by values that
// change, where a key would skip or repeat the items that move.
func ByOffset[T any]() Cursor[T] {
	return Cursor[T]{
		start: func(items []T, pos string) (int, bool) {
			n, ok := strings.CutPrefix(pos, "o/")
			if !ok {
				return 0, false
			}
			i, err := strconv.Atoi(n)
			if err != nil || i < 0 {
				return 0, false
			}
			return min(i, len(items)), true
		},
		pos: func(_ []T, end int) string { return "o/" + strconv.Itoa(end) },
	}
}

// Paginate returns the page of items that token starts (the first page without one), at most
// size items long (def when size is nil), and the token of the next page, nil after the last.
// Tokens are opaque to clients: unpadded URL-safe base64 of the position c names the page by.
func Paginate[T any](p Pages, items []T, c Cursor[T], token *string, size *int32, def int) ([]T, *string, error) {
	limit, err := p.Size(size, def)
	if err != nil {
		return nil, nil, err
	}
	start := 0
	if token != nil && (*token != "" || !p.EmptyIsFirst) {
		pos, err := base64.RawURLEncoding.DecodeString(*token)
		ok := err == nil
		if ok {
			start, ok = c.start(items, string(pos))
		}
		if !ok {
			return nil, nil, p.TokenError(*token)
		}
	}
	end := min(start+limit, len(items))
	if end == len(items) {
		return items[start:end], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(c.pos(items, end)))
	return items[start:end], &next, nil
}
