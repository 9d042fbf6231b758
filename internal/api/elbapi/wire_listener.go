package elbapi

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

type wireCertificate struct {
	CertificateArn *string `query:"CertificateArn" xml:"CertificateArn"`
	IsDefault      *bool   `query:"IsDefault" xml:"IsDefault,omitempty"`
}

type wireMutualAuthentication struct {
	Mode *string `query:"Mode"`
}

type createListenerInput struct {
	LoadBalancerArn      *string                   `query:"LoadBalancerArn"`
	Protocol             *string                   `query:"Protocol"`
	Port                 *int32                    `query:"Port"`
	SslPolicy            *string                   `query:"SslPolicy"`
	Certificates         []wireCertificate         `query:"Certificates"`
	DefaultActions       []wireAction              `query:"DefaultActions"`
	AlpnPolicy           []string                  `query:"AlpnPolicy"`
	Tags                 []wireTag                 `query:"Tags"`
	MutualAuthentication *wireMutualAuthentication `query:"MutualAuthentication"`
}

type modifyListenerInput struct {
	ListenerArn          *string                   `query:"ListenerArn"`
	Port                 *int32                    `query:"Port"`
	Protocol             *string                   `query:"Protocol"`
	SslPolicy            *string                   `query:"SslPolicy"`
	Certificates         []wireCertificate         `query:"Certificates"`
	DefaultActions       []wireAction              `query:"DefaultActions"`
	AlpnPolicy           []string                  `query:"AlpnPolicy"`
	MutualAuthentication *wireMutualAuthentication `query:"MutualAuthentication"`
}

type describeListenersInput struct {
	LoadBalancerArn *string  `query:"LoadBalancerArn"`
	ListenerArns    []string `query:"ListenerArns"`
	Marker          *string  `query:"Marker"`
	PageSize        *int32   `query:"PageSize"`
}

type listenerARNInput struct {
	ListenerArn *string `query:"ListenerArn"`
}

type listenersOutput struct {
	Listeners  list[wireListener] `xml:"Listeners"`
	NextMarker *string            `xml:"NextMarker,omitempty"`
}

type wireListener struct {
	ListenerArn     string                `xml:"ListenerArn"`
	LoadBalancerArn string                `xml:"LoadBalancerArn"`
	Port            int                   `xml:"Port"`
	Protocol        string                `xml:"Protocol"`
	Certificates    list[wireCertificate] `xml:"Certificates,omitempty"`
	SslPolicy       string                `xml:"SslPolicy,omitempty"`
	DefaultActions  list[wireAction]      `xml:"DefaultActions"`
}

func certificatesFromWire(in []wireCertificate) ([]string, error) {
	if in == nil {
		return nil, nil
	}
	out := make([]string, 0, len(in))
	for _, c := range in {
		arn, err := required(c.CertificateArn, "certificates.member.certificateArn")
		if err != nil {
			return nil, err
		}
		out = append(out, arn)
	}
	return out, nil
}

// checkMutualAuthentication accepts only mode "off": fargo has no trust stores.
func checkMutualAuthentication(m *wireMutualAuthentication) error {
	if m != nil && m.Mode != nil && *m.Mode != "off" {
		return errdefs.InvalidArgument("Mutual authentication mode '%s' is not supported by fargo yet; use off", clip(*m.Mode))
	}
	return nil
}

func (in *createListenerInput) spec() (elb.ListenerSpec, error) {
	if err := requireList(in.DefaultActions, "defaultActions"); err != nil {
		return elb.ListenerSpec{}, err
	}
	if err := checkMutualAuthentication(in.MutualAuthentication); err != nil {
		return elb.ListenerSpec{}, err
	}
	certs, err := certificatesFromWire(in.Certificates)
	if err != nil {
		return elb.ListenerSpec{}, err
	}
	tags, err := tagsFromWire(in.Tags)
	if err != nil {
		return elb.ListenerSpec{}, err
	}
	return elb.ListenerSpec{
		Port: given(in.Port), Protocol: awsproto.Deref(in.Protocol), SSLPolicy: awsproto.Deref(in.SslPolicy),
		Certificates: certs, HasAlpnPolicy: len(in.AlpnPolicy) > 0,
		DefaultActions: actionsFromWire(in.DefaultActions), Tags: tags,
	}, nil
}

