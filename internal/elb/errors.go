package elb

import "github.com/fargohq/fargo/internal/errdefs"

// Reason is what went wrong in ELB's own terms, beyond the errdefs kind: ALB tells "target group
// not found" from "listener not found", and clients act on the difference. Match a reason with
// errors.Is(err, elb.ErrTargetGroupNotFound); the API maps reasons to wire codes.
type Reason struct {
	text    string
	newKind func(format string, args ...any) error
}

func (r *Reason) Error() string { return r.text }

func newReason(text string, kind func(format string, args ...any) error) *Reason {
	return &Reason{text: text, newKind: kind}
}

// The reasons. Each one fixes the errdefs kind of its errors.
var (
	ErrLoadBalancerNotFound        = newReason("load balancer not found", errdefs.NotFound)
	ErrTargetGroupNotFound         = newReason("target group not found", errdefs.NotFound)
	ErrListenerNotFound            = newReason("listener not found", errdefs.NotFound)
	ErrRuleNotFound                = newReason("rule not found", errdefs.NotFound)
	ErrCertificateNotFound         = newReason("certificate not found", errdefs.NotFound)
	ErrSSLPolicyNotFound           = newReason("ssl policy not found", errdefs.NotFound)
	ErrDuplicateLoadBalancerName   = newReason("duplicate load balancer name", errdefs.AlreadyExists)
	ErrDuplicateTargetGroupName    = newReason("duplicate target group name", errdefs.AlreadyExists)
	ErrDuplicateListener           = newReason("duplicate listener", errdefs.AlreadyExists)
	ErrPriorityInUse               = newReason("priority in use", errdefs.AlreadyExists)
	ErrDuplicateTagKeys            = newReason("duplicate tag keys", errdefs.InvalidArgument)
	ErrInvalidTarget               = newReason("invalid target", errdefs.InvalidArgument)
	ErrInvalidConfiguration        = newReason("invalid configuration", errdefs.InvalidArgument)
	ErrIncompatibleProtocols       = newReason("incompatible protocols", errdefs.InvalidArgument)
	ErrUnsupportedProtocol         = newReason("unsupported protocol", errdefs.InvalidArgument)
	ErrInvalidAction               = newReason("invalid load balancer action", errdefs.InvalidArgument)
	ErrResourceInUse               = newReason("resource in use", errdefs.FailedPrecondition)
	ErrOperationNotPermitted       = newReason("operation not permitted", errdefs.FailedPrecondition)
	ErrTargetGroupAssociationLimit = newReason("target group association limit", errdefs.LimitExceeded)
	ErrTooManyLoadBalancers        = newReason("too many load balancers", errdefs.LimitExceeded)
	ErrTooManyTargetGroups         = newReason("too many target groups", errdefs.LimitExceeded)
	ErrTooManyListeners            = newReason("too many listeners", errdefs.LimitExceeded)
	ErrTooManyRules                = newReason("too many rules", errdefs.LimitExceeded)
	ErrTooManyTargets              = newReason("too many targets", errdefs.LimitExceeded)
	ErrTooManyActions              = newReason("too many actions", errdefs.LimitExceeded)
	ErrTooManyCertificates         = newReason("too many certificates", errdefs.LimitExceeded)
	ErrTooManyTags                 = newReason("too many tags", errdefs.LimitExceeded)
)

// Errorf returns an error of reason r (and of r's errdefs kind) with the message the client
// reads.
func Errorf(r *Reason, format string, args ...any) error {
	return &reasonError{err: r.newKind(format, args...), reason: r}
}

// reasonError unwraps to its errdefs error first, so errdefs.Message finds the client message,
// and to its reason second, so errors.Is finds the reason.
type reasonError struct {
	err    error
	reason *Reason
}

func (e *reasonError) Error() string   { return e.err.Error() }
func (e *reasonError) Unwrap() []error { return []error{e.err, e.reason} }

// invalidf is a plain validation error: ALB's ValidationError.
func invalidf(format string, args ...any) error { return errdefs.InvalidArgument(format, args...) }
