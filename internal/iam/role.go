package iam

import (
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// Role is an IAM role: an identity that trusted principals (ECS tasks, CodeDeploy) assume. Its
// trust policy says who may assume it.
type Role struct {
	Name               string
	Path               string
	ID                 string
	CreateDate         time.Time
	AssumeRolePolicy   string
	Description        string
	MaxSessionDuration int
	Tags               []tagset.Tag
	Policies           Policies
}

// NewRole validates a CreateRole request and returns the role; maxSession 0 means the default
// hour.
func NewRole(r Role, now time.Time) (Role, error) {
	if err := CheckName("roleName", r.Name, MaxRoleNameLen); err != nil {
		return Role{}, err
	}
	if err := CheckPath("path", r.Path); err != nil {
		return Role{}, err
	}
	if err := CheckTrustPolicy(r.AssumeRolePolicy); err != nil {
		return Role{}, err
	}
	if len(r.Description) > MaxDescriptionLen {
		return Role{}, validation("description", r.Description, "Member must have length less than or equal to %d", MaxDescriptionLen)
	}
	if r.MaxSessionDuration == 0 {
		r.MaxSessionDuration = DefaultSessionSeconds
	}
	if r.MaxSessionDuration < 3600 || r.MaxSessionDuration > 43200 {
		return Role{}, errdefs.InvalidArgument("1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200", r.MaxSessionDuration)
	}
	if err := CheckTags(r.Tags); err != nil {
		return Role{}, err
	}
	r.Path, r.CreateDate = OrRoot(r.Path), now.UTC()
	return r, nil
}

// CheckTrustPolicy validates a role's trust policy document and its size.
func CheckTrustPolicy(doc string) error {
	if err := CheckDocument(doc); err != nil {
		return err
	}
	if size(doc) > MaxTrustPolicySize {
		return errdefs.Detail(ErrLimitExceeded, "Cannot exceed quota for ACLSizePerRole: %d", MaxTrustPolicySize)
	}
	return nil
}

// ARN is the role's ARN in account.
func (r Role) ARN(account string) string { return EntityARN(account, "role", r.Path, r.Name) }

// RoleNotFound is the error of a role name that names no role.
func RoleNotFound(name string) error {
	return errdefs.Detail(ErrNoSuchEntity, "The role with name %s cannot be found.", name)
}

// RoleExists is the error of CreateRole for a name that is taken.
func RoleExists(name string) error {
	return errdefs.Detail(ErrEntityAlreadyExists, "Role with name %s already exists.", name)
}
