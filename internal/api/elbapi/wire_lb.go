package elbapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

type createLoadBalancerInput struct {
	Name           *string             `query:"Name"`
	Subnets        []string            `query:"Subnets"`
	SubnetMappings []wireSubnetMapping `query:"SubnetMappings"`
	SecurityGroups []string            `query:"SecurityGroups"`
	Scheme         *string             `query:"Scheme"`
	Tags           []wireTag           `query:"Tags"`
	Type           *string             `query:"Type"`
	IPAddressType  *string             `query:"IpAddressType"`
}

type wireSubnetMapping struct {
	SubnetID *string `query:"SubnetId"`
}

type describeLoadBalancersInput struct {
	LoadBalancerArns []string `query:"LoadBalancerArns"`
	Names            []string `query:"Names"`
	Marker           *string  `query:"Marker"`
	PageSize         *int32   `query:"PageSize"`
}

type loadBalancerARNInput struct {
	LoadBalancerArn *string `query:"LoadBalancerArn"`
}

type modifyLoadBalancerAttributesInput struct {
	LoadBalancerArn *string         `query:"LoadBalancerArn"`
	Attributes      []wireAttribute `query:"Attributes"`
}

type loadBalancersOutput struct {
	LoadBalancers list[wireLoadBalancer] `xml:"LoadBalancers"`
	NextMarker    *string                `xml:"NextMarker,omitempty"`
}

type wireLoadBalancer struct {
	LoadBalancerArn       string         `xml:"LoadBalancerArn"`
	DNSName               string         `xml:"DNSName"`
	CanonicalHostedZoneID string         `xml:"CanonicalHostedZoneId"`
	CreatedTime           string         `xml:"CreatedTime"`
	LoadBalancerName      string         `xml:"LoadBalancerName"`
	Scheme                string         `xml:"Scheme"`
	VpcID                 string         `xml:"VpcId"`
	State                 wireLBState    `xml:"State"`
	Type                  string         `xml:"Type"`
	AvailabilityZones     list[wireZone] `xml:"AvailabilityZones"`
	SecurityGroups        list[string]   `xml:"SecurityGroups"`
	IPAddressType         string         `xml:"IpAddressType"`
}

type wireLBState struct {
	Code   string `xml:"Code"`
	Reason string `xml:"Reason,omitempty"`
}

type wireZone struct {
	ZoneName              string         `xml:"ZoneName"`
	SubnetID              string         `xml:"SubnetId,omitempty"`
	LoadBalancerAddresses list[struct{}] `xml:"LoadBalancerAddresses"`
}

func (in *createLoadBalancerInput) spec() (elb.LoadBalancerSpec, error) {
	name, err := required(in.Name, "name")
	if err != nil {
		return elb.LoadBalancerSpec{}, err
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return elb.LoadBalancerSpec{}, err
	}
	spec := elb.LoadBalancerSpec{
		Name: name, Type: awsproto.Deref(in.Type), Scheme: awsproto.Deref(in.Scheme), IPAddressType: awsproto.Deref(in.IPAddressType),
		Subnets: in.Subnets, SecurityGroups: in.SecurityGroups, Tags: tags,
	}
	if len(in.Subnets) > 0 && len(in.SubnetMappings) > 0 {
		return elb.LoadBalancerSpec{}, errdefs.InvalidArgument("You can specify subnets or subnet mappings, not both")
	}
	for _, m := range in.SubnetMappings {
		id, err := required(m.SubnetID, "subnetMappings.member.subnetId")
		if err != nil {
			return elb.LoadBalancerSpec{}, err
		}
		spec.Subnets = append(spec.Subnets, id)
	}
	return spec, nil
}

func (a *API) loadBalancerToWire(lb elb.LoadBalancer) wireLoadBalancer {
	w := wireLoadBalancer{
		LoadBalancerArn: lb.ARN, DNSName: a.dnsName(), CanonicalHostedZoneID: hostedZoneID,
		CreatedTime: timestamp(lb.CreatedTime), LoadBalancerName: lb.Name, Scheme: lb.Scheme,
		VpcID: lb.VpcID, State: wireLBState{Code: lb.State}, Type: lb.Type,
		AvailabilityZones: list[wireZone]{}, SecurityGroups: list[string](lb.SecurityGroups),
		IPAddressType: lb.IPAddressType,
	}
	for _, z := range lb.Zones {
		w.AvailabilityZones = append(w.AvailabilityZones, wireZone{ZoneName: z.Name, SubnetID: z.SubnetID, LoadBalancerAddresses: list[struct{}]{}})
	}
	return w
}
