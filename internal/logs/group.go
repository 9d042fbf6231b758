package logs

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// The log group classes. DELIVERY, for logs that AWS services deliver, has no use here.
const (
	ClassStandard         = "STANDARD"
	ClassInfrequentAccess = "INFREQUENT_ACCESS"
	ClassDelivery         = "DELIVERY"
)

// maxNameLength bounds group and stream names.
const maxNameLength = 512

// retentionDays are the values PutRetentionPolicy accepts, in CloudWatch's order.
var retentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Group is a log group that a client created, or whose settings a client changed. Groups that
// only container output implies have no Group.
type Group struct {
	Name      string
	CreatedAt time.Time
	// RetentionDays is how many days events are kept; 0 keeps them forever.
	RetentionDays int
	// Class is ClassStandard or ClassInfrequentAccess.
	Class string
	Tags  map[string]string
}

// Stream is a log stream that a client created or wrote to.
type Stream struct {
	Group     string
	Name      string
	CreatedAt time.Time
	// ID names the stream's events in the event store. Every stream gets a new one, so that a
	// stream deleted and created again never shows the old one's events.
	ID string
}

// NewGroup returns a new group with a checked name and class (ClassStandard when empty).
func NewGroup(name, class string, tags map[string]string, now time.Time) (Group, error) {
	if err := CheckGroupName(name); err != nil {
		return Group{}, err
	}
	switch class {
	case "":
		class = ClassStandard
	case ClassStandard, ClassInfrequentAccess:
	case ClassDelivery:
		return Group{}, errdefs.InvalidArgument("fargo does not serve log groups of class DELIVERY: use STANDARD or INFREQUENT_ACCESS.")
	default:
		return Group{}, errdefs.InvalidArgument("1 validation error detected: Value '%s' at 'logGroupClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]", class)
	}
	if len(tags) > 50 {
		return Group{}, errdefs.InvalidArgument("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	return Group{Name: name, CreatedAt: now, Class: class, Tags: tags}, nil
}

// CheckGroupName checks a log group name as CloudWatch does: 1 to 512 characters of
// [.-_/#A-Za-z0-9], not starting with aws/ (in any case).
func CheckGroupName(name string) error {
	if err := checkName("logGroupName", name, validGroupRune, `[\.\-_/#A-Za-z0-9]+`); err != nil {
		return err
	}
	if strings.HasPrefix(strings.ToLower(name), "aws/") {
		return errdefs.InvalidArgument("Log groups starting with AWS/ are reserved for AWS.")
	}
	return nil
}

// CheckStreamName checks a log stream name: 1 to 512 characters, neither ':' nor '*'.
func CheckStreamName(name string) error {
	return checkName("logStreamName", name, func(r rune) bool { return r != ':' && r != '*' }, `[^:*]*`)
}

func checkName(member, name string, valid func(rune) bool, pattern string) error {
	switch {
	case name == "":
		return errdefs.InvalidArgument("1 validation error detected: Value '' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", member)
	case len(name) > maxNameLength:
		return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", name, member, maxNameLength)
	case strings.IndexFunc(name, func(r rune) bool { return !valid(r) }) >= 0:
		return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", name, member, pattern)
	}
	return nil
}

func validGroupRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-/#", r)
}

// CheckRetention checks a retentionInDays value against the values CloudWatch allows.
func CheckRetention(days int) error {
	if slices.Contains(retentionDays, days) {
		return nil
	}
	values := make([]string, len(retentionDays))
	for i, d := range retentionDays {
		values[i] = strconv.Itoa(d)
	}
	return errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [%s]", days, strings.Join(values, ", "))
}

// Cutoff returns the time before which the group's events have expired at now, or the zero
// time when they never expire.
func (g Group) Cutoff(now time.Time) time.Time {
	return Cutoff(g.RetentionDays, now)
}

// Cutoff returns the time before which events expire at now under a retention of days (0: no
// retention, the zero time).
func Cutoff(days int, now time.Time) time.Time {
	if days <= 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(days) * 24 * time.Hour)
}
