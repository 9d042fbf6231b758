package elbapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Action and condition shapes serve both directions: requests decode into them and responses
// encode from them. Optional members are pointers, omitted from responses when nil.

type wireAction struct {
	Type                *string            `query:"Type" xml:"Type"`
	TargetGroupArn      *string            `query:"TargetGroupArn" xml:"TargetGroupArn,omitempty"`
	Order               *int32             `query:"Order" xml:"Order,omitempty"`
	RedirectConfig      *wireRedirect      `query:"RedirectConfig" xml:"RedirectConfig,omitempty"`
	FixedResponseConfig *wireFixedResponse `query:"FixedResponseConfig" xml:"FixedResponseConfig,omitempty"`
	ForwardConfig       *wireForward       `query:"ForwardConfig" xml:"ForwardConfig,omitempty"`
}

type wireForward struct {
	TargetGroups                list[wireTargetGroupTuple] `query:"TargetGroups" xml:"TargetGroups"`
	TargetGroupStickinessConfig *wireGroupStickiness       `query:"TargetGroupStickinessConfig" xml:"TargetGroupStickinessConfig,omitempty"`
}

type wireTargetGroupTuple struct {
	TargetGroupArn *string `query:"TargetGroupArn" xml:"TargetGroupArn,omitempty"`
	Weight         *int32  `query:"Weight" xml:"Weight,omitempty"`
}

type wireGroupStickiness struct {
	Enabled         *bool  `query:"Enabled" xml:"Enabled,omitempty"`
	DurationSeconds *int32 `query:"DurationSeconds" xml:"DurationSeconds,omitempty"`
}

type wireFixedResponse struct {
	MessageBody *string `query:"MessageBody" xml:"MessageBody,omitempty"`
	StatusCode  *string `query:"StatusCode" xml:"StatusCode,omitempty"`
	ContentType *string `query:"ContentType" xml:"ContentType,omitempty"`
}

type wireRedirect struct {
	Protocol   *string `query:"Protocol" xml:"Protocol,omitempty"`
	Port       *string `query:"Port" xml:"Port,omitempty"`
	Host       *string `query:"Host" xml:"Host,omitempty"`
	Path       *string `query:"Path" xml:"Path,omitempty"`
	Query      *string `query:"Query" xml:"Query,omitempty"`
	StatusCode *string `query:"StatusCode" xml:"StatusCode,omitempty"`
}

func actionsFromWire(in []wireAction) []elb.ActionSpec {
	if in == nil {
		return nil
	}
	out := make([]elb.ActionSpec, 0, len(in))
	for _, a := range in {
		s := elb.ActionSpec{Type: awsproto.Deref(a.Type), Order: given(a.Order), TargetGroupARN: awsproto.Deref(a.TargetGroupArn)}
		if f := a.ForwardConfig; f != nil {
			s.HasForwardConfig = true
			for _, g := range f.TargetGroups {
				w := elb.DefaultWeight
				if g.Weight != nil {
					w = int(*g.Weight)
				}
				s.Forward.TargetGroups = append(s.Forward.TargetGroups, elb.WeightedTargetGroup{ARN: awsproto.Deref(g.TargetGroupArn), Weight: w})
			}
			if st := f.TargetGroupStickinessConfig; st != nil {
				s.Forward.Stickiness, s.Forward.StickinessSeconds = awsproto.Deref(st.Enabled), given(st.DurationSeconds)
			}
		}
		if r := a.FixedResponseConfig; r != nil {
			s.HasFixedResponse = true
			s.FixedResponse = elb.FixedResponse{StatusCode: awsproto.Deref(r.StatusCode), ContentType: awsproto.Deref(r.ContentType), MessageBody: awsproto.Deref(r.MessageBody)}
		}
		if r := a.RedirectConfig; r != nil {
			s.HasRedirect = true
			s.Redirect = elb.Redirect{Protocol: awsproto.Deref(r.Protocol), Port: awsproto.Deref(r.Port), Host: awsproto.Deref(r.Host),
				Path: awsproto.Deref(r.Path), Query: awsproto.Deref(r.Query), StatusCode: awsproto.Deref(r.StatusCode)}
		}
		out = append(out, s)
	}
	return out
}

// actionsToWire reports forward actions as ALB does: always a ForwardConfig, and the
// TargetGroupArn too when there is one target group.
func actionsToWire(in []elb.Action) list[wireAction] {
	out := make(list[wireAction], 0, len(in))
	for _, a := range in {
		w := wireAction{Type: ptr(a.Type)}
		if a.Order != 0 {
			w.Order = ptr(int32(a.Order))
		}
		switch a.Type {
		case elb.ActionForward:
			f := &wireForward{TargetGroups: list[wireTargetGroupTuple]{}, TargetGroupStickinessConfig: &wireGroupStickiness{Enabled: ptr(a.Forward.Stickiness)}}
			if a.Forward.Stickiness {
				f.TargetGroupStickinessConfig.DurationSeconds = ptr(int32(a.Forward.StickinessSeconds))
			}
			for _, g := range a.Forward.TargetGroups {
				f.TargetGroups = append(f.TargetGroups, wireTargetGroupTuple{TargetGroupArn: ptr(g.ARN), Weight: ptr(int32(g.Weight))})
			}
			if len(a.Forward.TargetGroups) == 1 {
				w.TargetGroupArn = ptr(a.Forward.TargetGroups[0].ARN)
			}
			w.ForwardConfig = f
		case elb.ActionFixedResponse:
			r := a.FixedResponse
			w.FixedResponseConfig = &wireFixedResponse{StatusCode: ptr(r.StatusCode), ContentType: optional(r.ContentType), MessageBody: optional(r.MessageBody)}
		case elb.ActionRedirect:
			r := a.Redirect
			w.RedirectConfig = &wireRedirect{Protocol: ptr(r.Protocol), Port: ptr(r.Port), Host: ptr(r.Host),
				Path: ptr(r.Path), Query: ptr(r.Query), StatusCode: ptr(r.StatusCode)}
		}
		out = append(out, w)
	}
	return out
}

