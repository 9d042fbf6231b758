package console

import (
	"context"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Principal is who signed in: the access key and the identity it belongs to.
type Principal struct {
	AccessKeyID string
	// ARN is the principal's identity, for example arn:aws:iam::000000000000:root.
	ARN string
}

// Authorizer decides whether principal may perform action (an IAM action name such as
// "ecs:UpdateService") on resource (an ARN, or "*" for a listing). It returns an error of kind
// ErrAccessDenied when not; IAM implements it with the API's policy evaluation.
type Authorizer interface {
	Authorize(ctx context.Context, p Principal, action, resource string) error
}

// ErrAccessDenied is the answer of an Authorizer that refuses; AWS's code is AccessDenied.
var ErrAccessDenied = errdefs.PermissionDenied("You are not authorized to perform this operation.")

// Key is an access key that the API accepts: its secret and whose it is.
type Key struct {
	Secret    string
	Principal Principal
}

// KeyLookup returns the access key with id, as the API's SigV4 check finds it; the daemon
// supplies it (today the server's keys, all of the account's root; later IAM's users' keys).
type KeyLookup func(accessKeyID string) (Key, bool)

// RootKeys turns a lookup of secrets into a KeyLookup whose keys are all the account root's.
func RootKeys(account string, secret func(accessKeyID string) (string, bool)) KeyLookup {
	return func(id string) (Key, bool) {
		s, ok := secret(id)
		if !ok {
			return Key{}, false
		}
		return Key{Secret: s, Principal: Principal{AccessKeyID: id, ARN: rootARN(account)}}, true
	}
}

// AccountRoot allows every action to the keys of the account's root, which is every key fargo
// knows until IAM adds users.
type AccountRoot struct {
	// AccountID is the account whose root may act.
	AccountID string
}

var _ Authorizer = AccountRoot{}

// Authorize implements Authorizer.
func (a AccountRoot) Authorize(_ context.Context, p Principal, action, _ string) error {
	if p.ARN != rootARN(a.AccountID) {
		return errdefs.Detail(ErrAccessDenied, "User: %s is not authorized to perform: %s", p.ARN, action)
	}
	return nil
}

func rootARN(account string) string { return "arn:aws:iam::" + account + ":root" }
