package ecr

import (
	"github.com/fargohq/fargo/internal/errdefs"
)

// Errors with a meaning of their own to ECR clients, in ECR's words; the API maps each to its
// code. Errorf adds the detail of one request.
var (
	ErrRepositoryNotFound      = errdefs.NotFound("The repository does not exist in the registry.")
	ErrRepositoryAlreadyExists = errdefs.AlreadyExists("The repository already exists in the registry.")
	ErrRepositoryNotEmpty      = errdefs.FailedPrecondition("The repository cannot be deleted because it still contains images.")
	ErrImageNotFound           = errdefs.NotFound("The image requested does not exist in the specified repository.")
	ErrImageAlreadyExists      = errdefs.AlreadyExists("The image has already been pushed and the manifest is the same.")
	ErrImageTagAlreadyExists   = errdefs.FailedPrecondition("The image tag already exists and the repository is immutable.")
	ErrImageDigestMismatch     = errdefs.InvalidArgument("The specified digest does not match the digest of the manifest.")
	ErrLayersNotFound          = errdefs.FailedPrecondition("The image references layers that are not in the repository.")
	ErrReferencedImagesMissing = errdefs.FailedPrecondition("The manifest list or image index references images that are not in the repository.")
	ErrLifecyclePolicyNotFound = errdefs.NotFound("The lifecycle policy could not be found, and no policy is set to the repository.")
	ErrInvalidParameter        = errdefs.InvalidArgument("The specified parameter is invalid.")
	ErrInvalidTagParameter     = errdefs.InvalidArgument("An invalid parameter has been specified. Tag keys can have a maximum character length of 128 characters, and tag values can have a maximum length of 256 characters.")
	ErrTooManyTags             = errdefs.InvalidArgument("The list of tags on the repository is over the limit. The maximum number of tags that can be applied to a repository is 50.")
	ErrInvalidToken            = errdefs.InvalidArgument("The authorization token is not valid.")
	ErrTokenExpired            = errdefs.InvalidArgument("The authorization token has expired.")
)
