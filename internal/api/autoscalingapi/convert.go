package autoscalingapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/autoscaling"
)

// Conversions of policy configurations between the wire and the domain. A member absent on
// the wire stays absent when the policy is described.

func stepScaling(w *wireStepScaling) autoscaling.StepScaling {
	s := autoscaling.StepScaling{AdjustmentType: awsproto.Deref(w.AdjustmentType), MetricAggregationType: awsproto.Deref(w.MetricAggregationType)}
	if w.MinAdjustmentMagnitude != nil {
		s.HasMinAdjustmentMagnitude, s.MinAdjustmentMagnitude = true, int(*w.MinAdjustmentMagnitude)
	}
	if w.Cooldown != nil {
		s.HasCooldown, s.Cooldown = true, int(*w.Cooldown)
	}
	for _, a := range w.StepAdjustments {
		d := autoscaling.StepAdjustment{ScalingAdjustment: int(awsproto.Deref(a.ScalingAdjustment))}
		if a.MetricIntervalLowerBound != nil {
			d.HasLowerBound, d.LowerBound = true, *a.MetricIntervalLowerBound
		}
		if a.MetricIntervalUpperBound != nil {
			d.HasUpperBound, d.UpperBound = true, *a.MetricIntervalUpperBound
		}
		s.Adjustments = append(s.Adjustments, d)
	}
	return s
}

func wireStep(s autoscaling.StepScaling) *wireStepScaling {
	w := &wireStepScaling{AdjustmentType: ptr(s.AdjustmentType), MetricAggregationType: ptr(s.MetricAggregationType)}
	if s.HasMinAdjustmentMagnitude {
		w.MinAdjustmentMagnitude = num(s.MinAdjustmentMagnitude)
	}
	if s.HasCooldown {
		w.Cooldown = num(s.Cooldown)
	}
	for _, d := range s.Adjustments {
		a := wireStepAdjustment{ScalingAdjustment: num(d.ScalingAdjustment)}
		if d.HasLowerBound {
			a.MetricIntervalLowerBound = &d.LowerBound
		}
		if d.HasUpperBound {
			a.MetricIntervalUpperBound = &d.UpperBound
		}
		w.StepAdjustments = append(w.StepAdjustments, a)
	}
	return w
}

func targetTracking(w *wireTargetTracking) autoscaling.TargetTracking {
	t := autoscaling.TargetTracking{TargetValue: awsproto.Deref(w.TargetValue)}
	if m := w.PredefinedMetricSpecification; m != nil {
		t.HasPredefined = true
		t.Predefined = autoscaling.PredefinedMetric{Type: awsproto.Deref(m.PredefinedMetricType), ResourceLabel: awsproto.Deref(m.ResourceLabel)}
	}
	if m := w.CustomizedMetricSpecification; m != nil {
		t.HasCustomized, t.Customized = true, customized(m)
	}
	if w.ScaleOutCooldown != nil {
		t.HasScaleOutCooldown, t.ScaleOutCooldown = true, int(*w.ScaleOutCooldown)
	}
	if w.ScaleInCooldown != nil {
		t.HasScaleInCooldown, t.ScaleInCooldown = true, int(*w.ScaleInCooldown)
	}
	if w.DisableScaleIn != nil {
		t.HasDisableScaleIn, t.DisableScaleIn = true, *w.DisableScaleIn
	}
	return t
}

func wireTracking(t autoscaling.TargetTracking) *wireTargetTracking {
	w := &wireTargetTracking{TargetValue: &t.TargetValue}
	if t.HasPredefined {
		w.PredefinedMetricSpecification = &wirePredefinedMetric{PredefinedMetricType: ptr(t.Predefined.Type), ResourceLabel: ptr(t.Predefined.ResourceLabel)}
	}
	if t.HasCustomized {
		w.CustomizedMetricSpecification = wireCustomized(t.Customized)
	}
	if t.HasScaleOutCooldown {
		w.ScaleOutCooldown = num(t.ScaleOutCooldown)
	}
	if t.HasScaleInCooldown {
		w.ScaleInCooldown = num(t.ScaleInCooldown)
	}
	if t.HasDisableScaleIn {
		w.DisableScaleIn = &t.DisableScaleIn
	}
	return w
}

func customized(w *wireCustomizedMetric) autoscaling.CustomizedMetric {
	m := autoscaling.CustomizedMetric{
		MetricName: awsproto.Deref(w.MetricName), Namespace: awsproto.Deref(w.Namespace), Dimensions: dimensionsOf(w.Dimensions),
		Statistic: awsproto.Deref(w.Statistic), Unit: awsproto.Deref(w.Unit),
	}
	for _, q := range w.Metrics {
		d := autoscaling.MetricQuery{ID: awsproto.Deref(q.ID), Expression: awsproto.Deref(q.Expression), Label: awsproto.Deref(q.Label)}
		if s := q.MetricStat; s != nil {
			d.HasMetricStat = true
			d.MetricStat = autoscaling.MetricStat{Stat: awsproto.Deref(s.Stat), Unit: awsproto.Deref(s.Unit)}
			if s.Metric != nil {
				d.MetricStat.MetricName, d.MetricStat.Namespace = awsproto.Deref(s.Metric.MetricName), awsproto.Deref(s.Metric.Namespace)
				d.MetricStat.Dimensions = dimensionsOf(s.Metric.Dimensions)
			}
		}
		if q.ReturnData != nil {
			d.HasReturnData, d.ReturnData = true, *q.ReturnData
		}
		m.Metrics = append(m.Metrics, d)
	}
	return m
}

func wireCustomized(m autoscaling.CustomizedMetric) *wireCustomizedMetric {
	w := &wireCustomizedMetric{
		MetricName: ptr(m.MetricName), Namespace: ptr(m.Namespace), Dimensions: wireDimensions(m.Dimensions),
		Statistic: ptr(m.Statistic), Unit: ptr(m.Unit),
	}
	for _, q := range m.Metrics {
		d := wireMetricQuery{ID: ptr(q.ID), Expression: ptr(q.Expression), Label: ptr(q.Label)}
		if q.HasMetricStat {
			s := q.MetricStat
			d.MetricStat = &wireMetricStat{Stat: ptr(s.Stat), Unit: ptr(s.Unit), Metric: &wireMetric{
				MetricName: ptr(s.MetricName), Namespace: ptr(s.Namespace), Dimensions: wireDimensions(s.Dimensions),
			}}
		}
		if q.HasReturnData {
			d.ReturnData = &q.ReturnData
		}
		w.Metrics = append(w.Metrics, d)
	}
	return w
}

func dimensionsOf(w []wireMetricDimension) []autoscaling.MetricDimension {
	var out []autoscaling.MetricDimension
	for _, d := range w {
		out = append(out, autoscaling.MetricDimension{Name: awsproto.Deref(d.Name), Value: awsproto.Deref(d.Value)})
	}
	return out
}

func wireDimensions(ds []autoscaling.MetricDimension) []wireMetricDimension {
	var out []wireMetricDimension
	for _, d := range ds {
		out = append(out, wireMetricDimension{Name: ptr(d.Name), Value: ptr(d.Value)})
	}
	return out
}

// ptr returns a pointer to s, or nil for "": an absent string member.
func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func num(n int) *int32 { return new(int32(n)) }
