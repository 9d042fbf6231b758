package autoscalingapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// Wire shapes of the Application Auto Scaling operations, with the botocore model's member
// names. Timestamps are epoch seconds. Scalars are pointers, as the model boxes them, also
// those that are always sent.

type targetKeyInput struct {
	ServiceNamespace  *string `json:"ServiceNamespace"`
	ResourceID        *string `json:"ResourceId"`
	ScalableDimension *string `json:"ScalableDimension"`
}

type registerScalableTargetInput struct {
	ServiceNamespace  *string             `json:"ServiceNamespace"`
	ResourceID        *string             `json:"ResourceId"`
	ScalableDimension *string             `json:"ScalableDimension"`
	MinCapacity       *int32              `json:"MinCapacity"`
	MaxCapacity       *int32              `json:"MaxCapacity"`
	RoleARN           *string             `json:"RoleARN"`
	SuspendedState    *wireSuspendedState `json:"SuspendedState"`
	Tags              map[string]string   `json:"Tags"`
}

type registerScalableTargetOutput struct {
	ScalableTargetARN string `json:"ScalableTargetARN"`
}

type wireSuspendedState struct {
	DynamicScalingInSuspended  *bool `json:"DynamicScalingInSuspended,omitempty"`
	DynamicScalingOutSuspended *bool `json:"DynamicScalingOutSuspended,omitempty"`
	ScheduledScalingSuspended  *bool `json:"ScheduledScalingSuspended,omitempty"`
}

type describeScalableTargetsInput struct {
	ServiceNamespace  *string  `json:"ServiceNamespace"`
	ResourceIDs       []string `json:"ResourceIds"`
	ScalableDimension *string  `json:"ScalableDimension"`
	MaxResults        *int32   `json:"MaxResults"`
	NextToken         *string  `json:"NextToken"`
}

type describeScalableTargetsOutput struct {
	ScalableTargets []wireScalableTarget `json:"ScalableTargets"`
	NextToken       *string              `json:"NextToken,omitempty"`
}

type wireScalableTarget struct {
	ServiceNamespace  string                `json:"ServiceNamespace"`
	ResourceID        string                `json:"ResourceId"`
	ScalableDimension string                `json:"ScalableDimension"`
	MinCapacity       *int32                `json:"MinCapacity"`
	MaxCapacity       *int32                `json:"MaxCapacity"`
	RoleARN           string                `json:"RoleARN"`
	CreationTime      awsproto.EpochSeconds `json:"CreationTime"`
	SuspendedState    *wireSuspendedState   `json:"SuspendedState,omitempty"`
	ScalableTargetARN string                `json:"ScalableTargetARN"`
}

type putScalingPolicyInput struct {
	PolicyName                               *string             `json:"PolicyName"`
	ServiceNamespace                         *string             `json:"ServiceNamespace"`
	ResourceID                               *string             `json:"ResourceId"`
	ScalableDimension                        *string             `json:"ScalableDimension"`
	PolicyType                               *string             `json:"PolicyType"`
	StepScalingPolicyConfiguration           *wireStepScaling    `json:"StepScalingPolicyConfiguration"`
	TargetTrackingScalingPolicyConfiguration *wireTargetTracking `json:"TargetTrackingScalingPolicyConfiguration"`
}

type putScalingPolicyOutput struct {
	PolicyARN string      `json:"PolicyARN"`
	Alarms    []wireAlarm `json:"Alarms"`
}

// wireAlarm is a CloudWatch alarm of a policy. fargo creates none: the lists are empty.
type wireAlarm struct {
	AlarmName string `json:"AlarmName"`
	AlarmARN  string `json:"AlarmARN"`
}

type wireStepScaling struct {
	AdjustmentType         *string              `json:"AdjustmentType,omitempty"`
	StepAdjustments        []wireStepAdjustment `json:"StepAdjustments,omitempty"`
	MinAdjustmentMagnitude *int32               `json:"MinAdjustmentMagnitude,omitempty"`
	Cooldown               *int32               `json:"Cooldown,omitempty"`
	MetricAggregationType  *string              `json:"MetricAggregationType,omitempty"`
}

type wireStepAdjustment struct {
	MetricIntervalLowerBound *float64 `json:"MetricIntervalLowerBound,omitempty"`
	MetricIntervalUpperBound *float64 `json:"MetricIntervalUpperBound,omitempty"`
	ScalingAdjustment        *int32   `json:"ScalingAdjustment"`
}

type wireTargetTracking struct {
	TargetValue                   *float64              `json:"TargetValue"`
	PredefinedMetricSpecification *wirePredefinedMetric `json:"PredefinedMetricSpecification,omitempty"`
	CustomizedMetricSpecification *wireCustomizedMetric `json:"CustomizedMetricSpecification,omitempty"`
	ScaleOutCooldown              *int32                `json:"ScaleOutCooldown,omitempty"`
	ScaleInCooldown               *int32                `json:"ScaleInCooldown,omitempty"`
	DisableScaleIn                *bool                 `json:"DisableScaleIn,omitempty"`
}

