package ecsapi

import (
	"encoding/base64"

	"github.com/fargohq/fargo/internal/errdefs"
)

// paginate returns the page of items after the item whose key the token names, at most max
// items (def when max is nil), and the token of the next page. items must be sorted by key.
// Tokens are opaque to clients: base64 of the last key returned.
func paginate[T any](items []T, key func(T) string, token *string, max *int32, def int) ([]T, *string, error) {
	limit := def
	if max != nil {
		if *max < 1 || *max > 100 {
			return nil, nil, errdefs.InvalidArgument("maxResults must be between 1 and 100.")
		}
		limit = int(*max)
	}
	start := 0
	if token != nil && *token != "" {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return nil, nil, errdefs.InvalidArgument("The nextToken is not valid.")
		}
		for start < len(items) && key(items[start]) <= string(after) {
			start++
		}
	}
	end := min(start+limit, len(items))
	page := items[start:end]
	if end == len(items) {
		return page, nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(key(items[end-1])))
	return page, &next, nil
}
