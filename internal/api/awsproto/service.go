package awsproto

import (
	"context"
	"net/url"
)

// Protocol is an AWS wire protocol.
type Protocol int

// The protocols fargo serves.
const (
	// ProtocolJSON is awsJson1_1: POST with X-Amz-Target, JSON bodies (ECS, CodeDeploy, ECR).
	ProtocolJSON Protocol = iota + 1
	// ProtocolQuery is awsQuery: Action= form parameters, XML responses (ELBv2, STS).
	ProtocolQuery
	// ProtocolREST is restJson1: the method and path name the operation (Routes), JSON bodies
	// (Lambda).
	ProtocolREST
	// ProtocolCBOR is Smithy RPC v2 CBOR: POST /service/<TargetPrefix>/operation/<Op>, CBOR
	// bodies (CloudWatch). The front door transcodes request bodies to JSON, so operations are
	// JSON handlers.
	ProtocolCBOR
)

// Request is what an operation handler receives: the raw JSON body for JSON services, the form
// parameters for Query services, and for REST services the body with the path's members and
// the query parameters in Form (nil when there are none).
type Request struct {
	Body []byte
	Form url.Values
}

// Handler runs one operation and returns its output shape, or an error that the service's
// ErrorFor turns into an AWS error.
type Handler func(ctx context.Context, req Request) (any, error)

// Service describes one AWS service endpoint.
type Service struct {
	// Name identifies the service in logs and metrics, for example "ecs".
	Name string
	// SigningName is the service in the SigV4 credential scope, for example "ecs" or
	// "elasticloadbalancing".
	SigningName string
	Protocol    Protocol
	// TargetPrefix is the part of X-Amz-Target before the dot (JSON services), or the service
	// of the path of RPC v2 CBOR services.
	TargetPrefix string
	// Routes are the operations of a REST service.
	Routes []Route
	// Version is the API version of Query requests, for example "2015-12-01".
	Version string
	// XMLNamespace is the xmlns of Query responses.
	XMLNamespace string
	// Operations by name.
	Operations map[string]Handler
	// ErrorFor maps an error returned by an operation to the AWS error the client sees. It must
	// never return nil for a non-nil error.
	ErrorFor func(op string, err error) *Error
	// ClientError is the code of generic client errors of this service (bad input the codec
	// rejects before any operation runs), for example "ClientException" or "ValidationError".
	ClientError string
	// Targets returns what a request names for its authorization (the resources of the type
	// the authorization table gives its operation, the roles it passes); nil names nothing,
	// so every operation is checked on "*".
	Targets Targeter
}

type callerKey struct{}

// Caller is the authenticated identity of a request.
type Caller struct {
	AccessKeyID string
	// ARN is the principal, for example arn:aws:iam::000000000000:root.
	ARN string
	// UserID is the principal's unique id: the account id for root, AIDA... for a user.
	UserID string
	// UserName is the IAM user's name, empty for root.
	UserName  string
	AccountID string
	// Region is the region of the request's signing scope.
	Region string
}

// WithCaller returns ctx carrying the request's caller.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller stored by WithCaller.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok
}
