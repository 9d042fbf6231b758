package iam

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// AWSAccount is the account part of the ARNs of AWS managed policies.
const AWSAccount = "aws"

// PolicyVersion is one version of a managed policy's document.
type PolicyVersion struct {
	ID         string // v1, v2, ...
	Document   string
	CreateDate time.Time
}

// ManagedPolicy is a standalone policy that can be attached to users, groups and roles: a
// customer managed policy of the account, or an AWS managed one (Account AWSAccount).
type ManagedPolicy struct {
	// Account is the account id of a customer managed policy, AWSAccount for an AWS one.
	Account     string
	Name        string
	Path        string
	ID          string
	Description string
	CreateDate  time.Time
	UpdateDate  time.Time
	// DefaultVersion is the id of the version in effect.
	DefaultVersion string
	// Versions are in the order created; at most MaxPolicyVersions.
	Versions []PolicyVersion
	// LastVersion is the number of the newest version ever created: IAM never reuses one.
	LastVersion int
	// AttachmentCount is how many users, groups and roles the policy is attached to; writes
	// that attach or detach it rewrite the policy in the same transaction.
	AttachmentCount int
	Tags            []tagset.Tag
}

// NewManagedPolicy validates a CreatePolicy request and returns the policy with its first
// version, v1, as default.
func NewManagedPolicy(p ManagedPolicy, doc string, now time.Time) (ManagedPolicy, error) {
	if err := CheckName("policyName", p.Name, MaxPolicyNameLen); err != nil {
		return ManagedPolicy{}, err
	}
	if err := CheckPolicyPath("path", p.Path); err != nil {
		return ManagedPolicy{}, err
	}
	if len(p.Description) > MaxDescriptionLen {
		return ManagedPolicy{}, validation("description", p.Description, "Member must have length less than or equal to %d", MaxDescriptionLen)
	}
	if err := CheckTags(p.Tags); err != nil {
		return ManagedPolicy{}, err
	}
	p.Path, p.CreateDate, p.UpdateDate = OrRoot(p.Path), now.UTC(), now.UTC()
	if _, err := p.AddVersion(doc, true, now); err != nil {
		return ManagedPolicy{}, err
	}
	return p, nil
}

// ARN is the policy's ARN; AWS managed policies are in account "aws".
func (p ManagedPolicy) ARN() string { return EntityARN(p.Account, "policy", p.Path, p.Name) }

// AddVersion adds a version with doc, the default one if setDefault, within the limit of
// versions per policy.
func (p *ManagedPolicy) AddVersion(doc string, setDefault bool, now time.Time) (PolicyVersion, error) {
	if err := CheckDocument(doc); err != nil {
		return PolicyVersion{}, err
	}
	if size(doc) > MaxManagedPolicySize {
		return PolicyVersion{}, errdefs.Detail(ErrLimitExceeded, "Cannot exceed quota for PolicySize: %d", MaxManagedPolicySize)
	}
	if len(p.Versions) >= MaxPolicyVersions {
		return PolicyVersion{}, errdefs.Detail(ErrLimitExceeded,
			"A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", MaxPolicyVersions)
	}
	p.LastVersion++
	v := PolicyVersion{ID: "v" + strconv.Itoa(p.LastVersion), Document: doc, CreateDate: now.UTC()}
	p.Versions = append(p.Versions, v)
	if setDefault {
		p.DefaultVersion, p.UpdateDate = v.ID, now.UTC()
	}
	return v, nil
}

// Version returns the version id of the policy.
func (p ManagedPolicy) Version(id string) (PolicyVersion, error) {
	i := slices.IndexFunc(p.Versions, func(v PolicyVersion) bool { return v.ID == id })
	if i < 0 {
		return PolicyVersion{}, errdefs.Detail(ErrNoSuchEntity, "Policy %s version %s does not exist or is not attachable.", p.ARN(), id)
	}
	return p.Versions[i], nil
}

// Default returns the version in effect.
func (p ManagedPolicy) Default() PolicyVersion {
	v, _ := p.Version(p.DefaultVersion)
	return v
}

// SetDefault makes version id the one in effect.
func (p *ManagedPolicy) SetDefault(id string, now time.Time) error {
	if err := checkVersionID(id); err != nil {
		return err
	}
	if _, err := p.Version(id); err != nil {
		return err
	}
	p.DefaultVersion, p.UpdateDate = id, now.UTC()
	return nil
}

// DeleteVersion removes version id, which must not be the default.
func (p *ManagedPolicy) DeleteVersion(id string) error {
	if err := checkVersionID(id); err != nil {
		return err
	}
	if _, err := p.Version(id); err != nil {
		return err
	}
	if id == p.DefaultVersion {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete the default version of a policy.")
	}
	p.Versions = slices.DeleteFunc(p.Versions, func(v PolicyVersion) bool { return v.ID == id })
	return nil
}

// CheckDeletable refuses to delete a policy that is attached or has versions besides the
// default one.
func (p ManagedPolicy) CheckDeletable() error {
	if p.AttachmentCount > 0 {
		return errdefs.Detail(ErrDeleteConflict, "Cannot delete a policy attached to entities.")
	}
	if len(p.Versions) > 1 {
		return errdefs.Detail(ErrDeleteConflict, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	}
	return nil
}

// IsAWS reports whether the policy is AWS managed.
func (p ManagedPolicy) IsAWS() bool { return p.Account == AWSAccount }

func checkVersionID(id string) error {
	n, ok := strings.CutPrefix(id, "v")
	if v, err := strconv.Atoi(n); !ok || err != nil || v < 1 || n[0] == '0' {
		return validation("versionId", id, `Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	}
	return nil
}

// PolicyRef is what a policy ARN names.
type PolicyRef struct {
	// Account is the account id, or AWSAccount for an AWS managed policy.
	Account string
	Path    string
	Name    string
}

// ParsePolicyARN reads a managed policy's ARN: arn:aws:iam::<account|aws>:policy<path><name>.
func ParsePolicyARN(arn string) (PolicyRef, error) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	account, resource, ok2 := strings.Cut(rest, ":")
	pathName, ok3 := strings.CutPrefix(resource, "policy/")
	if !ok || !ok2 || !ok3 || account == "" || pathName == "" || strings.HasSuffix(pathName, "/") {
		return PolicyRef{}, errdefs.Detail(ErrInvalidInput, "ARN %s is not valid.", clip(arn))
	}
	i := strings.LastIndex(pathName, "/")
	return PolicyRef{Account: account, Path: "/" + pathName[:i+1], Name: pathName[i+1:]}, nil
}

// PolicyNotFound is the error of a policy ARN that names no policy.
func PolicyNotFound(arn string) error {
	return errdefs.Detail(ErrNoSuchEntity, "Policy %s does not exist or is not attachable.", arn)
}

// PolicyExists is the error of CreatePolicy for a name that is taken.
func PolicyExists(name string) error {
	return errdefs.Detail(ErrEntityAlreadyExists, "A policy called %s already exists. Duplicate names are not allowed.", name)
}
