package reconcile

import "github.com/fargohq/fargo/internal/errdefs"

// racesBeforeError is how many consecutive failures of a key, the last of them a lost write
// race, are logged at debug level. A key that loses that often in a row is no longer in a
// routine race (it livelocks, or a writer commits revisions it never reread), so from then on
// its conflicts are logged as errors.
const racesBeforeError = 10

// lostRace reports whether err means no more than that a concurrent write won between the
// reconcile's read and its commit: it is of kind errdefs.ErrConflict, and when it joins several
// errors, every one of them is (errors.Is would be satisfied by one). The retry reads afresh
// and usually succeeds.
func lostRace(err error) bool {
	// Each call looks at one node of err's tree, so it compares and asserts err itself.
	if err == errdefs.ErrConflict { //nolint:errorlint // one node of the walk; errors.Is would accept a join with one conflict in it
		return true
	}
	if k, ok := err.(interface{ Is(error) bool }); ok && k.Is(errdefs.ErrConflict) {
		return true
	}
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return lostRace(u.Unwrap())
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		errs := u.Unwrap()
		for _, e := range errs {
			if !lostRace(e) {
				return false
			}
		}
		return len(errs) > 0
	}
	return false
}
