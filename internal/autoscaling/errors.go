package autoscaling

import "github.com/fargohq/fargo/internal/errdefs"

// Errors of Application Auto Scaling operations that have a code of their own
// (ObjectNotFoundException), in its words; Detail names the target or policy.
var (
	ErrTargetNotFound = errdefs.NotFound("No scalable target registered for the given service namespace, resource ID and scalable dimension.")
	ErrPolicyNotFound = errdefs.NotFound("No scaling policy found for the given service namespace, resource ID, scalable dimension and policy name.")
)

// errUnsupported is AWS's answer to a namespace, resource ID and dimension that do not belong
// together.
var errUnsupported = errdefs.InvalidArgument("Unsupported service namespace, resource type or scalable dimension")
