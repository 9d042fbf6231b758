package iam

import "github.com/fargohq/fargo/internal/errdefs"

// The errors of IAM that have wire codes of their own, in IAM's default words; most are
// detailed with errdefs.Detail to name the entity.
var (
	// ErrNoSuchEntity: a user, group, role, policy, version or key does not exist.
	ErrNoSuchEntity = errdefs.NotFound("The request was rejected because it referenced a resource entity that does not exist.")
	// ErrEntityAlreadyExists: an entity of that name exists already.
	ErrEntityAlreadyExists = errdefs.AlreadyExists("The request was rejected because it attempted to create a resource that already exists.")
	// ErrLimitExceeded: a quota (keys per user, versions per policy, policy size, ...) is reached.
	ErrLimitExceeded = errdefs.LimitExceeded("The request was rejected because it attempted to create resources beyond the current AWS account limits.")
	// ErrDeleteConflict: the entity still has subordinate entities (keys, policies, members).
	ErrDeleteConflict = errdefs.FailedPrecondition("The request was rejected because it attempted to delete a resource that has attached subordinate entities.")
	// ErrMalformedPolicyDocument: a policy document is not a valid policy.
	ErrMalformedPolicyDocument = errdefs.InvalidArgument("The policy document is malformed.")
	// ErrInvalidInput: a parameter is invalid in a way the model's constraints do not catch.
	ErrInvalidInput = errdefs.InvalidArgument("The request was rejected because an invalid or out-of-range value was supplied for an input parameter.")
	// ErrPolicyNotAttachable: the policy cannot be attached (a service-role policy to a user).
	ErrPolicyNotAttachable = errdefs.InvalidArgument("The request failed because AWS service role policies can only be attached to the service-linked role for that service.")
)
