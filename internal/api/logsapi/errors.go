package logsapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

const (
	codeInvalidParameter = "InvalidParameterException"
	codeNotFound         = "ResourceNotFoundException"
	codeUnavailable      = "ServiceUnavailableException"
)

// The not-found errors, with CloudWatch's messages.
var (
	errGroupNotFound  = errdefs.NotFound("The specified log group does not exist.")
	errStreamNotFound = errdefs.NotFound("The specified log stream does not exist.")
)

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	switch {
	case errors.Is(err, errdefs.ErrInvalidArgument):
		return &awsproto.Error{Code: codeInvalidParameter, Message: msg}
	case errors.Is(err, errdefs.ErrNotFound):
		return &awsproto.Error{Code: codeNotFound, Message: msg}
	default:
		// CloudWatch Logs models no internal error; ServiceUnavailableException is its 5xx, which
		// every SDK retries.
		return &awsproto.Error{Code: codeUnavailable, Message: "The service cannot complete the request: " + msg, Status: http.StatusInternalServerError}
	}
}
