package elbapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the resources of an Elastic Load Balancing request, for its authorization:
// the load balancers, target groups, listeners and rules of the operation's resource type in
// the authorization table, by ARN (or by name when the request creates one).
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	switch op {
	case "CreateLoadBalancer", "CreateTargetGroup":
		t.Add(in.String("Name"), "*")
	case "DeleteLoadBalancer", "ModifyLoadBalancerAttributes", "CreateListener":
		t.Add(in.String("LoadBalancerArn"))
	case "ModifyTargetGroup", "DeleteTargetGroup", "ModifyTargetGroupAttributes", "RegisterTargets", "DeregisterTargets":
		t.Add(in.String("TargetGroupArn"))
	case "ModifyListener", "DeleteListener", "CreateRule":
		t.Add(in.String("ListenerArn"))
	case "ModifyRule", "DeleteRule":
		t.Add(in.String("RuleArn"))
	case "SetRulePriorities":
		for _, p := range in.Objects("RulePriorities") {
			t.Add(p.String("RuleArn"))
		}
	case "AddTags", "RemoveTags":
		for _, a := range in.Strings("ResourceArns") {
			t.Add(a)
		}
	}
	return t
}
