// Package autoscaling is the domain of Application Auto Scaling for ECS services: scalable
// targets (the desired count of a service, between a minimum and a maximum) and the scaling
// policies attached to them, with the rules that RegisterScalableTarget and PutScalingPolicy
// check. It is pure: types, validation and rules, no I/O.
//
// fargo stores targets and policies and answers for them as Application Auto Scaling does,
// but nothing carries the policies out yet: no alarm watches a metric and no service's desired
// count changes because of a policy, nor when a target is registered with a range that
// excludes it. docs/autoscaling.md says so, and so does DescribeScalingActivities.
package autoscaling
