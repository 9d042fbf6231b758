package iampolicy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Request is what Evaluate decides on: one action on one resource, and the request context
// that condition keys and policy variables read. The API layer fills it from the
// authenticated caller and the decoded request.
type Request struct {
	// Action is "service:Operation", for example "ecs:UpdateService"; matched
	// case-insensitively.
	Action string
	// Resource is the ARN the action is on, or "*" for actions without resource-level
	// permissions; matched case-sensitively.
	Resource string

	// The principal: its ARN (aws:PrincipalArn; a service principal gives its name, for
	// example "ecs-tasks.amazonaws.com"), account (aws:PrincipalAccount), the IAM user's name
	// (aws:username, empty for roles and the root), its unique id (aws:userid) and its tags
	// (aws:PrincipalTag/<key>).
	PrincipalARN     string
	PrincipalAccount string
	Username         string
	UserID           string
	PrincipalTags    map[string]string

	// ResourceTags are the tags of the resource (aws:ResourceTag/<key>); RequestTags those the
	// request sets (aws:RequestTag/<key>, aws:TagKeys).
	ResourceTags map[string]string
	RequestTags  map[string]string

	Region          string     // aws:RequestedRegion: the region the request was signed for
	SourceIP        netip.Addr // aws:SourceIp; absent when invalid
	SecureTransport bool       // aws:SecureTransport: the request came over TLS
	CurrentTime     time.Time  // aws:CurrentTime and aws:EpochTime; absent when zero

	// Keys holds the service's own condition keys, for example "iam:PassedToService" or
	// "ecs:cluster", each with its values. Names are matched case-insensitively.
	Keys map[string][]string
}

// keyKind tells where a condition key's values come from.
type keyKind uint8

const (
	keyService keyKind = iota // Request.Keys
	keyUsername
	keyUserID
	keyPrincipalARN
	keyPrincipalAccount
	keyPrincipalTag
	keyResourceTag
	keyRequestTag
	keyTagKeys
	keyRequestedRegion
	keySourceIP
	keySecureTransport
	keyCurrentTime
	keyEpochTime
)

// key is a compiled condition key or policy variable name.
type key struct {
	kind keyKind
	name string // keyService: the full name in lower case; tags: the tag key
}

var globalKeys = map[string]keyKind{
	"aws:username":         keyUsername,
	"aws:userid":           keyUserID,
	"aws:principalarn":     keyPrincipalARN,
	"aws:principalaccount": keyPrincipalAccount,
	"aws:tagkeys":          keyTagKeys,
	"aws:requestedregion":  keyRequestedRegion,
	"aws:sourceip":         keySourceIP,
	"aws:securetransport":  keySecureTransport,
	"aws:currenttime":      keyCurrentTime,
	"aws:epochtime":        keyEpochTime,
}

var tagKeys = []struct {
	prefix string
	kind   keyKind
}{
	{"aws:principaltag/", keyPrincipalTag},
	{"aws:resourcetag/", keyResourceTag},
	{"aws:requesttag/", keyRequestTag},
}

// parseKey compiles a condition key name; names are case-insensitive, tag keys keep their case
// for an exact lookup first.
func parseKey(name string) key {
	lower := strings.ToLower(name)
	if k, ok := globalKeys[lower]; ok {
		return key{kind: k}
	}
	for _, t := range tagKeys {
		if strings.HasPrefix(lower, t.prefix) {
			return key{kind: t.kind, name: name[len(t.prefix):]}
		}
	}
	return key{kind: keyService, name: lower}
}

// values are the values of a key in a request, without allocating for the single-valued keys.
type values struct {
	one   string
	many  []string
	multi bool
	time  time.Time // aws:CurrentTime
	ip    netip.Addr
}

func (v values) len() int {
	if v.multi {
		return len(v.many)
	}
	return 1
}

func (v values) str(i int) string {
	switch {
	case v.multi:
		return v.many[i]
	case !v.time.IsZero():
		return v.time.UTC().Format(time.RFC3339)
	case v.ip.IsValid():
		return v.ip.String()
	}
	return v.one
}

func single(s string) (values, bool) { return values{one: s}, s != "" }