func (in *modifyListenerInput) change() (elb.ListenerChange, error) {
	if err := checkMutualAuthentication(in.MutualAuthentication); err != nil {
		return elb.ListenerChange{}, err
	}
	certs, err := certificatesFromWire(in.Certificates)
	if err != nil {
		return elb.ListenerChange{}, err
	}
	return elb.ListenerChange{
		Port: given(in.Port), Protocol: awsproto.Deref(in.Protocol), SSLPolicy: awsproto.Deref(in.SslPolicy),
		Certificates: certs, HasAlpnPolicy: len(in.AlpnPolicy) > 0,
		DefaultActions: actionsFromWire(in.DefaultActions),
	}, nil
}

func listenerToWire(l elb.Listener, def elb.Rule) wireListener {
	w := wireListener{
		ListenerArn: l.ARN, LoadBalancerArn: l.LoadBalancerARN, Port: l.Port, Protocol: l.Protocol,
		SslPolicy: l.SSLPolicy, DefaultActions: actionsToWire(def.Actions),
	}
	for _, c := range l.Certificates {
		w.Certificates = append(w.Certificates, wireCertificate{CertificateArn: ptr(c.ARN)})
	}
	return w
}

type createRuleInput struct {
	ListenerArn *string         `query:"ListenerArn"`
	Conditions  []wireCondition `query:"Conditions"`
	Priority    *int32          `query:"Priority"`
	Actions     []wireAction    `query:"Actions"`
	Tags        []wireTag       `query:"Tags"`
	Transforms  []struct{}      `query:"Transforms"`
}

type modifyRuleInput struct {
	RuleArn         *string         `query:"RuleArn"`
	Conditions      []wireCondition `query:"Conditions"`
	Actions         []wireAction    `query:"Actions"`
	Transforms      []struct{}      `query:"Transforms"`
	ResetTransforms *bool           `query:"ResetTransforms"`
}

type describeRulesInput struct {
	ListenerArn *string  `query:"ListenerArn"`
	RuleArns    []string `query:"RuleArns"`
	Marker      *string  `query:"Marker"`
	PageSize    *int32   `query:"PageSize"`
}

type ruleARNInput struct {
	RuleArn *string `query:"RuleArn"`
}

type setRulePrioritiesInput struct {
	RulePriorities []wirePriorityPair `query:"RulePriorities"`
}

type wirePriorityPair struct {
	RuleArn  *string `query:"RuleArn"`
	Priority *int32  `query:"Priority"`
}

type rulesOutput struct {
	Rules      list[wireRule] `xml:"Rules"`
	NextMarker *string        `xml:"NextMarker,omitempty"`
}

type wireRule struct {
	RuleArn    string              `xml:"RuleArn"`
	Priority   string              `xml:"Priority"`
	Conditions list[wireCondition] `xml:"Conditions"`
	Actions    list[wireAction]    `xml:"Actions"`
	IsDefault  bool                `xml:"IsDefault"`
}

// noTransforms rejects rule transforms (host-header and URL rewrites), which fargo does not
// support yet.
func noTransforms(t []struct{}) error {
	if len(t) > 0 {
		return errdefs.InvalidArgument("Rule transforms are not supported by fargo yet")
	}
	return nil
}

func ruleToWire(r elb.Rule) wireRule {
	return wireRule{
		RuleArn: r.ARN, Priority: r.PriorityString(), Conditions: conditionsToWire(r.Conditions),
		Actions: actionsToWire(r.Actions), IsDefault: r.IsDefault,
	}
}
