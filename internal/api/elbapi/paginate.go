package elbapi

import (
	"encoding/base64"

	"github.com/fargohq/fargo/internal/errdefs"
)

// maxPageSize is the largest PageSize ELBv2 accepts, and the page size when none is given.
const maxPageSize = 400

// paginate returns the page of items that starts after the item whose key the marker names,
// at most pageSize items, and the marker of the next page. items must be sorted by key and
// keys unique. Markers are opaque to clients: base64 of the last key returned.
func paginate[T any](items []T, key func(T) string, marker *string, pageSize *int32) ([]T, *string, error) {
	limit := maxPageSize
	if pageSize != nil {
		if *pageSize < 1 || *pageSize > maxPageSize {
			return nil, nil, errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and %d", *pageSize, maxPageSize)
		}
		limit = int(*pageSize)
	}
	start := 0
	if marker != nil && *marker != "" {
		after, err := base64.RawURLEncoding.DecodeString(*marker)
		if err != nil || len(after) == 0 {
			return nil, nil, errdefs.InvalidArgument("The marker '%s' is not valid", clip(*marker))
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

// clip shortens client input echoed in a message.
func clip(s string) string {
	if len(s) > 128 {
		return s[:128] + "..."
	}
	return s
}
