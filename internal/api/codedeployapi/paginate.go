package codedeployapi

import "encoding/base64"

// page returns the keys after the one the token names, at most a.pageSize of them, and the
// token of the next page. keys must be sorted. Tokens are opaque to clients: base64 of the
// last key returned.
func (a *API) page(keys []string, token *string) ([]string, *string, error) {
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
	end := min(start+a.pageSize, len(keys))
	page := keys[start:end]
	if end == len(keys) {
		return page, nil, nil
	}
	next := base64.RawURLEncoding.EncodeToString([]byte(keys[end-1]))
	return page, &next, nil
}
