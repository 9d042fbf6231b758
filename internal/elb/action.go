package elb

import (
	"regexp"
	"slices"
	"strconv"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Action types fargo serves.
const (
	ActionForward       = "forward"
	ActionFixedResponse = "fixed-response"
	ActionRedirect      = "redirect"
)

// Limits of actions.
const (
	// MaxTargetGroupsPerAction is how many target groups one forward action may weigh.
	MaxTargetGroupsPerAction = 5
	// MaxWeight is the largest weight of a target group in a forward action.
	MaxWeight = 999
	// DefaultWeight is the weight of a target group given without one.
	DefaultWeight = 1
	// MaxStickinessDuration is the longest target group stickiness, a week in seconds.
	MaxStickinessDuration = 604800
)

// Action is what a listener's default rule or a rule does with a matching request. Exactly one
// of Forward, FixedResponse and Redirect is set, as Type says.
type Action struct {
	Type string
	// Order is the action's order within its rule; 0 when the request gave none.
	Order         int
	Forward       Forward
	FixedResponse FixedResponse
	Redirect      Redirect
}

// Forward sends requests to target groups, chosen by weight. Both request forms (one
// TargetGroupArn, or a ForwardConfig) become this one.
type Forward struct {
	TargetGroups []WeightedTargetGroup
	// Stickiness pins a client to the target group it got first, for StickinessSeconds.
	Stickiness        bool
	StickinessSeconds int
}

// WeightedTargetGroup is a target group with its relative weight, 0-999.
type WeightedTargetGroup struct {
	ARN    string
	Weight int
}

// FixedResponse answers without a target.
type FixedResponse struct {
	// StatusCode is 2XX, 4XX or 5XX, as a string.
	StatusCode  string
	ContentType string
	MessageBody string
}

// Redirect answers with a redirect. Each part holds its value or a #{...} placeholder for the
// request's own; the defaults are ALB's (#{protocol}, #{host}, #{port}, /#{path}, #{query}).
type Redirect struct {
	Protocol, Host, Port, Path, Query string
	// StatusCode is HTTP_301 or HTTP_302.
	StatusCode string
}

// ActionSpec is one action as a request gives it: forward may name its group in
// TargetGroupARN, in Forward, or in both when they agree.
type ActionSpec struct {
	Type           string
	Order          int
	TargetGroupARN string
	// HasForwardConfig is set when the request sent a ForwardConfig.
	HasForwardConfig bool
	Forward          Forward
	// HasFixedResponse and HasRedirect are set when the request sent those configs.
	HasFixedResponse bool
	FixedResponse    FixedResponse
	HasRedirect      bool
	Redirect         Redirect
}

// TargetGroupARNs returns the target groups an action forwards to.
func (a Action) TargetGroupARNs() []string {
	out := make([]string, 0, len(a.Forward.TargetGroups))
	for _, g := range a.Forward.TargetGroups {
		out = append(out, g.ARN)
	}
	return out
}

// NewActions validates the actions of a rule or a listener's default actions. fargo serves
// one terminal action (forward, fixed-response or redirect) per rule; the authenticate actions
// that ALB allows before it are not supported yet.
func NewActions(specs []ActionSpec) ([]Action, error) {
	if len(specs) == 0 {
		return nil, invalidf("At least one action must be specified")
	}
	for _, s := range specs {
		switch s.Type {
		case ActionForward, ActionFixedResponse, ActionRedirect:
		case "authenticate-oidc", "authenticate-cognito", "jwt-validation":
			return nil, invalidf("Action type '%s' is not supported by fargo yet", s.Type)
		case "":
			return nil, invalidf("An action type must be specified")
		default:
			return nil, invalidf("Action type '%s' is not valid; use forward, fixed-response or redirect", clip(s.Type))
		}
	}
	if len(specs) > 1 {
		return nil, errdefs.Detail(ErrTooManyActions, "A rule can have only one forward, fixed-response or redirect action")
	}
	a, err := newAction(specs[0])
	if err != nil {
		return nil, err
	}
	return []Action{a}, nil
}

func newAction(s ActionSpec) (Action, error) {
	if s.Order != 0 && (s.Order < 1 || s.Order > 50000) {
		return Action{}, invalidf("Action order must be between 1 and 50000")
	}
	if s.Type != ActionForward && (s.TargetGroupARN != "" || s.HasForwardConfig) ||
		s.Type != ActionFixedResponse && s.HasFixedResponse || s.Type != ActionRedirect && s.HasRedirect {
		return Action{}, errdefs.Detail(ErrInvalidAction, "An action of type '%s' must carry only the configuration of its type", s.Type)
	}
	a := Action{Type: s.Type, Order: s.Order}
	var err error
	switch s.Type {
	case ActionForward:
		a.Forward, err = newForward(s)
	case ActionFixedResponse:
		if !s.HasFixedResponse {
			return Action{}, invalidf("A fixed-response action needs a FixedResponseConfig")
		}
		a.FixedResponse, err = s.FixedResponse.validated()
	case ActionRedirect:
		if !s.HasRedirect {
			return Action{}, invalidf("A redirect action needs a RedirectConfig")
		}
		a.Redirect, err = s.Redirect.withDefaults()
	}
	return a, err
}

func newForward(s ActionSpec) (Forward, error) {
	f := s.Forward
	switch {
	case !s.HasForwardConfig && s.TargetGroupARN == "":
		return Forward{}, invalidf("A forward action needs a TargetGroupArn or a ForwardConfig")
	case !s.HasForwardConfig:
		f = Forward{TargetGroups: []WeightedTargetGroup{{ARN: s.TargetGroupARN, Weight: DefaultWeight}}}
	case s.TargetGroupARN != "" && (len(f.TargetGroups) != 1 || f.TargetGroups[0].ARN != s.TargetGroupARN):
		return Forward{}, errdefs.Detail(ErrInvalidAction, "TargetGroupArn and ForwardConfig may be given together only when the ForwardConfig names that one target group")
	}
	if len(f.TargetGroups) == 0 {
		return Forward{}, invalidf("A ForwardConfig must name at least one target group")
	}
	if len(f.TargetGroups) > MaxTargetGroupsPerAction {
		return Forward{}, invalidf("A forward action can have at most %d target groups", MaxTargetGroupsPerAction)
	}
	for i, g := range f.TargetGroups {
		if _, err := ParseTargetGroupARN(g.ARN); err != nil {
			return Forward{}, err
		}
		if g.Weight < 0 || g.Weight > MaxWeight {
			return Forward{}, invalidf("Target group weights must be between 0 and %d", MaxWeight)
		}
		if slices.ContainsFunc(f.TargetGroups[:i], func(o WeightedTargetGroup) bool { return o.ARN == g.ARN }) {
			return Forward{}, invalidf("Target group '%s' is named more than once in one forward action", g.ARN)
		}
	}
	if !f.Stickiness {
		f.StickinessSeconds = 0
	} else if f.StickinessSeconds < 1 || f.StickinessSeconds > MaxStickinessDuration {
		return Forward{}, invalidf("Target group stickiness duration must be between 1 and %d seconds", MaxStickinessDuration)
	}
	f.TargetGroups = slices.Clone(f.TargetGroups)
	return f, nil
}

var (
	statusCodePattern   = regexp.MustCompile(`^[245]\d\d$`)
	fixedContentTypes   = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}
	redirectPortPattern = regexp.MustCompile(`^(#\{port\}|[1-9]\d{0,4})$`)
)

