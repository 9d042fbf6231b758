package autoscalingapi

import (
	"encoding/base64"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxResultsOf returns a request's MaxResults: def when absent, a ValidationException outside
// 1..max.
func maxResultsOf(v *int32, max int) (int, error) {
	if v == nil {
		return max, nil
	}
	if *v < 1 || int(*v) > max {
		return 0, errdefs.InvalidArgument("MaxResults must be between 1 and %d.", max)
	}
	return int(*v), nil
}

// page returns the items after the one the token names (the first ones without a token), at
// most limit, and the token of the next page. items must be sorted by id. Tokens are opaque to
// clients: base64 of the id of the last item returned.
func page[T any](items []T, id func(T) string, token *string, limit int) ([]T, *string, error) {
	start := 0
	if token != nil {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return nil, nil, errInvalidNextToken
		}
		for start < len(items) && id(items[start]) <= string(after) {
			start++
		}
	}
	end := min(start+limit, len(items))
	if end == len(items) {
		return items[start:end], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(id(items[end-1])))
	return items[start:end], &next, nil
}