// lookup returns the values of k in r; false when the key is absent from the request.
func (k key) lookup(r *Request) (values, bool) {
	switch k.kind {
	case keyUsername:
		return single(r.Username)
	case keyUserID:
		return single(r.UserID)
	case keyPrincipalARN:
		return single(r.PrincipalARN)
	case keyPrincipalAccount:
		return single(r.PrincipalAccount)
	case keyRequestedRegion:
		return single(r.Region)
	case keyPrincipalTag:
		return tag(r.PrincipalTags, k.name)
	case keyResourceTag:
		return tag(r.ResourceTags, k.name)
	case keyRequestTag:
		return tag(r.RequestTags, k.name)
	case keyTagKeys:
		return tagKeyValues(r.RequestTags)
	case keySourceIP:
		return values{ip: r.SourceIP}, r.SourceIP.IsValid()
	case keySecureTransport:
		return values{one: boolText(r.SecureTransport)}, true
	case keyCurrentTime:
		return values{time: r.CurrentTime}, !r.CurrentTime.IsZero()
	case keyEpochTime:
		return values{one: strconv.FormatInt(r.CurrentTime.Unix(), 10)}, !r.CurrentTime.IsZero()
	}
	return serviceKey(r.Keys, k.name)
}

// tag returns the value of the tag named name, which may be empty; tag keys in condition keys
// are case-insensitive.
func tag(tags map[string]string, name string) (values, bool) {
	if v, ok := tags[name]; ok {
		return values{one: v}, true
	}
	for k, v := range tags {
		if strings.EqualFold(k, name) {
			return values{one: v}, true
		}
	}
	return values{}, false
}

func tagKeyValues(tags map[string]string) (values, bool) {
	if len(tags) == 0 {
		return values{}, false
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	return values{many: keys, multi: true}, true
}

func serviceKey(keys map[string][]string, name string) (values, bool) {
	vs, ok := keys[name]
	if !ok {
		for k, v := range keys {
			if strings.EqualFold(k, name) {
				vs, ok = v, true
				break
			}
		}
	}
	return values{many: vs, multi: true}, ok && len(vs) > 0
}

// SetKey sets the condition key name to values, as a caller of IAM's policy simulator gives
// them (ContextEntries): a global key to its field, a tag key to its tags, any other key to
// Keys. A value that is not of the key's type (an address, a date, a boolean) is refused.
func (r *Request) SetKey(name string, values []string) error {
	k := parseKey(name)
	first := ""
	if len(values) > 0 {
		first = values[0]
	}
	switch k.kind {
	case keyUsername:
		r.Username = first
	case keyUserID:
		r.UserID = first
	case keyPrincipalARN:
		r.PrincipalARN = first
	case keyPrincipalAccount:
		r.PrincipalAccount = first
	case keyRequestedRegion:
		r.Region = first
	case keyPrincipalTag:
		r.PrincipalTags = withTag(r.PrincipalTags, k.name, first)
	case keyResourceTag:
		r.ResourceTags = withTag(r.ResourceTags, k.name, first)
	case keyRequestTag:
		r.RequestTags = withTag(r.RequestTags, k.name, first)
	case keyTagKeys:
		for _, v := range values {
			if _, ok := r.RequestTags[v]; !ok {
				r.RequestTags = withTag(r.RequestTags, v, "")
			}
		}
	case keySourceIP:
		return r.setSourceIP(first)
	case keySecureTransport:
		b, err := strconv.ParseBool(first)
		if err != nil {
			return fmt.Errorf("%s: %q is not a boolean", name, first)
		}
		r.SecureTransport = b
	case keyCurrentTime, keyEpochTime:
		t, ok := parseTime(first)
		if !ok {
			return fmt.Errorf("%s: %q is not a date", name, first)
		}
		r.CurrentTime = t
	default:
		if r.Keys == nil {
			r.Keys = map[string][]string{}
		}
		r.Keys[k.name] = values
	}
	return nil
}

func (r *Request) setSourceIP(s string) error {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return fmt.Errorf("aws:SourceIp: %q is not an IP address", s)
	}
	r.SourceIP = a
	return nil
}

func withTag(tags map[string]string, key, value string) map[string]string {
	if tags == nil {
		tags = map[string]string{}
	}
	tags[key] = value
	return tags
}
