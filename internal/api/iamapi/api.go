package iamapi

import (
	"crypto/rand"
	"io"
	"maps"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/store"
)

// Version is the IAM API version of Query requests.
const Version = "2010-05-08"

// Namespace is the xmlns of IAM responses.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// Sealer encrypts a secret for a context (credentials.Box).
type Sealer interface {
	Seal(secret, context []byte) ([]byte, error)
}

// Deps are the API's collaborators.
type Deps struct {
	Store *store.Store
	// Secrets seals secret access keys before they are stored.
	Secrets Sealer
	// Random is where ids come from; crypto/rand when nil.
	Random io.Reader
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// API serves IAM operations over a store.
type API struct {
	account string
	deps    Deps
}

// New returns the IAM API of account over deps.Store.
func New(account string, deps Deps) *API {
	if deps.Random == nil {
		deps.Random = rand.Reader
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	return &API{account: account, deps: deps}
}

// Service describes the IAM endpoint for the front door.
func (a *API) Service() awsproto.Service {
	return awsproto.Service{
		Name:         "iam",
		SigningName:  "iam",
		Protocol:     awsproto.ProtocolQuery,
		Version:      Version,
		XMLNamespace: Namespace,
		Operations:   a.operations(),
		ErrorFor:     errorFor,
		ClientError:  "ValidationError",
		Targets:      targets,
	}
}

func (a *API) operations() map[string]awsproto.Handler {
	ops := map[string]awsproto.Handler{
		"CreateUser":           awsproto.Query(a.createUser),
		"GetUser":              awsproto.Query(a.getUser),
		"ListUsers":            awsproto.Query(a.listUsers),
		"UpdateUser":           awsproto.Query(a.updateUser),
		"DeleteUser":           awsproto.Query(a.deleteUser),
		"TagUser":              awsproto.Query(a.tagUser),
		"UntagUser":            awsproto.Query(a.untagUser),
		"ListUserTags":         awsproto.Query(a.listUserTags),
		"CreateAccessKey":      awsproto.Query(a.createAccessKey),
		"ListAccessKeys":       awsproto.Query(a.listAccessKeys),
		"UpdateAccessKey":      awsproto.Query(a.updateAccessKey),
		"DeleteAccessKey":      awsproto.Query(a.deleteAccessKey),
		"GetAccessKeyLastUsed": awsproto.Query(a.getAccessKeyLastUsed),

		"CreateGroup":         awsproto.Query(a.createGroup),
		"GetGroup":            awsproto.Query(a.getGroup),
		"ListGroups":          awsproto.Query(a.listGroups),
		"DeleteGroup":         awsproto.Query(a.deleteGroup),
		"AddUserToGroup":      awsproto.Query(a.addUserToGroup),
		"RemoveUserFromGroup": awsproto.Query(a.removeUserFromGroup),
		"ListGroupsForUser":   awsproto.Query(a.listGroupsForUser),

		"CreatePolicy":            awsproto.Query(a.createPolicy),
		"GetPolicy":               awsproto.Query(a.getPolicy),
		"ListPolicies":            awsproto.Query(a.listPolicies),
		"DeletePolicy":            awsproto.Query(a.deletePolicy),
		"CreatePolicyVersion":     awsproto.Query(a.createPolicyVersion),
		"GetPolicyVersion":        awsproto.Query(a.getPolicyVersion),
		"ListPolicyVersions":      awsproto.Query(a.listPolicyVersions),
		"SetDefaultPolicyVersion": awsproto.Query(a.setDefaultPolicyVersion),
		"DeletePolicyVersion":     awsproto.Query(a.deletePolicyVersion),

		"CreateRole":             awsproto.Query(a.createRole),
		"GetRole":                awsproto.Query(a.getRole),
		"ListRoles":              awsproto.Query(a.listRoles),
		"DeleteRole":             awsproto.Query(a.deleteRole),
		"UpdateAssumeRolePolicy": awsproto.Query(a.updateAssumeRolePolicy),

		"GetAccountAuthorizationDetails": awsproto.Query(a.getAccountAuthorizationDetails),

		"SimulatePrincipalPolicy":          awsproto.Query(a.simulatePrincipalPolicy),
		"SimulateCustomPolicy":             awsproto.Query(a.simulateCustomPolicy),
		"GetContextKeysForPrincipalPolicy": awsproto.Query(a.getContextKeysForPrincipalPolicy),
		"GetContextKeysForCustomPolicy":    awsproto.Query(a.getContextKeysForCustomPolicy),
	}
	maps.Copy(ops, entityOps(a, users))
	maps.Copy(ops, entityOps(a, groups))
	maps.Copy(ops, entityOps(a, roles))
	return ops
}

func (a *API) now() time.Time { return a.deps.Now().UTC() }