type wirePredefinedMetric struct {
	PredefinedMetricType *string `json:"PredefinedMetricType"`
	ResourceLabel        *string `json:"ResourceLabel,omitempty"`
}

type wireCustomizedMetric struct {
	MetricName *string               `json:"MetricName,omitempty"`
	Namespace  *string               `json:"Namespace,omitempty"`
	Dimensions []wireMetricDimension `json:"Dimensions,omitempty"`
	Statistic  *string               `json:"Statistic,omitempty"`
	Unit       *string               `json:"Unit,omitempty"`
	Metrics    []wireMetricQuery     `json:"Metrics,omitempty"`
}

// wireMetricDimension serves MetricDimension and TargetTrackingMetricDimension, which have the
// same members.
type wireMetricDimension struct {
	Name  *string `json:"Name"`
	Value *string `json:"Value"`
}

type wireMetricQuery struct {
	Expression *string         `json:"Expression,omitempty"`
	ID         *string         `json:"Id"`
	Label      *string         `json:"Label,omitempty"`
	MetricStat *wireMetricStat `json:"MetricStat,omitempty"`
	ReturnData *bool           `json:"ReturnData,omitempty"`
}

type wireMetricStat struct {
	Metric *wireMetric `json:"Metric"`
	Stat   *string     `json:"Stat"`
	Unit   *string     `json:"Unit,omitempty"`
}

type wireMetric struct {
	Dimensions []wireMetricDimension `json:"Dimensions,omitempty"`
	MetricName *string               `json:"MetricName,omitempty"`
	Namespace  *string               `json:"Namespace,omitempty"`
}

type describeScalingPoliciesInput struct {
	PolicyNames       []string `json:"PolicyNames"`
	ServiceNamespace  *string  `json:"ServiceNamespace"`
	ResourceID        *string  `json:"ResourceId"`
	ScalableDimension *string  `json:"ScalableDimension"`
	MaxResults        *int32   `json:"MaxResults"`
	NextToken         *string  `json:"NextToken"`
}

type describeScalingPoliciesOutput struct {
	ScalingPolicies []wireScalingPolicy `json:"ScalingPolicies"`
	NextToken       *string             `json:"NextToken,omitempty"`
}

type wireScalingPolicy struct {
	PolicyARN                                string                `json:"PolicyARN"`
	PolicyName                               string                `json:"PolicyName"`
	ServiceNamespace                         string                `json:"ServiceNamespace"`
	ResourceID                               string                `json:"ResourceId"`
	ScalableDimension                        string                `json:"ScalableDimension"`
	PolicyType                               string                `json:"PolicyType"`
	StepScalingPolicyConfiguration           *wireStepScaling      `json:"StepScalingPolicyConfiguration,omitempty"`
	TargetTrackingScalingPolicyConfiguration *wireTargetTracking   `json:"TargetTrackingScalingPolicyConfiguration,omitempty"`
	Alarms                                   []wireAlarm           `json:"Alarms"`
	CreationTime                             awsproto.EpochSeconds `json:"CreationTime"`
}

type deleteScalingPolicyInput struct {
	PolicyName        *string `json:"PolicyName"`
	ServiceNamespace  *string `json:"ServiceNamespace"`
	ResourceID        *string `json:"ResourceId"`
	ScalableDimension *string `json:"ScalableDimension"`
}

type describeScalingActivitiesInput struct {
	ServiceNamespace           *string `json:"ServiceNamespace"`
	ResourceID                 *string `json:"ResourceId"`
	ScalableDimension          *string `json:"ScalableDimension"`
	MaxResults                 *int32  `json:"MaxResults"`
	NextToken                  *string `json:"NextToken"`
	IncludeNotScaledActivities *bool   `json:"IncludeNotScaledActivities"`
}

type describeScalingActivitiesOutput struct {
	ScalingActivities []wireScalingActivity `json:"ScalingActivities"`
	NextToken         *string               `json:"NextToken,omitempty"`
}

type wireScalingActivity struct {
	ActivityID        string                 `json:"ActivityId"`
	ServiceNamespace  string                 `json:"ServiceNamespace"`
	ResourceID        string                 `json:"ResourceId"`
	ScalableDimension string                 `json:"ScalableDimension"`
	Description       string                 `json:"Description"`
	Cause             string                 `json:"Cause"`
	StartTime         awsproto.EpochSeconds  `json:"StartTime"`
	EndTime           *awsproto.EpochSeconds `json:"EndTime,omitempty"`
	StatusCode        string                 `json:"StatusCode"`
	StatusMessage     string                 `json:"StatusMessage,omitempty"`
	Details           string                 `json:"Details,omitempty"`
}

type empty struct{}
