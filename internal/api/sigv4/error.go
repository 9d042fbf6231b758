package sigv4

// Reason says why a request failed verification. The API edge maps it to an AWS error code.
type Reason int

// The reasons, in the order Verify checks them.
const (
	// MissingAuth means the request carries neither an Authorization header nor presigned
	// query parameters.
	MissingAuth Reason = iota + 1
	// Malformed means the Authorization header, the credential scope, the signed headers or
	// X-Amz-Date cannot be parsed, or required parts are missing.
	Malformed
	// ScopeMismatch means the date in the credential scope is not the date of X-Amz-Date.
	ScopeMismatch
	// Expired means X-Amz-Date is older than the allowed clock skew, or a presigned request
	// is past its X-Amz-Expires.
	Expired
	// NotYetCurrent means X-Amz-Date lies further in the future than the allowed clock skew.
	NotYetCurrent
	// UnknownKey means the access key id is not known.
	UnknownKey
	// SignatureMismatch means the signature, or the declared payload hash, does not match.
	SignatureMismatch
)

// String returns a short lowercase name of r for logs.
func (r Reason) String() string {
	switch r {
	case MissingAuth:
		return "missing auth"
	case Malformed:
		return "malformed"
	case ScopeMismatch:
		return "scope mismatch"
	case Expired:
		return "expired"
	case NotYetCurrent:
		return "not yet current"
	case UnknownKey:
		return "unknown key"
	case SignatureMismatch:
		return "signature mismatch"
	default:
		return "unknown reason"
	}
}

// Error is a verification failure. Message is the text AWS sends for the same failure, meant
// for the client.
type Error struct {
	Reason  Reason
	Message string
}

// Error returns the client-facing message, so errdefs.Message and plain logging agree.
func (e *Error) Error() string { return e.Message }

// Messages AWS sends, verbatim where AWS has one.
const (
	msgMissingAuth       = "Missing Authentication Token"
	msgUnknownKey        = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgPayloadMismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgPresignExpired  = "Request has expired"
	msgBothAuth        = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, " +
		"Signature query string parameter or the Authorization header should be specified"
)

func fail(reason Reason, msg string) *Error { return &Error{Reason: reason, Message: msg} }

// UnknownKeyError is the failure of a key that is not known (any more): for a caller that
// finds the key gone after Verify accepted its signature.
func UnknownKeyError() *Error { return fail(UnknownKey, msgUnknownKey) }
