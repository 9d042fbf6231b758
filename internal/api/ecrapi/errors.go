package ecrapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// errInvalidNextToken is the error for a nextToken fargo did not hand out.
var errInvalidNextToken = errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'The next token is not valid'")

// errorCodes maps domain errors to ECR codes, first match wins; kinds come last.
var errorCodes = []struct {
	match error
	code  string
}{
	{ecr.ErrRepositoryNotFound, "RepositoryNotFoundException"},
	{ecr.ErrRepositoryAlreadyExists, "RepositoryAlreadyExistsException"},
	{ecr.ErrRepositoryNotEmpty, "RepositoryNotEmptyException"},
	{ecr.ErrImageNotFound, "ImageNotFoundException"},
	{ecr.ErrImageAlreadyExists, "ImageAlreadyExistsException"},
	{ecr.ErrImageTagAlreadyExists, "ImageTagAlreadyExistsException"},
	{ecr.ErrImageDigestMismatch, "ImageDigestDoesNotMatchException"},
	{ecr.ErrLayersNotFound, "LayersNotFoundException"},
	{ecr.ErrReferencedImagesMissing, "ReferencedImagesNotFoundException"},
	{ecr.ErrLifecyclePolicyNotFound, "LifecyclePolicyNotFoundException"},
	{ecr.ErrInvalidTagParameter, "InvalidTagParameterException"},
	{ecr.ErrTooManyTags, "TooManyTagsException"},
	{errdefs.ErrLimitExceeded, "LimitExceededException"},
	{errdefs.ErrInvalidArgument, "InvalidParameterException"},
	{errdefs.ErrNotFound, "InvalidParameterException"},
	{errdefs.ErrAlreadyExists, "InvalidParameterException"},
	{errdefs.ErrFailedPrecondition, "InvalidParameterException"},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg}
		}
	}
	// Conflicts that outlived the store's retries, unavailable dependencies and storage
	// failures are the server's: a 500 makes every SDK retry.
	return &awsproto.Error{Code: "ServerException", Message: "ECR encountered an internal error: " + msg, Status: http.StatusInternalServerError}
}
