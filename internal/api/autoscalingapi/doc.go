// Package autoscalingapi serves Application Auto Scaling (JSON 1.1, target prefix
// AnyScaleFrontendService, signing name "application-autoscaling") for the desired count of
// ECS services: RegisterScalableTarget, DescribeScalableTargets, DeregisterScalableTarget,
// PutScalingPolicy, DescribeScalingPolicies, DeleteScalingPolicy and DescribeScalingActivities.
//
// Targets and policies are stored and described as AWS describes them (internal/autoscaling
// holds their rules), but nothing carries the policies out yet. So no CloudWatch alarm is
// created (PutScalingPolicy and DescribeScalingPolicies list none), and
// DescribeScalingActivities answers, for each target with policies, one activity with status
// Unfulfilled that says so instead of any scaling. RegisterScalableTarget checks that the
// service exists and is ACTIVE, as AWS does, and leaves its desired count as it is.
package autoscalingapi
