package iam

import (
	"io"
	"regexp"
	"strings"
	"unicode"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Limits of the model and of IAM's default quotas.
const (
	MaxUserNameLen        = 64
	MaxGroupNameLen       = 128
	MaxRoleNameLen        = 64
	MaxPolicyNameLen      = 128
	MaxPathLen            = 512
	MaxAccessKeysPerUser  = 2
	MaxAttachedPolicies   = 10 // per user, group or role
	MaxPolicyVersions     = 5
	MaxManagedPolicySize  = 6144  // characters without whitespace
	MaxUserInlineSize     = 2048  // all inline policies of a user, without whitespace
	MaxGroupInlineSize    = 5120  // of a group
	MaxRoleInlineSize     = 10240 // of a role
	MaxTrustPolicySize    = 2048
	MaxTagsPerEntity      = 50
	MaxDescriptionLen     = 1000
	DefaultSessionSeconds = 3600
)

var (
	namePattern       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathPattern       = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	policyPathPattern = regexp.MustCompile(`^((/[A-Za-z0-9.,+@=_-]+)*)/$`)
)

// Key is the store key of a name: IAM names are unique regardless of case ("John" and "john"
// are one user), so the key is the lower-case name.
func Key(name string) string { return strings.ToLower(name) }

// CheckName validates the name member field (userName, groupName, ...) against IAM's
// pattern and its length limit, with the model's validation message.
func CheckName(field, name string, maxLen int) error {
	if err := checkLength(field, name, 1, maxLen); err != nil {
		return err
	}
	if !namePattern.MatchString(name) {
		return validation(field, name, `Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	}
	return nil
}

// CheckPath validates the path of a user, group or role ("/" or "/a/b/"); "" means "/".
func CheckPath(field, path string) error {
	return checkPath(field, path, pathPattern, `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`)
}

// CheckPolicyPath validates the path of a managed policy, which allows fewer characters.
func CheckPolicyPath(field, path string) error {
	return checkPath(field, path, policyPathPattern, `((/[A-Za-z0-9\.,\+@=_-]+)*)/`)
}

func checkPath(field, path string, re *regexp.Regexp, shown string) error {
	if path == "" {
		return nil
	}
	if err := checkLength(field, path, 1, MaxPathLen); err != nil {
		return err
	}
	if !re.MatchString(path) {
		return validation(field, path, "Member must satisfy regular expression pattern: "+shown)
	}
	return nil
}

// OrRoot returns path, or "/" when it is empty.
func OrRoot(path string) string {
	if path == "" {
		return "/"
	}
	return path
}

func checkLength(field, v string, minLen, maxLen int) error {
	switch {
	case len(v) < minLen:
		return validation(field, v, "Member must have length greater than or equal to %d", minLen)
	case len(v) > maxLen:
		return validation(field, v, "Member must have length less than or equal to %d", maxLen)
	}
	return nil
}

// validation is the ValidationError of a member that breaks a constraint of the model.
func validation(field, value, constraint string, args ...any) error {
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: "+constraint,
		append([]any{clip(value), field}, args...)...)
}

// clip shortens client input echoed in a message.
func clip(s string) string {
	if len(s) > 128 {
		return s[:128] + "..."
	}
	return s
}

// size counts the characters of a policy document that IAM's size quotas count: all but
// whitespace.
func size(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// The prefixes of IAM's unique ids, which tell the kind of entity.
const (
	UserIDPrefix   = "AIDA"
	GroupIDPrefix  = "AGPA"
	RoleIDPrefix   = "AROA"
	PolicyIDPrefix = "ANPA"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// NewID returns a unique id of an entity: prefix and 17 characters from random, as
// AIDAJQABLZS4A3QDU576Q.
func NewID(prefix string, random io.Reader) (string, error) {
	var b [17]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", err
	}
	return encodeID(prefix, b[:]), nil
}

// encodeID writes the 17 bytes of b in the alphabet of IAM ids after prefix.
func encodeID(prefix string, b []byte) string {
	out := make([]byte, len(b))
	for i, v := range b {
		out[i] = idAlphabet[int(v)%len(idAlphabet)]
	}
	return prefix + string(out)
}
