package daemon

import (
	"context"
	"errors"
	"strings"

	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/console"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/identity"
)

// consoleIdentity signs people into the console with the access keys the API accepts (the
// root key and IAM users' active keys) and authorizes what they do as the API authorizes a
// call: authz.Check of the IAM action over the owner's identity-based policies, read afresh at
// every request, so a changed policy or a deactivated key applies at once.
type consoleIdentity struct {
	dir   *identity.Directory
	authz *authorizer
}

var _ console.Authorizer = consoleIdentity{}

// Key implements console.KeyLookup.
func (ci consoleIdentity) Key(accessKeyID string) (console.Key, bool) {
	secret, ok := ci.dir.Secret(accessKeyID)
	if !ok {
		return console.Key{}, false
	}
	p, ok := ci.dir.Principal(accessKeyID)
	if !ok {
		return console.Key{}, false
	}
	return console.Key{Secret: secret, Principal: console.Principal{AccessKeyID: accessKeyID, ARN: p.ARN}}, true
}

// Authorize implements console.Authorizer; action is "service:Operation" as the API names it.
func (ci consoleIdentity) Authorize(ctx context.Context, who console.Principal, action, resource string) error {
	if _, ok := ci.dir.Principal(who.AccessKeyID); !ok {
		return errdefs.Detail(console.ErrAccessDenied, "The access key %s is no longer active: sign in again.", who.AccessKeyID)
	}
	service, operation, _ := strings.Cut(action, ":")
	call := &authz.Call{Service: service, Operation: operation}
	if resource != "*" {
		call.Resources = []authz.Resource{{ARN: resource}}
	}
	err := ci.authz.check(ctx, who.AccessKeyID, call)
	if errors.Is(err, authz.ErrAccessDenied) {
		return errdefs.Detail(console.ErrAccessDenied, "%s", errdefs.Message(err))
	}
	return err
}
