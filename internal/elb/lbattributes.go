package elb

import "github.com/fargohq/fargo/internal/errdefs"

// Load balancer attribute keys that fargo acts on.
const (
	AttrDeletionProtection = "deletion_protection.enabled"
	AttrIdleTimeout        = "idle_timeout.timeout_seconds"
	AttrHTTP2              = "routing.http2.enabled"
	AttrClientKeepAlive    = "client_keep_alive.seconds"
	AttrDenyAllIGWTraffic  = "ipv6.deny_all_igw_traffic"
	attrCrossZone          = "load_balancing.cross_zone.enabled"
)

// lbAttributes are the attributes of an application load balancer with ALB's defaults. fargo
// stores the logging, WAF and header-processing attributes so clients read back what they set;
// the data plane acts on the idle timeout, client keep-alive and HTTP/2.
var lbAttributes = attributeSet{what: "Load balancer", specs: map[string]attributeSpec{
	"access_logs.s3.enabled":                                   {def: "false", check: checkBool},
	"access_logs.s3.bucket":                                    {check: checkMaxLen(255)},
	"access_logs.s3.prefix":                                    {check: checkMaxLen(1024)},
	"connection_logs.s3.enabled":                               {def: "false", check: checkBool},
	"connection_logs.s3.bucket":                                {check: checkMaxLen(255)},
	"connection_logs.s3.prefix":                                {check: checkMaxLen(1024)},
	"health_check_logs.s3.enabled":                             {def: "false", check: checkBool},
	"health_check_logs.s3.bucket":                              {check: checkMaxLen(255)},
	"health_check_logs.s3.prefix":                              {check: checkMaxLen(1024)},
	AttrClientKeepAlive:                                        {def: "3600", check: checkRange(60, 604800)},
	AttrDeletionProtection:                                     {def: "false", check: checkBool},
	AttrIdleTimeout:                                            {def: "60", check: checkRange(1, 4000)},
	AttrDenyAllIGWTraffic:                                      {def: "false", check: checkBool},
	attrCrossZone:                                              {def: "true", check: checkOneOf("true")},
	"routing.http.desync_mitigation_mode":                      {def: "defensive", check: checkOneOf("monitor", "defensive", "strictest")},
	"routing.http.drop_invalid_header_fields.enabled":          {def: "false", check: checkBool},
	"routing.http.preserve_host_header.enabled":                {def: "false", check: checkBool},
	"routing.http.x_amzn_tls_version_and_cipher_suite.enabled": {def: "false", check: checkBool},
	"routing.http.xff_client_port.enabled":                     {def: "false", check: checkBool},
	"routing.http.xff_header_processing.mode":                  {def: "append", check: checkOneOf("append", "preserve", "remove")},
	AttrHTTP2:                    {def: "true", check: checkBool},
	"waf.fail_open.enabled":      {def: "false", check: checkBool},
	"zonal_shift.config.enabled": {def: "false", check: checkBool},
}}

// logBuckets pairs each "enabled" logging attribute with the bucket it needs.
var logBuckets = map[string]string{
	"access_logs.s3.enabled":       "access_logs.s3.bucket",
	"connection_logs.s3.enabled":   "connection_logs.s3.bucket",
	"health_check_logs.s3.enabled": "health_check_logs.s3.bucket",
}

// WithAttributes returns lb with changes applied, as ModifyLoadBalancerAttributes does: unknown
// keys are validation errors, values out of range invalid configurations, and enabled logs need
// a bucket.
func (lb LoadBalancer) WithAttributes(changes []Attribute) (LoadBalancer, error) {
	attrs, err := lbAttributes.apply(lb.Attributes, changes)
	if err != nil {
		return LoadBalancer{}, err
	}
	for enabled, bucket := range logBuckets {
		if attrs.Bool(enabled) && attrs[bucket] == "" {
			return LoadBalancer{}, errdefs.Detail(ErrInvalidConfiguration, "The value of '%s' cannot be empty when '%s' is true", bucket, enabled)
		}
	}
	lb.Attributes = attrs
	return lb, nil
}

// DeletionProtected reports whether DeleteLoadBalancer must refuse to delete lb.
func (lb LoadBalancer) DeletionProtected() bool { return lb.Attributes.Bool(AttrDeletionProtection) }
