package stsapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Version is the STS API version of Query requests.
const Version = "2011-06-15"

// Service describes the STS endpoint for the front door.
func Service() awsproto.Service {
	return awsproto.Service{
		Name:         "sts",
		SigningName:  "sts",
		Protocol:     awsproto.ProtocolQuery,
		Version:      Version,
		XMLNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
		Operations: map[string]awsproto.Handler{
			"GetCallerIdentity": awsproto.Query(getCallerIdentity),
		},
		ErrorFor:    errorFor,
		ClientError: "ValidationError",
	}
}

type getCallerIdentityInput struct{}

type getCallerIdentityOutput struct {
	Arn     string `xml:"Arn"`
	UserID  string `xml:"UserId"`
	Account string `xml:"Account"`
}

func getCallerIdentity(ctx context.Context, _ *getCallerIdentityInput) (*getCallerIdentityOutput, error) {
	c, ok := awsproto.CallerFrom(ctx)
	if !ok {
		return nil, errdefs.FailedPrecondition("the request has no authenticated caller")
	}
	// Root's UserId is the account id; a user's is its unique id (AIDA...).
	userID := c.UserID
	if userID == "" {
		userID = c.AccountID
	}
	return &getCallerIdentityOutput{Arn: c.ARN, UserID: userID, Account: c.AccountID}, nil
}

func errorFor(_ string, err error) *awsproto.Error {
	if errors.Is(err, errdefs.ErrInvalidArgument) {
		return &awsproto.Error{Code: "ValidationError", Message: errdefs.Message(err)}
	}
	return &awsproto.Error{Code: "InternalFailure", Message: errdefs.Message(err), Status: http.StatusInternalServerError}
}