// optional is nil for "", so that unset strings stay out of responses.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type wireCondition struct {
	Field                   *string           `query:"Field" xml:"Field"`
	Values                  list[string]      `query:"Values" xml:"Values,omitempty"`
	HostHeaderConfig        *wireValues       `query:"HostHeaderConfig" xml:"HostHeaderConfig,omitempty"`
	PathPatternConfig       *wireValues       `query:"PathPatternConfig" xml:"PathPatternConfig,omitempty"`
	HTTPHeaderConfig        *wireHeaderConfig `query:"HttpHeaderConfig" xml:"HttpHeaderConfig,omitempty"`
	QueryStringConfig       *wireQueryConfig  `query:"QueryStringConfig" xml:"QueryStringConfig,omitempty"`
	HTTPRequestMethodConfig *wireValues       `query:"HttpRequestMethodConfig" xml:"HttpRequestMethodConfig,omitempty"`
	SourceIPConfig          *wireValues       `query:"SourceIpConfig" xml:"SourceIpConfig,omitempty"`
	RegexValues             list[string]      `query:"RegexValues" xml:"-"`
}

type wireValues struct {
	Values      list[string] `query:"Values" xml:"Values"`
	RegexValues list[string] `query:"RegexValues" xml:"-"`
}

type wireHeaderConfig struct {
	HTTPHeaderName *string      `query:"HttpHeaderName" xml:"HttpHeaderName"`
	Values         list[string] `query:"Values" xml:"Values"`
	RegexValues    list[string] `query:"RegexValues" xml:"-"`
}

type wireQueryConfig struct {
	Values list[wireKeyValue] `query:"Values" xml:"Values"`
}

type wireKeyValue struct {
	Key   *string `query:"Key" xml:"Key,omitempty"`
	Value *string `query:"Value" xml:"Value"`
}

func conditionsFromWire(in []wireCondition) []elb.ConditionSpec {
	if in == nil {
		return nil
	}
	out := make([]elb.ConditionSpec, 0, len(in))
	for _, c := range in {
		s := elb.ConditionSpec{Field: awsproto.Deref(c.Field), Values: c.Values, HasRegexValues: len(c.RegexValues) > 0}
		values := func(field string, v *wireValues) {
			if v != nil {
				s.Configs = append(s.Configs, field)
				s.ConfigValues = v.Values
				s.HasRegexValues = s.HasRegexValues || len(v.RegexValues) > 0
			}
		}
		values(elb.FieldHostHeader, c.HostHeaderConfig)
		values(elb.FieldPathPattern, c.PathPatternConfig)
		values(elb.FieldHTTPRequestMethod, c.HTTPRequestMethodConfig)
		values(elb.FieldSourceIP, c.SourceIPConfig)
		if h := c.HTTPHeaderConfig; h != nil {
			s.Configs = append(s.Configs, elb.FieldHTTPHeader)
			s.HTTPHeaderName, s.ConfigValues = awsproto.Deref(h.HTTPHeaderName), h.Values
			s.HasRegexValues = s.HasRegexValues || len(h.RegexValues) > 0
		}
		if q := c.QueryStringConfig; q != nil {
			s.Configs = append(s.Configs, elb.FieldQueryString)
			for _, kv := range q.Values {
				s.QueryStrings = append(s.QueryStrings, elb.QueryString{Key: awsproto.Deref(kv.Key), Value: awsproto.Deref(kv.Value)})
			}
		}
		out = append(out, s)
	}
	return out
}

// conditionsToWire reports each condition with the configuration of its field; host-header and
// path-pattern conditions also carry their values in Values, as ALB reports them.
func conditionsToWire(in []elb.Condition) list[wireCondition] {
	out := make(list[wireCondition], 0, len(in))
	for _, c := range in {
		w := wireCondition{Field: ptr(c.Field)}
		values := &wireValues{Values: list[string](c.Values)}
		switch c.Field {
		case elb.FieldHostHeader:
			w.Values, w.HostHeaderConfig = c.Values, values
		case elb.FieldPathPattern:
			w.Values, w.PathPatternConfig = c.Values, values
		case elb.FieldHTTPRequestMethod:
			w.HTTPRequestMethodConfig = values
		case elb.FieldSourceIP:
			w.SourceIPConfig = values
		case elb.FieldHTTPHeader:
			w.HTTPHeaderConfig = &wireHeaderConfig{HTTPHeaderName: ptr(c.HTTPHeaderName), Values: c.Values}
		case elb.FieldQueryString:
			q := &wireQueryConfig{Values: list[wireKeyValue]{}}
			for _, kv := range c.QueryStrings {
				q.Values = append(q.Values, wireKeyValue{Key: optional(kv.Key), Value: ptr(kv.Value)})
			}
			w.QueryStringConfig = q
		}
		out = append(out, w)
	}
	return out
}

// requireList rejects a missing required list member.
func requireList[T any](l []T, name string) error {
	if l == nil {
		return errdefs.InvalidArgument("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", name)
	}
	return nil
}
