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
	codeAlreadyExists    = "ResourceAlreadyExistsException"
	codeAborted          = "OperationAbortedException"
	codeUnavailable      = "ServiceUnavailableException"
)

// errorCodes maps errors to CloudWatch Logs codes, first match wins. CloudWatch Logs has no
// code for a kind that is not listed.
var errorCodes = []struct {
	match error
	code  string
}{
	{errdefs.ErrInvalidArgument, codeInvalidParameter},
	{errdefs.ErrNotFound, codeNotFound},
	{errdefs.ErrAlreadyExists, codeAlreadyExists},
	// CloudWatch's word for concurrent requests that changed the same resource: a conflict
	// that outlived the store's retries.
	{errdefs.ErrConflict, codeAborted},
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
