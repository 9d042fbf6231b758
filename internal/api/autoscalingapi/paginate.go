package autoscalingapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// pages returns the pagination rules of a Describe operation whose MaxResults goes from 1 to
// most: a ValidationException outside, InvalidNextTokenException for a token fargo did not
// hand out. Tokens name the id of the last item returned (awsproto.ByKey).
func pages(most int) awsproto.Pages {
	return awsproto.Pages{
		Max: most,
		SizeError: func(_ int32, limit int) error {
			return errdefs.InvalidArgument("MaxResults must be between 1 and %d.", limit)
		},
		TokenError:   func(string) error { return errInvalidNextToken },
		EmptyIsFirst: true,
	}
}
