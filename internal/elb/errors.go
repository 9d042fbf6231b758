package elb

import "github.com/fargohq/fargo/internal/errdefs"

// Errors with a meaning of their own to ELB clients, in the words of ELBv2's model: ALB tells
// "target group not found" from "listener not found", and clients act on the difference. Test
// them with errors.Is; errdefs.Detail gives one a message about the request at hand, and the API
// maps each to its wire code.
var (
	ErrLoadBalancerNotFound        = errdefs.NotFound("The specified load balancer does not exist.")
	ErrTargetGroupNotFound         = errdefs.NotFound("The specified target group does not exist.")
	ErrListenerNotFound            = errdefs.NotFound("The specified listener does not exist.")
	ErrRuleNotFound                = errdefs.NotFound("The specified rule does not exist.")
	ErrCertificateNotFound         = errdefs.NotFound("The specified certificate does not exist.")
	ErrSSLPolicyNotFound           = errdefs.NotFound("The specified SSL policy does not exist.")
	ErrDuplicateLoadBalancerName   = errdefs.AlreadyExists("A load balancer with the specified name already exists.")
	ErrDuplicateTargetGroupName    = errdefs.AlreadyExists("A target group with the specified name already exists.")
	ErrDuplicateListener           = errdefs.AlreadyExists("A listener with the specified port already exists.")
	ErrPriorityInUse               = errdefs.AlreadyExists("The specified priority is in use.")
	ErrDuplicateTagKeys            = errdefs.InvalidArgument("A tag key was specified more than once.")
	ErrInvalidTarget               = errdefs.InvalidArgument("The specified target does not exist, is not in the same VPC as the target group, or has an unsupported instance type.")
	ErrInvalidConfiguration        = errdefs.InvalidArgument("The requested configuration is not valid.")
	ErrIncompatibleProtocols       = errdefs.InvalidArgument("The specified configuration is not valid with this protocol.")
	ErrUnsupportedProtocol         = errdefs.InvalidArgument("The specified protocol is not supported.")
	ErrInvalidAction               = errdefs.InvalidArgument("The requested action is not valid.")
	ErrResourceInUse               = errdefs.FailedPrecondition("A specified resource is in use.")
	ErrOperationNotPermitted       = errdefs.FailedPrecondition("This operation is not allowed.")
	ErrTargetGroupAssociationLimit = errdefs.LimitExceeded("You've reached the limit on the number of load balancers per target group.")
	ErrTooManyLoadBalancers        = errdefs.LimitExceeded("You've reached the limit on the number of load balancers for your Amazon Web Services account.")
	ErrTooManyTargetGroups         = errdefs.LimitExceeded("You've reached the limit on the number of target groups for your Amazon Web Services account.")
	ErrTooManyListeners            = errdefs.LimitExceeded("You've reached the limit on the number of listeners per load balancer.")
	ErrTooManyRules                = errdefs.LimitExceeded("You've reached the limit on the number of rules per load balancer.")
	ErrTooManyTargets              = errdefs.LimitExceeded("You've reached the limit on the number of targets.")
	ErrTooManyActions              = errdefs.LimitExceeded("You've reached the limit on the number of actions per rule.")
	ErrTooManyCertificates         = errdefs.LimitExceeded("You've reached the limit on the number of certificates per load balancer.")
	ErrTooManyTags                 = errdefs.LimitExceeded("You've reached the limit on the number of tags for this resource.")
)

// invalidf is a plain validation error: ALB's ValidationError.
func invalidf(format string, args ...any) error { return errdefs.InvalidArgument(format, args...) }
