package autoscalingapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the role a RegisterScalableTarget request passes, for its authorization;
// Application Auto Scaling has no resource-level permissions for fargo's targets.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	if op == "RegisterScalableTarget" {
		t.Pass(in.String("RoleARN"))
	}
	return t
}
