package ecrapi

import "encoding/base64"

// page returns the items after the key the token names, at most size of them, and the token
// of the next page. keys are the items' keys, sorted. Tokens are opaque to clients: base64 of
// the last key returned.
func page[T any](items []T, keys []string, token *string, size int) ([]T, *string, error) {
	start := 0
	if token != nil && *token != "" {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return nil, nil, errInvalidNextToken
		}
		for start < len(keys) && keys[start] <= string(after) {
			start++
		}
	}
	end := min(start+size, len(items))
	if end == len(items) {
		return items[start:end], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(keys[end-1]))
	return items[start:end], &next, nil
}
