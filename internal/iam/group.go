package iam

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Group is an IAM group; its members are recorded on the users (User.Groups).
type Group struct {
	Name       string
	Path       string
	ID         string
	CreateDate time.Time
	Policies   Policies
}

// NewGroup validates a CreateGroup request and returns the group.
func NewGroup(name, path, id string, now time.Time) (Group, error) {
	if err := CheckName("groupName", name, MaxGroupNameLen); err != nil {
		return Group{}, err
	}
	if err := CheckPath("path", path); err != nil {
		return Group{}, err
	}
	return Group{Name: name, Path: OrRoot(path), ID: id, CreateDate: now.UTC()}, nil
}

// ARN is the group's ARN in account.
func (g Group) ARN(account string) string { return EntityARN(account, "group", g.Path, g.Name) }

// GroupNotFound is the error of a group name that names no group.
func GroupNotFound(name string) error {
	return errdefs.Detail(ErrNoSuchEntity, "The group with name %s cannot be found.", name)
}

// GroupExists is the error of CreateGroup for a name that is taken.
func GroupExists(name string) error {
	return errdefs.Detail(ErrEntityAlreadyExists, "Group with name %s already exists.", name)
}

// ErrGroupHasMembers is the DeleteGroup error of a group with users.
var ErrGroupHasMembers = errdefs.Detail(ErrDeleteConflict, "Cannot delete entity, must remove users from group first.")
