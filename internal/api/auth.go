package api

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/sigv4"
)

// authenticate verifies the SigV4 signature of c and returns its caller. The AWS error codes of
// a failure differ between the JSON and the Query services; both are chosen here.
func (h *Handler) authenticate(c *call, body []byte) (awsproto.Caller, bool, *awsproto.Error) {
	v := sigv4.Verifier{Lookup: h.deps.Credentials, Now: h.deps.Now, MaxSkew: h.cfg.MaxClockSkew}
	id, err := v.Verify(c.r, body)
	if err != nil {
		return awsproto.Caller{}, false, authError(c.svc.Protocol, err)
	}
	if id.Service != c.svc.SigningName {
		return awsproto.Caller{}, false, authError(c.svc.Protocol, &sigv4.Error{
			Reason:  sigv4.ScopeMismatch,
			Message: "Credential should be scoped to correct service: '" + c.svc.SigningName + "'.",
		})
	}
	if !h.servesRegion(id.Region) {
		// AWS answers a region the account cannot use as if it did not know the key: the
		// region's endpoint has no credentials of the account.
		return awsproto.Caller{}, false, authError(c.svc.Protocol, sigv4.UnknownKeyError())
	}
	p := Principal{ARN: "arn:aws:iam::" + h.cfg.AccountID + ":root", UserID: h.cfg.AccountID, Root: true}
	if h.deps.Principal != nil {
		var ok bool
		if p, ok = h.deps.Principal(id.AccessKeyID); !ok {
			// Deactivated or deleted between the secret's lookup and this one.
			return awsproto.Caller{}, false, authError(c.svc.Protocol, sigv4.UnknownKeyError())
		}
	}
	if h.deps.KeyUsed != nil {
		h.deps.KeyUsed(id.AccessKeyID, id.Service, id.Region)
	}
	return awsproto.Caller{
		AccessKeyID: id.AccessKeyID,
		AccountID:   h.cfg.AccountID,
		ARN:         p.ARN,
		UserID:      p.UserID,
		UserName:    p.UserName,
		Region:      id.Region,
	}, p.Root, nil
}

// Principal is who owns an access key: the account's root or an IAM user.
type Principal struct {
	// ARN is arn:aws:iam::<account>:root or the user's ARN.
	ARN string
	// UserID is the account id for root, the user's unique id (AIDA...) for a user.
	UserID string
	// UserName is empty for root.
	UserName string
	// Root is the account's root, which may do everything: its calls are not authorized.
	Root bool
}

// authCodes are the error codes of each failure reason, for JSON and for Query services.
var authCodes = map[sigv4.Reason][2]string{
	sigv4.MissingAuth:       {"MissingAuthenticationTokenException", "MissingAuthenticationToken"},
	sigv4.Malformed:         {"IncompleteSignatureException", "IncompleteSignature"},
	sigv4.UnknownKey:        {"UnrecognizedClientException", "InvalidClientTokenId"},
	sigv4.SignatureMismatch: {"InvalidSignatureException", "SignatureDoesNotMatch"},
	sigv4.Expired:           {"InvalidSignatureException", "SignatureDoesNotMatch"},
	sigv4.NotYetCurrent:     {"InvalidSignatureException", "SignatureDoesNotMatch"},
	sigv4.ScopeMismatch:     {"InvalidSignatureException", "SignatureDoesNotMatch"},
}

func authError(p awsproto.Protocol, err error) *awsproto.Error {
	var serr *sigv4.Error
	if !errors.As(err, &serr) {
		return &awsproto.Error{Code: "InternalFailure", Message: "Could not verify the request signature.", Status: http.StatusInternalServerError}
	}
	codes, ok := authCodes[serr.Reason]
	if !ok {
		codes = authCodes[sigv4.SignatureMismatch]
	}
	code := codes[0]
	if p == awsproto.ProtocolQuery || p == awsproto.ProtocolCBOR { // CBOR services here are awsQueryCompatible
		code = codes[1]
	}
	status := http.StatusForbidden
	if serr.Reason == sigv4.Malformed {
		status = http.StatusBadRequest
	}
	return &awsproto.Error{Code: code, Message: serr.Message, Status: status}
}
