package elbapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

type wireMatcher struct {
	HTTPCode *string `query:"HttpCode" xml:"HttpCode,omitempty"`
	GrpcCode *string `query:"GrpcCode" xml:"GrpcCode,omitempty"`
}

// wireHealthCheck is the health check members CreateTargetGroup and ModifyTargetGroup share.
// (The codec does not flatten embedded structs, so each input lists them and copies them here.)
type wireHealthCheck struct {
	HealthCheckProtocol        *string      `query:"HealthCheckProtocol"`
	HealthCheckPort            *string      `query:"HealthCheckPort"`
	HealthCheckEnabled         *bool        `query:"HealthCheckEnabled"`
	HealthCheckPath            *string      `query:"HealthCheckPath"`
	HealthCheckIntervalSeconds *int32       `query:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  *int32       `query:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      *int32       `query:"HealthyThresholdCount"`
	UnhealthyThresholdCount    *int32       `query:"UnhealthyThresholdCount"`
	Matcher                    *wireMatcher `query:"Matcher"`
}

type createTargetGroupInput struct {
	Name                       *string      `query:"Name"`
	Protocol                   *string      `query:"Protocol"`
	ProtocolVersion            *string      `query:"ProtocolVersion"`
	Port                       *int32       `query:"Port"`
	VpcID                      *string      `query:"VpcId"`
	TargetType                 *string      `query:"TargetType"`
	Tags                       []wireTag    `query:"Tags"`
	IPAddressType              *string      `query:"IpAddressType"`
	HealthCheckProtocol        *string      `query:"HealthCheckProtocol"`
	HealthCheckPort            *string      `query:"HealthCheckPort"`
	HealthCheckEnabled         *bool        `query:"HealthCheckEnabled"`
	HealthCheckPath            *string      `query:"HealthCheckPath"`
	HealthCheckIntervalSeconds *int32       `query:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  *int32       `query:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      *int32       `query:"HealthyThresholdCount"`
	UnhealthyThresholdCount    *int32       `query:"UnhealthyThresholdCount"`
	Matcher                    *wireMatcher `query:"Matcher"`
}

type modifyTargetGroupInput struct {
	TargetGroupArn             *string      `query:"TargetGroupArn"`
	HealthCheckProtocol        *string      `query:"HealthCheckProtocol"`
	HealthCheckPort            *string      `query:"HealthCheckPort"`
	HealthCheckEnabled         *bool        `query:"HealthCheckEnabled"`
	HealthCheckPath            *string      `query:"HealthCheckPath"`
	HealthCheckIntervalSeconds *int32       `query:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  *int32       `query:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      *int32       `query:"HealthyThresholdCount"`
	UnhealthyThresholdCount    *int32       `query:"UnhealthyThresholdCount"`
	Matcher                    *wireMatcher `query:"Matcher"`
}

type describeTargetGroupsInput struct {
	LoadBalancerArn *string  `query:"LoadBalancerArn"`
	TargetGroupArns []string `query:"TargetGroupArns"`
	Names           []string `query:"Names"`
	Marker          *string  `query:"Marker"`
	PageSize        *int32   `query:"PageSize"`
}

type targetGroupARNInput struct {
	TargetGroupArn *string `query:"TargetGroupArn"`
}

type modifyTargetGroupAttributesInput struct {
	TargetGroupArn *string         `query:"TargetGroupArn"`
	Attributes     []wireAttribute `query:"Attributes"`
}

type targetGroupsOutput struct {
	TargetGroups list[wireTargetGroup] `xml:"TargetGroups"`
	NextMarker   *string               `xml:"NextMarker,omitempty"`
}

