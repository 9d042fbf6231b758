package cloudwatchapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/cloudwatch"
	"github.com/fargohq/fargo/internal/errdefs"
)

// codeValidation is CloudWatch's code for input that fails its validation.
const codeValidation = "ValidationError"

// shapePrefix begins the ids of CloudWatch's modeled error shapes.
const shapePrefix = "com.amazonaws.cloudwatch#"

// Errors that only the API knows.
var (
	errInvalidNextToken = errdefs.InvalidArgument("The service returned an invalid NextToken.")
	errMissingParameter = errdefs.InvalidArgument("A required parameter is missing.")
	errInvalidValue     = errdefs.InvalidArgument("A parameter has an invalid value.")
	errInvalidFormat    = errdefs.InvalidArgument("The data is not in a valid format.")
)

// errorCodes maps errors to CloudWatch's Query codes and their modeled shapes, first match
// wins; kinds come last.
var errorCodes = []struct {
	match error
	code  string
	shape string
}{
	{cloudwatch.ErrAlarmNotFound, "ResourceNotFound", "ResourceNotFound"},
	{cloudwatch.ErrLimitExceeded, "LimitExceeded", "LimitExceededFault"},
	{cloudwatch.ErrInvalidCombination, "InvalidParameterCombination", "InvalidParameterCombinationException"},
	{errInvalidNextToken, "InvalidNextToken", "InvalidNextToken"},
	{errMissingParameter, "MissingParameter", "MissingRequiredParameterException"},
	{errInvalidValue, "InvalidParameterValue", "InvalidParameterValueException"},
	{errInvalidFormat, "InvalidFormat", "InvalidFormatFault"},
	{errdefs.ErrInvalidArgument, codeValidation, ""},
	{errdefs.ErrNotFound, "ResourceNotFound", "ResourceNotFound"},
	{errdefs.ErrLimitExceeded, "LimitExceeded", "LimitExceededFault"},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			e := &awsproto.Error{Code: c.code, Message: msg}
			if c.shape != "" {
				e.Type = shapePrefix + c.shape
			}
			if c.code == "ResourceNotFound" {
				e.Status = http.StatusNotFound
			}
			return e
		}
	}
	return &awsproto.Error{Code: "InternalServiceError", Type: shapePrefix + "InternalServiceFault", Message: "The request processing has failed: " + msg, Status: http.StatusInternalServerError}
}