func (f FixedResponse) validated() (FixedResponse, error) {
	if !statusCodePattern.MatchString(f.StatusCode) {
		return FixedResponse{}, invalidf("Fixed response status code '%s' must be 2XX, 4XX or 5XX", clip(f.StatusCode))
	}
	if f.ContentType != "" && !slices.Contains(fixedContentTypes, f.ContentType) {
		return FixedResponse{}, invalidf("Fixed response content type '%s' must be one of text/plain, text/css, text/html, application/javascript, application/json", clip(f.ContentType))
	}
	if len(f.MessageBody) > 1024 {
		return FixedResponse{}, invalidf("Fixed response message body must be at most 1024 characters long")
	}
	return f, nil
}

func (r Redirect) withDefaults() (Redirect, error) {
	if r.StatusCode != "HTTP_301" && r.StatusCode != "HTTP_302" {
		return Redirect{}, invalidf("Redirect status code '%s' must be HTTP_301 or HTTP_302", clip(r.StatusCode))
	}
	r.Protocol = defaultString(r.Protocol, "#{protocol}")
	r.Host = defaultString(r.Host, "#{host}")
	r.Port = defaultString(r.Port, "#{port}")
	r.Path = defaultString(r.Path, "/#{path}")
	r.Query = defaultString(r.Query, "#{query}")
	switch r.Protocol {
	case "HTTP", "HTTPS", "#{protocol}":
	default:
		return Redirect{}, invalidf("Redirect protocol '%s' must be HTTP, HTTPS or #{protocol}", clip(r.Protocol))
	}
	if !redirectPortPattern.MatchString(r.Port) {
		return Redirect{}, invalidf("Redirect port '%s' must be a port from 1 to 65535 or #{port}", clip(r.Port))
	}
	if n, err := strconv.Atoi(r.Port); err == nil && n > 65535 {
		return Redirect{}, invalidf("Redirect port '%s' must be a port from 1 to 65535 or #{port}", r.Port)
	}
	if len(r.Host) > 128 || len(r.Path) > 128 || len(r.Query) > 128 || r.Path[0] != '/' {
		return Redirect{}, invalidf("Redirect host, path and query must be at most 128 characters long, and the path must start with '/'")
	}
	if r.Protocol == "#{protocol}" && r.Host == "#{host}" && r.Port == "#{port}" && r.Path == "/#{path}" && r.Query == "#{query}" {
		return Redirect{}, errdefs.Detail(ErrInvalidAction, "A redirect must change at least one of protocol, host, port, path or query; this one would redirect to itself")
	}
	return r, nil
}

// SameAction reports whether a and b do the same.
func SameAction(a, b Action) bool {
	return a.Type == b.Type && a.Order == b.Order && a.FixedResponse == b.FixedResponse && a.Redirect == b.Redirect &&
		a.Forward.Stickiness == b.Forward.Stickiness && a.Forward.StickinessSeconds == b.Forward.StickinessSeconds &&
		slices.Equal(a.Forward.TargetGroups, b.Forward.TargetGroups)
}