type wireTargetGroup struct {
	TargetGroupArn             string       `xml:"TargetGroupArn"`
	TargetGroupName            string       `xml:"TargetGroupName"`
	Protocol                   string       `xml:"Protocol"`
	Port                       int          `xml:"Port"`
	VpcID                      string       `xml:"VpcId"`
	HealthCheckProtocol        string       `xml:"HealthCheckProtocol"`
	HealthCheckPort            string       `xml:"HealthCheckPort"`
	HealthCheckEnabled         bool         `xml:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds int          `xml:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  int          `xml:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      int          `xml:"HealthyThresholdCount"`
	UnhealthyThresholdCount    int          `xml:"UnhealthyThresholdCount"`
	HealthCheckPath            string       `xml:"HealthCheckPath"`
	Matcher                    wireMatcher  `xml:"Matcher"`
	LoadBalancerArns           list[string] `xml:"LoadBalancerArns"`
	TargetType                 string       `xml:"TargetType"`
	ProtocolVersion            string       `xml:"ProtocolVersion"`
	IPAddressType              string       `xml:"IpAddressType"`
}

func (w wireHealthCheck) spec() (elb.HealthCheckSpec, error) {
	s := elb.HealthCheckSpec{
		Disable:  w.HealthCheckEnabled != nil && !*w.HealthCheckEnabled,
		Protocol: awsproto.Deref(w.HealthCheckProtocol), Port: awsproto.Deref(w.HealthCheckPort), Path: awsproto.Deref(w.HealthCheckPath),
		IntervalSeconds: given(w.HealthCheckIntervalSeconds), TimeoutSeconds: given(w.HealthCheckTimeoutSeconds),
		HealthyThreshold: given(w.HealthyThresholdCount), UnhealthyThreshold: given(w.UnhealthyThresholdCount),
	}
	for _, p := range []*string{w.HealthCheckProtocol, w.HealthCheckPort, w.HealthCheckPath} {
		if p != nil && *p == "" {
			return elb.HealthCheckSpec{}, errdefs.InvalidArgument("Health check settings must not be empty strings")
		}
	}
	if m := w.Matcher; m != nil {
		if m.GrpcCode != nil {
			return elb.HealthCheckSpec{}, errdefs.InvalidArgument("gRPC health check codes are not supported by fargo yet; use HttpCode")
		}
		if m.HTTPCode == nil || *m.HTTPCode == "" {
			return elb.HealthCheckSpec{}, errdefs.InvalidArgument("A matcher must have an HttpCode")
		}
		s.Matcher = *m.HTTPCode
	}
	return s, nil
}

func (in *createTargetGroupInput) spec() (elb.TargetGroupSpec, error) {
	name, err := required(in.Name, "name")
	if err != nil {
		return elb.TargetGroupSpec{}, err
	}
	hc, err := in.healthCheck().spec()
	if err != nil {
		return elb.TargetGroupSpec{}, err
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return elb.TargetGroupSpec{}, err
	}
	return elb.TargetGroupSpec{
		Name: name, Protocol: awsproto.Deref(in.Protocol), ProtocolVersion: awsproto.Deref(in.ProtocolVersion),
		Port: given(in.Port), VpcID: awsproto.Deref(in.VpcID), TargetType: awsproto.Deref(in.TargetType),
		IPAddressType: awsproto.Deref(in.IPAddressType), HealthCheck: hc, Tags: tags,
	}, nil
}

func targetGroupToWire(tg elb.TargetGroup, users []string) wireTargetGroup {
	hc := tg.HealthCheck
	return wireTargetGroup{
		TargetGroupArn: tg.ARN, TargetGroupName: tg.Name, Protocol: tg.Protocol, Port: tg.Port, VpcID: tg.VpcID,
		HealthCheckProtocol: hc.Protocol, HealthCheckPort: hc.Port, HealthCheckEnabled: hc.Enabled,
		HealthCheckIntervalSeconds: hc.IntervalSeconds, HealthCheckTimeoutSeconds: hc.TimeoutSeconds,
		HealthyThresholdCount: hc.HealthyThreshold, UnhealthyThresholdCount: hc.UnhealthyThreshold,
		HealthCheckPath: hc.Path, Matcher: wireMatcher{HTTPCode: ptr(hc.Matcher)},
		LoadBalancerArns: list[string](users), TargetType: tg.TargetType,
		ProtocolVersion: tg.ProtocolVersion, IPAddressType: tg.IPAddressType,
	}
}

func (in *createTargetGroupInput) healthCheck() wireHealthCheck {
	return wireHealthCheck{in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckEnabled, in.HealthCheckPath,
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher}
}

func (in *modifyTargetGroupInput) healthCheck() wireHealthCheck {
	return wireHealthCheck{in.HealthCheckProtocol, in.HealthCheckPort, in.HealthCheckEnabled, in.HealthCheckPath,
		in.HealthCheckIntervalSeconds, in.HealthCheckTimeoutSeconds, in.HealthyThresholdCount, in.UnhealthyThresholdCount, in.Matcher}
}
