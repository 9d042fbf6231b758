package iam

import (
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// User is an IAM user: a long-term identity with access keys.
type User struct {
	Name       string
	Path       string
	ID         string
	CreateDate time.Time
	Tags       []tagset.Tag
	// Groups are the keys (Key) of the groups the user is a member of, sorted.
	Groups []string
	// AccessKeys are the ids of the user's access keys.
	AccessKeys []string
	Policies   Policies
}

// NewUser validates a CreateUser request and returns the user.
func NewUser(name, path, id string, tags []tagset.Tag, now time.Time) (User, error) {
	if err := CheckName("userName", name, MaxUserNameLen); err != nil {
		return User{}, err
	}
	if err := CheckPath("path", path); err != nil {
		return User{}, err
	}
	if err := CheckTags(tags); err != nil {
		return User{}, err
	}
	return User{Name: name, Path: OrRoot(path), ID: id, CreateDate: now.UTC(), Tags: tags}, nil
}

// ARN is the user's ARN in account: arn:aws:iam::<account>:user<path><name>. IAM is global:
// its ARNs name no region.
func (u User) ARN(account string) string { return EntityARN(account, "user", u.Path, u.Name) }

// EntityARN is the ARN of an entity of kind (user, group, role, policy) with path and name.
func EntityARN(account, kind, path, name string) string {
	return "arn:aws:iam::" + account + ":" + kind + OrRoot(path) + name
}

// CheckDeletable refuses to delete a user that still has keys, policies or groups.
func (u User) CheckDeletable() error {
	if len(u.AccessKeys) > 0 {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete entity, must delete access keys first.")
	}
	if err := u.Policies.CheckDeletable(); err != nil {
		return err
	}
	if len(u.Groups) > 0 {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete entity, must remove users from group first.")
	}
	return nil
}

// AddKey records a new access key of the user, within the quota of keys per user.
func (u *User) AddKey(id string) error {
	if len(u.AccessKeys) >= MaxAccessKeysPerUser {
		return errdefs.Detail(ErrLimitExceeded, "Cannot exceed quota for AccessKeysPerUser: %d", MaxAccessKeysPerUser)
	}
	u.AccessKeys = append(u.AccessKeys, id)
	return nil
}

// RemoveKey forgets the access key id.
func (u *User) RemoveKey(id string) {
	u.AccessKeys = slices.DeleteFunc(u.AccessKeys, func(k string) bool { return k == id })
}

// Join makes the user a member of the group with key group; joining twice changes nothing.
func (u *User) Join(group string) {
	if i, found := slices.BinarySearch(u.Groups, group); !found {
		u.Groups = slices.Insert(u.Groups, i, group)
	}
}

// Leave removes the user from the group with key group, of which it must be a member.
func (u *User) Leave(group, groupName string) error {
	i, found := slices.BinarySearch(u.Groups, group)
	if !found {
		return errdefs.Detail(ErrNoSuchEntity, "The user with name %s cannot be found in group %s.", u.Name, groupName)
	}
	u.Groups = slices.Delete(u.Groups, i, i+1)
	return nil
}

// InGroup reports whether the user is a member of the group with key group.
func (u User) InGroup(group string) bool {
	_, found := slices.BinarySearch(u.Groups, group)
	return found
}

// UserNotFound is the error of a user name that names no user.
func UserNotFound(name string) error {
	return errdefs.Detail(ErrNoSuchEntity, "The user with name %s cannot be found.", name)
}

// UserExists is the error of CreateUser (and of a rename) for a name that is taken.
func UserExists(name string) error {
	return errdefs.Detail(ErrEntityAlreadyExists, "User with name %s already exists.", name)
}

// tagMessages are IAM's answers to tags it refuses.
var tagMessages = tagset.Messages{
	KeyLength:   "1 validation error detected: Value at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128",
	ValueLength: "1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
	Reserved:    "Tag keys starting with 'aws:' are reserved for internal use.",
	Duplicate: func(string) error {
		return errdefs.Detail(ErrInvalidInput, "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
	},
}

// CheckTags validates the tags of a request.
func CheckTags(tags []tagset.Tag) error {
	if len(tags) > MaxTagsPerEntity {
		return errdefs.Detail(ErrLimitExceeded, "The number of tags has reached the maximum limit.")
	}
	return tagset.Validate(tags, tagMessages)
}

// Tag adds or replaces tags, within the limit of tags per entity.
func Tag(cur, add []tagset.Tag) ([]tagset.Tag, error) {
	if err := tagset.Validate(add, tagMessages); err != nil {
		return nil, err
	}
	out := tagset.Merge(cur, add)
	if len(out) > MaxTagsPerEntity {
		return nil, errdefs.Detail(ErrLimitExceeded, "The number of tags has reached the maximum limit.")
	}
	return out, nil
}
