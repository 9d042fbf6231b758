package elbapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxPageSize is the largest PageSize ELBv2 accepts, and the page size when none is given.
const maxPageSize = 400

// pages are the pagination rules of ELBv2's Describe operations: PageSize from 1 to 400, and
// Marker, which may be empty for the first page.
var pages = awsproto.Pages{
	Max: maxPageSize,
	SizeError: func(size int32, limit int) error {
		return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and %d", size, limit)
	},
	TokenError: func(marker string) error {
		return errdefs.InvalidArgument("The marker '%s' is not valid", clip(marker))
	},
	EmptyIsFirst: true,
}

// clip shortens client input echoed in a message.
func clip(s string) string {
	if len(s) > 128 {
		return s[:128] + "..."
	}
	return s
}
