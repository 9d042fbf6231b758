package elb

import (
	"slices"

	"github.com/fargohq/fargo/internal/errdefs"
)

// TargetGroupUsers maps each target group ARN that a rule forwards to onto the load balancers
// of those rules, sorted. A target group with no entry is used by no load balancer: its targets
// report unused (Target.NotInUse) and it may be deleted.
func TargetGroupUsers(rules []Rule) map[string][]string {
	out := map[string][]string{}
	for _, r := range rules {
		for _, tg := range r.TargetGroupARNs() {
			if !slices.Contains(out[tg], r.LoadBalancerARN) {
				out[tg] = append(out[tg], r.LoadBalancerARN)
			}
		}
	}
	for _, lbs := range out {
		slices.Sort(lbs)
	}
	return out
}

// CheckForwards checks the target groups that actions of a listener with protocol, on load
// balancer lbARN, forward to: each must exist in groups (TargetGroupNotFound), must not be used
// by another load balancer (ALB attaches a target group to one; TargetGroupAssociationLimit),
// and HTTP/2 target groups need an HTTPS listener (IncompatibleProtocols).
func CheckForwards(actions []Action, protocol, lbARN string, groups map[string]TargetGroup, users map[string][]string) error {
	for _, a := range actions {
		for _, arn := range a.TargetGroupARNs() {
			tg, ok := groups[arn]
			if !ok {
				return errdefs.Detail(ErrTargetGroupNotFound, "Target group '%s' not found", clip(arn))
			}
			for _, other := range users[arn] {
				if other != lbARN {
					return errdefs.Detail(ErrTargetGroupAssociationLimit, "The target group '%s' is already associated with a different load balancer", tg.ARN)
				}
			}
			if tg.ProtocolVersion != ProtocolVersionHTTP1 && protocol != ProtocolHTTPS {
				return errdefs.Detail(ErrIncompatibleProtocols, "Target group '%s' has protocol version %s, which needs an HTTPS listener", tg.ARN, tg.ProtocolVersion)
			}
		}
	}
	return nil
}
