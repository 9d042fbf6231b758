package authz

import (
	"maps"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iampolicy"
)

// Question is one action on one resource asked of a principal's policies without a call, as
// IAM's policy simulator and fargo iam explain ask it.
type Question struct {
	Principal Principal
	Action    string
	Resource  string
	// Call holds the request context a call would carry (time, region, source address);
	// its Principal is ignored.
	Call Call
	// Context are condition key values the asker gives (the simulator's ContextEntries); they
	// replace what the principal and Call set.
	Context []ContextValue
}

// ContextValue is one condition key and its values.
type ContextValue struct {
	Key    string
	Values []string
}

// Explain decides q as Check decides each evaluation of a call, from the same request, and
// says which statements decided and which condition keys were missing. A context value of
// the wrong type (an address that does not parse) is refused.
func Explain(q *Question, policies []iampolicy.Policy) (iampolicy.Explanation, error) {
	call := q.Call
	call.Principal = q.Principal
	r := call.request()
	r.Action, r.Resource = q.Action, q.Resource
	// SetKey writes into these maps; they belong to the asker.
	r.Keys, r.PrincipalTags, r.RequestTags = maps.Clone(r.Keys), maps.Clone(r.PrincipalTags), maps.Clone(r.RequestTags)
	for _, c := range q.Context {
		if err := r.SetKey(c.Key, c.Values); err != nil {
			return iampolicy.Explanation{}, errdefs.InvalidArgument("%v", err)
		}
	}
	return iampolicy.Explain(&r, policies...), nil
}
