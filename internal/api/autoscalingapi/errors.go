package autoscalingapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/autoscaling"
	"github.com/fargohq/fargo/internal/errdefs"
)

const codeValidation = "ValidationException"

// errInvalidNextToken is a token this API did not hand out.
var errInvalidNextToken = errdefs.InvalidArgument("Invalid NextToken")

// errorCodes maps domain errors to Application Auto Scaling codes, first match wins; kinds
// come last.
var errorCodes = []struct {
	match error
	code  string
}{
	{autoscaling.ErrTargetNotFound, "ObjectNotFoundException"},
	{autoscaling.ErrPolicyNotFound, "ObjectNotFoundException"},
	{errInvalidNextToken, "InvalidNextTokenException"},
	{errdefs.ErrInvalidArgument, codeValidation},
	{errdefs.ErrNotFound, "ObjectNotFoundException"},
	// A conflict that outlived the store's retries: AWS's word for concurrent updates.
	{errdefs.ErrConflict, "ConcurrentUpdateException"},
	{errdefs.ErrLimitExceeded, "LimitExceededException"},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg}
		}
	}
	return &awsproto.Error{Code: "InternalServiceException", Message: "The service encountered an internal error: " + msg, Status: http.StatusInternalServerError}
}
