package elb

import (
	"strconv"
	"strings"
	"time"
)

// Target group attribute keys that fargo acts on.
const (
	AttrDeregistrationDelay = "deregistration_delay.timeout_seconds"
	AttrSlowStart           = "slow_start.duration_seconds"
	AttrStickinessEnabled   = "stickiness.enabled"
	AttrStickinessType      = "stickiness.type"
	AttrStickinessDuration  = "stickiness.lb_cookie.duration_seconds"
	AttrAlgorithm           = "load_balancing.algorithm.type"
	attrAnomalyMitigation   = "load_balancing.algorithm.anomaly_mitigation"

	AlgorithmRoundRobin               = "round_robin"
	AlgorithmLeastOutstandingRequests = "least_outstanding_requests"
	StickinessLBCookie                = "lb_cookie"
)

// tgAttributes are the attributes of an instance or ip target group of an application load
// balancer, with ALB's defaults. The data plane acts on deregistration delay, slow start,
// load-balancer cookie stickiness and the algorithm; the rest is stored and reported.
var tgAttributes = attributeSet{what: "Target group", specs: map[string]attributeSpec{
	AttrDeregistrationDelay:                  {def: "300", check: checkRange(0, 3600)},
	AttrStickinessEnabled:                    {def: "false", check: checkBool},
	AttrStickinessType:                       {def: StickinessLBCookie, check: checkStickinessType},
	AttrStickinessDuration:                   {def: "86400", check: checkRange(1, 604800)},
	"stickiness.app_cookie.cookie_name":      {check: checkAppCookieName},
	"stickiness.app_cookie.duration_seconds": {def: "86400", check: checkRange(1, 604800)},
	AttrSlowStart:                            {def: "0", check: checkSlowStart},
	AttrAlgorithm:                            {def: AlgorithmRoundRobin, check: checkAlgorithm},
	attrAnomalyMitigation:                    {def: "off", check: checkOneOf("off")},
	"load_balancing.cross_zone.enabled":      {def: "use_load_balancer_configuration", check: checkOneOf("true", "false", "use_load_balancer_configuration")},
	"target_group_health.dns_failover.minimum_healthy_targets.count":                 {def: "1", check: checkOffOr(1, 1000)},
	"target_group_health.dns_failover.minimum_healthy_targets.percentage":            {def: "off", check: checkOffOr(1, 100)},
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":      {def: "1", check: checkRange(1, 1000)},
	"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": {def: "off", check: checkOffOr(1, 100)},
}}

func checkSlowStart(v string) string {
	if n, err := strconv.Atoi(v); err != nil || n != 0 && (n < 30 || n > 900) {
		return "be 0 (off) or an integer from 30 to 900"
	}
	return ""
}

// checkStickinessType accepts lb_cookie only: the data plane has no application-cookie
// stickiness yet, and a client that asks for it should learn so rather than get another kind.
func checkStickinessType(v string) string {
	switch v {
	case StickinessLBCookie:
		return ""
	case "app_cookie":
		return "be lb_cookie: app_cookie stickiness is not supported by fargo yet"
	}
	return "be lb_cookie"
}

// checkAlgorithm accepts the algorithms the data plane implements.
func checkAlgorithm(v string) string {
	switch v {
	case AlgorithmRoundRobin, AlgorithmLeastOutstandingRequests:
		return ""
	case "weighted_random":
		return "be round_robin or least_outstanding_requests: weighted_random is not supported by fargo yet"
	}
	return "be round_robin or least_outstanding_requests"
}

func checkAppCookieName(v string) string {
	for _, reserved := range []string{"AWSALB", "AWSALBAPP", "AWSALBTG"} {
		if strings.HasPrefix(v, reserved) {
			return "not start with AWSALB, AWSALBAPP or AWSALBTG"
		}
	}
	return checkMaxLen(256)(v)
}

func checkOffOr(lo, hi int) func(string) string {
	inRange := checkRange(lo, hi)
	return func(v string) string {
		if v == "off" || inRange(v) == "" {
			return ""
		}
		return "be off or an integer from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
}

// WithAttributes returns tg with changes applied, as ModifyTargetGroupAttributes does.
func (tg TargetGroup) WithAttributes(changes []Attribute) (TargetGroup, error) {
	attrs, err := tgAttributes.apply(tg.Attributes, changes)
	if err != nil {
		return TargetGroup{}, err
	}
	tg.Attributes = attrs
	return tg, nil
}

// DeregistrationDelay bounds how long a deregistered target drains.
func (tg TargetGroup) DeregistrationDelay() time.Duration {
	return tg.Attributes.Seconds(AttrDeregistrationDelay)
}

// SlowStart is how long a newly healthy target's share of requests ramps up; 0 when off.
func (tg TargetGroup) SlowStart() time.Duration { return tg.Attributes.Seconds(AttrSlowStart) }

// Stickiness reports whether load-balancer cookie stickiness is on, and for how long a cookie
// pins a client to a target.
func (tg TargetGroup) Stickiness() (bool, time.Duration) {
	return tg.Attributes.Bool(AttrStickinessEnabled), tg.Attributes.Seconds(AttrStickinessDuration)
}

// Algorithm is round_robin or least_outstanding_requests.
func (tg TargetGroup) Algorithm() string { return tg.Attributes[AttrAlgorithm] }
