package logsapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

var errBadToken = errdefs.InvalidArgument("The specified nextToken is invalid.")

// The pagination rules of the Describe operations (limit up to 50) and of the event reads
// (limit up to maxEvents).
var (
	describePages = limits(50)
	eventPages    = limits(maxEvents)
)

// limits returns the pagination rules of operations whose limit goes from 1 to most: an
// InvalidParameterException outside, as CloudWatch's validation words it, and no empty
// nextToken.
func limits(most int) awsproto.Pages {
	return awsproto.Pages{
		Max: most,
		SizeError: func(size int32, limit int) error {
			if size < 1 {
				return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", size)
			}
			return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to %d", size, limit)
		},
		TokenError: func(string) error { return errBadToken },
	}
}
