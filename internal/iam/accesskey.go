package iam

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// KeyStatus is whether an access key may sign requests.
type KeyStatus string

// The statuses of an access key.
const (
	KeyActive   KeyStatus = "Active"
	KeyInactive KeyStatus = "Inactive"
)

// ParseKeyStatus checks a status given by a client.
func ParseKeyStatus(s string) (KeyStatus, error) {
	switch KeyStatus(s) {
	case KeyActive, KeyInactive:
		return KeyStatus(s), nil
	}
	return "", validation("status", s, "Member must satisfy enum value set: [Active, Inactive]")
}

// AccessKey is an IAM user's access key. The secret is sealed (encrypted with a key that is
// not in the store) and never kept here in plain text.
type AccessKey struct {
	ID         string
	UserName   string
	Status     KeyStatus
	CreateDate time.Time
	// SealedSecret is the secret access key, encrypted; see internal/credentials.Box.
	SealedSecret []byte
}

// KeyUse is when and where an access key was last used to sign a request.
type KeyUse struct {
	LastUsed time.Time
	Service  string
	Region   string
}

// AccessKeyNotFound is the error of an access key id that names no key of the user.
func AccessKeyNotFound(id string) error {
	return errdefs.Detail(ErrNoSuchEntity, "The Access Key with id %s cannot be found.", id)
}
