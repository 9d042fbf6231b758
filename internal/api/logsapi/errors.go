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

// errorCodes maps errors to CloudWatch Logs codes, first match wins. CloudWatch Logs has no
// code for a kind that is not listed.
var errorCodes = []struct {
	match error
	code  string
}{
	{errdefs.ErrInvalidArgument, codeInvalidParameter},
	{errdefs.ErrNotFound, codeNotFound},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg}
		}
	}
	// CloudWatch Logs models no internal error; ServiceUnavailableException is its 5xx, which
	// every SDK retries.
	return &awsproto.Error{Code: codeUnavailable, Message: "The service cannot complete the request: " + msg, Status: http.StatusInternalServerError}
}
