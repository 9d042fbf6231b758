package ecsapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// pages are the pagination rules of ECS's list operations: maxResults from 1 to 100 (the
// default depends on the operation), and nextToken, which may be empty for the first page.
var pages = awsproto.Pages{
	Max: 100,
	SizeError: func(_ int32, limit int) error {
		return errdefs.InvalidArgument("maxResults must be between 1 and %d.", limit)
	},
	TokenError:   func(string) error { return errdefs.InvalidArgument("The nextToken is not valid.") },
	EmptyIsFirst: true,
}
