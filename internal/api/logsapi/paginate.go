package logsapi

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

var errBadToken = errdefs.InvalidArgument("The specified nextToken is invalid.")

// limitOf returns the limit member of a request: def when absent, an InvalidParameterException
// outside 1..max as CloudWatch's validation words it.
func limitOf(limit *int32, def, max int) (int, error) {
	if limit == nil {
		return def, nil
	}
	n := int(*limit)
	if n < 1 {
		return 0, errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", n)
	}
	if n > max {
		return 0, errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to %d", n, max)
	}
	return n, nil
}

// pageOf returns the page of items at the offset token names (the first page without one), at
// most limit long, and the token of the next page, nil after the last. Offsets keep pages
// stable while the order is by a value that changes (the last event time).
func pageOf[T any](items []T, token *string, limit int) ([]T, *string, error) {
	start := 0
	if token != nil {
		raw, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil {
			return nil, nil, errBadToken
		}
		n, ok := strings.CutPrefix(string(raw), "o/")
		if !ok {
			return nil, nil, errBadToken
		}
		if start, err = strconv.Atoi(n); err != nil || start < 0 {
			return nil, nil, errBadToken
		}
		start = min(start, len(items))
	}
	end := min(start+limit, len(items))
	if end == len(items) {
		return items[start:end], nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte("o/" + strconv.Itoa(end)))
	return items[start:end], &next, nil
}
