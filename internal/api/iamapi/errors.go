package iamapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
)

// errorCodes maps domain errors to IAM wire codes and statuses (the model's error shapes);
// first match wins, kinds come last.
var errorCodes = []struct {
	match  error
	code   string
	status int
}{
	{iam.ErrNoSuchEntity, "NoSuchEntity", http.StatusNotFound},
	{iam.ErrEntityAlreadyExists, "EntityAlreadyExists", http.StatusConflict},
	{iam.ErrLimitExceeded, "LimitExceeded", http.StatusConflict},
	{iam.ErrDeleteConflict, "DeleteConflict", http.StatusConflict},
	{iam.ErrMalformedPolicyDocument, "MalformedPolicyDocument", http.StatusBadRequest},
	{iam.ErrInvalidInput, "InvalidInput", http.StatusBadRequest},
	{iam.ErrPolicyNotAttachable, "PolicyNotAttachable", http.StatusBadRequest},
	{errdefs.ErrNotFound, "NoSuchEntity", http.StatusNotFound},
	{errdefs.ErrAlreadyExists, "EntityAlreadyExists", http.StatusConflict},
	{errdefs.ErrLimitExceeded, "LimitExceeded", http.StatusConflict},
	{errdefs.ErrInvalidArgument, "ValidationError", http.StatusBadRequest},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg, Status: c.status}
		}
	}
	// Conflicts that outlived the retries and unavailable stores are transient: ServiceFailure
	// is a 500, which every SDK retries.
	return &awsproto.Error{Code: "ServiceFailure", Message: "The request processing has failed: " + msg, Status: http.StatusInternalServerError}
}
