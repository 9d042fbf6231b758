package autoscaling

import (
	"math"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The policy types. PredictiveScaling is refused: fargo has no forecasts.
const (
	PolicyStepScaling       = "StepScaling"
	PolicyTargetTracking    = "TargetTrackingScaling"
	PolicyPredictiveScaling = "PredictiveScaling"
)

// The predefined metrics of ECS services.
const (
	MetricECSCPU             = "ECSServiceAverageCPUUtilization"
	MetricECSMemory          = "ECSServiceAverageMemoryUtilization"
	MetricALBRequestsPerTask = "ALBRequestCountPerTarget"
)

// Policy is a scaling policy of a target. Exactly one of Step and TargetTracking is in use,
// by Type.
type Policy struct {
	Name           string
	Target         TargetKey
	ARN            string
	Type           string
	Step           StepScaling
	TargetTracking TargetTracking
	CreatedAt      time.Time
}

// StepScaling is a step scaling policy's configuration.
type StepScaling struct {
	AdjustmentType            string
	Adjustments               []StepAdjustment
	HasMinAdjustmentMagnitude bool
	MinAdjustmentMagnitude    int
	HasCooldown               bool
	Cooldown                  int
	MetricAggregationType     string
}

// StepAdjustment scales by ScalingAdjustment while the alarm's metric is within the bounds
// (relative to the alarm's threshold); a missing bound is infinite.
type StepAdjustment struct {
	HasLowerBound     bool
	LowerBound        float64
	HasUpperBound     bool
	UpperBound        float64
	ScalingAdjustment int
}

// TargetTracking is a target tracking policy's configuration: exactly one of Predefined and
// Customized is in use, by HasPredefined.
type TargetTracking struct {
	TargetValue         float64
	HasPredefined       bool
	Predefined          PredefinedMetric
	HasCustomized       bool
	Customized          CustomizedMetric
	HasScaleOutCooldown bool
	ScaleOutCooldown    int
	HasScaleInCooldown  bool
	ScaleInCooldown     int
	HasDisableScaleIn   bool
	DisableScaleIn      bool
}

// PredefinedMetric is one of the metrics Application Auto Scaling knows for a service.
type PredefinedMetric struct {
	Type string
	// ResourceLabel names the target group of ALBRequestCountPerTarget:
	// app/<load balancer>/<id>/targetgroup/<target group>/<id>.
	ResourceLabel string
}

// CustomizedMetric is a CloudWatch metric, or metric math over several (Metrics).
type CustomizedMetric struct {
	MetricName string
	Namespace  string
	Dimensions []MetricDimension
	Statistic  string
	Unit       string
	Metrics    []MetricQuery
}

// MetricDimension is a name and value of a metric.
type MetricDimension struct {
	Name  string
	Value string
}

// MetricQuery is one query of metric math: an expression or a metric's statistic.
type MetricQuery struct {
	ID            string
	Expression    string
	Label         string
	HasMetricStat bool
	MetricStat    MetricStat
	HasReturnData bool
	ReturnData    bool
}

// MetricStat is a statistic of a metric.
type MetricStat struct {
	MetricName string
	Namespace  string
	Dimensions []MetricDimension
	Stat       string
	Unit       string
}

// CheckPolicyName checks a policy name: 1 to 256 printable ASCII characters.
func CheckPolicyName(name string) error {
	if name == "" || len(name) > 256 {
		return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'policyName' failed to satisfy constraint: Member must have length between 1 and 256", name)
	}
	for _, r := range name {
		if r < 0x20 || r > 0x7e {
			return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{Print}+", name)
		}
	}
	return nil
}

// Check checks a policy's type and the configuration its type uses.
func (p Policy) Check() error {
	if err := CheckPolicyName(p.Name); err != nil {
		return err
	}
	switch p.Type {
	case PolicyStepScaling:
		return p.Step.check()
	case PolicyTargetTracking:
		return p.TargetTracking.check()
	case PolicyPredictiveScaling:
		return errdefs.InvalidArgument("fargo does not support PredictiveScaling policies: use TargetTrackingScaling or StepScaling.")
	case "":
		return errdefs.InvalidArgument("PolicyType is required to create a scaling policy.")
	}
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'policyType' failed to satisfy constraint: Member must satisfy enum value set: [StepScaling, TargetTrackingScaling, PredictiveScaling]", p.Type)
}

func (s StepScaling) check() error {
	switch s.AdjustmentType {
	case "ChangeInCapacity", "ExactCapacity":
		if s.HasMinAdjustmentMagnitude {
			return errdefs.InvalidArgument("MinAdjustmentMagnitude is only valid with the PercentChangeInCapacity adjustment type.")
		}
	case "PercentChangeInCapacity":
	case "":
		return errdefs.InvalidArgument("StepScalingPolicyConfiguration.AdjustmentType is required for a StepScaling policy.")
	default:
		return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'stepScalingPolicyConfiguration.adjustmentType' failed to satisfy constraint: Member must satisfy enum value set: [ChangeInCapacity, PercentChangeInCapacity, ExactCapacity]", s.AdjustmentType)
	}
	switch s.MetricAggregationType {
	case "", "Average", "Minimum", "Maximum":
	default:
		return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'stepScalingPolicyConfiguration.metricAggregationType' failed to satisfy constraint: Member must satisfy enum value set: [Average, Minimum, Maximum]", s.MetricAggregationType)
	}
	if s.HasCooldown && s.Cooldown < 0 || s.HasMinAdjustmentMagnitude && s.MinAdjustmentMagnitude < 0 {
		return errdefs.InvalidArgument("Cooldown and MinAdjustmentMagnitude must be greater than or equal to 0.")
	}
	return checkSteps(s.Adjustments)
}

// checkSteps applies the rules of step adjustments: at least one, each with a bound, lower
// below upper, and together one range without overlaps or gaps, open (null) at an end
// wherever it would otherwise stop at a bound beyond zero.
func checkSteps(steps []StepAdjustment) error {
	if len(steps) == 0 {
		return errdefs.InvalidArgument("StepScalingPolicyConfiguration.StepAdjustments must hold at least one step adjustment for a StepScaling policy.")
	}
	sorted := slices.Clone(steps)
	lower := func(s StepAdjustment) float64 {
		if !s.HasLowerBound {
			return math.Inf(-1)
		}
		return s.LowerBound
	}
	upper := func(s StepAdjustment) float64 {
		if !s.HasUpperBound {
			return math.Inf(1)
		}
		return s.UpperBound
	}
	slices.SortFunc(sorted, func(a, b StepAdjustment) int { return cmpFloat(lower(a), lower(b)) })
	for i, s := range sorted {
		switch {
		case !s.HasLowerBound && !s.HasUpperBound:
			return errdefs.InvalidArgument("The upper and lower bound can't be null in the same step adjustment.")
		case lower(s) >= upper(s):
			return errdefs.InvalidArgument("The lower bound of a step adjustment must be less than its upper bound.")
		case i > 0 && lower(s) != upper(sorted[i-1]):
			return errdefs.InvalidArgument("The ranges of your step adjustments can't overlap or have a gap.")
		}
	}
	if first := sorted[0]; first.HasLowerBound && first.LowerBound < 0 {
		return errdefs.InvalidArgument("A step adjustment has a negative lower bound, so one step adjustment must have a null lower bound.")
	}
	if last := sorted[len(sorted)-1]; last.HasUpperBound && last.UpperBound > 0 {
		return errdefs.InvalidArgument("A step adjustment has a positive upper bound, so one step adjustment must have a null upper bound.")
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (t TargetTracking) check() error {
	if math.IsNaN(t.TargetValue) || math.IsInf(t.TargetValue, 0) || t.TargetValue < 8.515920e-109 || t.TargetValue > 1.174271e+108 {
		return errdefs.InvalidArgument("TargetValue must be between 8.515920e-109 and 1.174271e+108.")
	}
	switch {
	case t.HasPredefined == t.HasCustomized:
		return errdefs.InvalidArgument("A target tracking policy needs exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification.")
	case t.HasScaleOutCooldown && t.ScaleOutCooldown < 0, t.HasScaleInCooldown && t.ScaleInCooldown < 0:
		return errdefs.InvalidArgument("ScaleOutCooldown and ScaleInCooldown must be greater than or equal to 0.")
	case t.HasPredefined:
		return t.Predefined.check()
	}
	return t.Customized.check()
}

func (m PredefinedMetric) check() error {
	switch m.Type {
	case MetricECSCPU, MetricECSMemory:
		return nil
	case MetricALBRequestsPerTask:
		if m.ResourceLabel == "" {
			return errdefs.InvalidArgument("ResourceLabel is required for the ALBRequestCountPerTarget metric: app/<load balancer name>/<id>/targetgroup/<target group name>/<id>.")
		}
		return nil
	}
	return errdefs.InvalidArgument("The predefined metric type %s is not supported for ECS services: use ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget.", m.Type)
}

func (m CustomizedMetric) check() error {
	if len(m.Metrics) > 0 {
		if m.MetricName != "" || m.Namespace != "" || m.Statistic != "" || m.Unit != "" || len(m.Dimensions) > 0 {
			return errdefs.InvalidArgument("A customized metric specification with Metrics must not also name a metric (MetricName, Namespace, Dimensions, Statistic, Unit).")
		}
		for _, q := range m.Metrics {
			if q.ID == "" {
				return errdefs.InvalidArgument("Every query of Metrics needs an Id.")
			}
			if (q.Expression == "") == !q.HasMetricStat {
				return errdefs.InvalidArgument("Query %s needs exactly one of Expression and MetricStat.", q.ID)
			}
		}
		return nil
	}
	if m.MetricName == "" || m.Namespace == "" || m.Statistic == "" {
		return errdefs.InvalidArgument("A customized metric specification needs MetricName, Namespace and Statistic, or Metrics.")
	}
	switch m.Statistic {
	case "Average", "Minimum", "Maximum", "SampleCount", "Sum":
		return nil
	}
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'targetTrackingScalingPolicyConfiguration.customizedMetricSpecification.statistic' failed to satisfy constraint: Member must satisfy enum value set: [Average, Minimum, Maximum, SampleCount, Sum]", m.Statistic)
}
