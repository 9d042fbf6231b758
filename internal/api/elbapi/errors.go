package elbapi

import (
	"errors"
	"net/http"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

// errorCodes maps domain sentinels to ELBv2 wire codes, which drop the model shapes' "Exception";
// first match wins, kinds come last.
var errorCodes = []struct {
	match error
	code  string
}{
	{elb.ErrLoadBalancerNotFound, "LoadBalancerNotFound"},
	{elb.ErrTargetGroupNotFound, "TargetGroupNotFound"},
	{elb.ErrListenerNotFound, "ListenerNotFound"},
	{elb.ErrRuleNotFound, "RuleNotFound"},
	{elb.ErrCertificateNotFound, "CertificateNotFound"},
	{elb.ErrSSLPolicyNotFound, "SSLPolicyNotFound"},
	{elb.ErrDuplicateLoadBalancerName, "DuplicateLoadBalancerName"},
	{elb.ErrDuplicateTargetGroupName, "DuplicateTargetGroupName"},
	{elb.ErrDuplicateListener, "DuplicateListener"},
	{elb.ErrPriorityInUse, "PriorityInUse"},
	{elb.ErrDuplicateTagKeys, "DuplicateTagKeys"},
	{elb.ErrInvalidTarget, "InvalidTarget"},
	{elb.ErrInvalidConfiguration, "InvalidConfigurationRequest"},
	{elb.ErrIncompatibleProtocols, "IncompatibleProtocols"},
	{elb.ErrUnsupportedProtocol, "UnsupportedProtocol"},
	{elb.ErrInvalidAction, "InvalidLoadBalancerAction"},
	{elb.ErrResourceInUse, "ResourceInUse"},
	{elb.ErrOperationNotPermitted, "OperationNotPermitted"},
	{elb.ErrTargetGroupAssociationLimit, "TargetGroupAssociationLimit"},
	{elb.ErrTooManyLoadBalancers, "TooManyLoadBalancers"},
	{elb.ErrTooManyTargetGroups, "TooManyTargetGroups"},
	{elb.ErrTooManyListeners, "TooManyListeners"},
	{elb.ErrTooManyRules, "TooManyRules"},
	{elb.ErrTooManyTargets, "TooManyTargets"},
	{elb.ErrTooManyActions, "TooManyActions"},
	{elb.ErrTooManyCertificates, "TooManyCertificates"},
	{elb.ErrTooManyTags, "TooManyTags"},
	{errdefs.ErrInvalidArgument, "ValidationError"},
}

func errorFor(_ string, err error) *awsproto.Error {
	msg := errdefs.Message(err)
	for _, c := range errorCodes {
		if errors.Is(err, c.match) {
			return &awsproto.Error{Code: c.code, Message: msg}
		}
	}
	// Conflicts that outlived the retries and unavailable stores are transient: a 500
	// InternalFailure makes every SDK retry.
	return &awsproto.Error{Code: "InternalFailure", Message: "The request processing has failed: " + msg, Status: http.StatusInternalServerError}
}
