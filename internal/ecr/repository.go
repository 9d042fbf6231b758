package ecr

import (
	"regexp"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/tagset"
)

// Tag mutability settings of a repository.
const (
	MutabilityMutable                = "MUTABLE"
	MutabilityImmutable              = "IMMUTABLE"
	MutabilityImmutableWithExclusion = "IMMUTABLE_WITH_EXCLUSION"
	MutabilityMutableWithExclusion   = "MUTABLE_WITH_EXCLUSION"
)

// Encryption types. fargo stores the setting and reports it; it does not encrypt the files of
// its registry storage.
const (
	EncryptionAES256  = "AES256"
	EncryptionKMS     = "KMS"
	EncryptionKMSDSSE = "KMS_DSSE"
)

// FilterWildcard is the one type of tag mutability exclusion filter.
const FilterWildcard = "WILDCARD"

// Limits of ECR.
const (
	MaxTags              = 50
	maxExclusionFilters  = 5
	maxExclusionFilter   = 128
	minRepositoryNameLen = 2
	maxRepositoryNameLen = 256
)

// repositoryNamePattern is the model's pattern for repository names: lower-case components
// separated by '.', '_', '__' or runs of '-', in path segments separated by '/'. It is the
// name grammar of the OCI distribution spec, so every ECR name is a valid registry name.
var repositoryNamePattern = regexp.MustCompile(`^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$`)

// exclusionFilterPattern is what a WILDCARD exclusion filter may hold.
var exclusionFilterPattern = regexp.MustCompile(`^[0-9a-zA-Z._*-]+$`)

// Tag is a key/value label on a repository.
type Tag = tagset.Tag

// TagFilter is a tag mutability exclusion filter: tags that match it get the opposite of the
// repository's mutability.
type TagFilter struct {
	Type   string
	Filter string
}

// Repository is an ECR repository. Its images are in the registry's storage, under the same
// name.
type Repository struct {
	Name      string
	CreatedAt time.Time
	// TagMutability is one of the Mutability constants; MUTABLE when created without one.
	TagMutability string
	// MutabilityExclusions apply to the *_WITH_EXCLUSION settings only.
	MutabilityExclusions []TagFilter
	ScanOnPush           bool
	EncryptionType       string
	KMSKey               string
	Tags                 []Tag
	// LifecyclePolicy is the policy's text as given, "" for none.
	LifecyclePolicy string
	// LifecycleEvaluatedAt is when the registry last applied the policy.
	LifecycleEvaluatedAt time.Time
	// Deleting marks a repository that DeleteRepository is removing: its images are being
	// deleted from storage and it no longer exists for clients. A repository of the same name
	// created later finishes the removal first, so no old image comes back.
	Deleting bool
}

// Settings are what CreateRepository takes besides the name.
type Settings struct {
	TagMutability        string
	MutabilityExclusions []TagFilter
	ScanOnPush           bool
	EncryptionType       string
	KMSKey               string
	Tags                 []Tag
}

// NewRepository checks name and s as ECR does and returns the repository, with ECR's
// defaults: MUTABLE tags and AES256 encryption.
func NewRepository(name string, s Settings, now time.Time) (Repository, error) {
	if err := CheckRepositoryName(name); err != nil {
		return Repository{}, err
	}
	r := Repository{Name: name, CreatedAt: now.UTC(), ScanOnPush: s.ScanOnPush, Tags: s.Tags}
	if err := r.SetTagMutability(s.TagMutability, s.MutabilityExclusions); err != nil {
		return Repository{}, err
	}
	if err := r.setEncryption(s.EncryptionType, s.KMSKey); err != nil {
		return Repository{}, err
	}
	if err := ValidateTags(s.Tags); err != nil {
		return Repository{}, err
	}
	return r, nil
}

// CheckRepositoryName checks a repository name against ECR's length and pattern.
func CheckRepositoryName(name string) error {
	if len(name) < minRepositoryNameLen || len(name) > maxRepositoryNameLen || !repositoryNamePattern.MatchString(name) {
		return errdefs.Detail(ErrInvalidParameter, "Invalid parameter at 'repositoryName' failed to satisfy constraint: "+
			"'must satisfy regular expression '%s' and be between %d and %d characters long'",
			strings.Trim(repositoryNamePattern.String(), "^$"), minRepositoryNameLen, maxRepositoryNameLen)
	}
	return nil
}

// SetTagMutability changes the repository's tag mutability; "" means MUTABLE. Exclusion filters
// go with the *_WITH_EXCLUSION settings only, and those need at least one.
func (r *Repository) SetTagMutability(mutability string, exclusions []TagFilter) error {
	if mutability == "" {
		mutability = MutabilityMutable
	}
	switch mutability {
	case MutabilityMutable, MutabilityImmutable:
		if len(exclusions) > 0 {
			return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: imageTagMutabilityExclusionFilters can only be specified with %s or %s.",
				MutabilityImmutableWithExclusion, MutabilityMutableWithExclusion)
		}
	case MutabilityImmutableWithExclusion, MutabilityMutableWithExclusion:
		if len(exclusions) == 0 {
			return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: %s needs at least one imageTagMutabilityExclusionFilters entry.", mutability)
		}
		if err := checkExclusions(exclusions); err != nil {
			return err
		}
	default:
		return errdefs.Detail(ErrInvalidParameter, "Invalid parameter at 'imageTagMutability' failed to satisfy constraint: 'Member must satisfy enum value set: [%s, %s, %s, %s]'",
			MutabilityMutable, MutabilityImmutable, MutabilityImmutableWithExclusion, MutabilityMutableWithExclusion)
	}
	r.TagMutability, r.MutabilityExclusions = mutability, exclusions
	return nil
}

func checkExclusions(filters []TagFilter) error {
	if len(filters) > maxExclusionFilters {
		return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: at most %d imageTagMutabilityExclusionFilters are allowed.", maxExclusionFilters)
	}
	for _, f := range filters {
		if f.Type != FilterWildcard {
			return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: the filterType of an exclusion filter must be %s.", FilterWildcard)
		}
		if len(f.Filter) == 0 || len(f.Filter) > maxExclusionFilter || !exclusionFilterPattern.MatchString(f.Filter) {
			return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: exclusion filter %q must be 1 to %d of the characters a-z, A-Z, 0-9, '.', '_', '-' and the wildcard '*'.", f.Filter, maxExclusionFilter)
		}
	}
	return nil
}

func (r *Repository) setEncryption(typ, key string) error {
	switch typ {
	case "":
		typ = EncryptionAES256
	case EncryptionAES256, EncryptionKMS, EncryptionKMSDSSE:
	default:
		return errdefs.Detail(ErrInvalidParameter, "Invalid parameter at 'encryptionType' failed to satisfy constraint: 'Member must satisfy enum value set: [%s, %s, %s]'",
			EncryptionAES256, EncryptionKMS, EncryptionKMSDSSE)
	}
	if key != "" && typ == EncryptionAES256 {
		return errdefs.Detail(ErrInvalidParameter, "Invalid parameter: kmsKey can only be specified when encryptionType is %s or %s.", EncryptionKMS, EncryptionKMSDSSE)
	}
	r.EncryptionType, r.KMSKey = typ, key
	return nil
}

// TagImmutable reports whether tag may not be moved once it exists.
func (r Repository) TagImmutable(tag string) bool {
	excluded := false
	for _, f := range r.MutabilityExclusions {
		if wildcardMatch(f.Filter, tag) {
			excluded = true
			break
		}
	}
	switch r.TagMutability {
	case MutabilityImmutable:
		return true
	case MutabilityImmutableWithExclusion:
		return !excluded
	case MutabilityMutableWithExclusion:
		return excluded
	}
	return false
}

// CheckTagPush refuses to point tag at a pushed image when the tag exists (exists) and the
// repository keeps it immutable. ECR refuses even when the tag already names the same image.
func (r Repository) CheckTagPush(tag string, exists bool) error {
	if exists && r.TagImmutable(tag) {
		return errdefs.Detail(ErrImageTagAlreadyExists, "The image tag '%s' already exists in the '%s' repository and cannot be overwritten because the repository is immutable.", tag, r.Name)
	}
	return nil
}

// wildcardMatch matches s against pattern, where '*' stands for any run of characters.
func wildcardMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return s == pattern
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// ValidateTags checks resource tags as ECR does: at most 50, keys 1-128 characters, values up
// to 256, no duplicate keys, and the aws: prefix reserved.
func ValidateTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return ErrTooManyTags
	}
	err := tagset.Validate(tags, tagset.Messages{
		KeyLength:   "Tag keys must be between 1 and 128 characters.",
		ValueLength: "Tag values must be at most 256 characters.",
		Reserved:    "Tag keys with the aws: prefix are reserved for AWS use.",
		Duplicate:   func(key string) error { return errdefs.InvalidArgument("The tag key %q is given more than once.", key) },
	})
	if err != nil {
		return errdefs.Detail(ErrInvalidTagParameter, "%s", errdefs.Message(err))
	}
	return nil
}

// RepositoryNotFound is the error for a repository that does not exist in registry.
func RepositoryNotFound(name, registry string) error {
	return errdefs.Detail(ErrRepositoryNotFound, "The repository with name '%s' does not exist in the registry with id '%s'", name, registry)
}

// RepositoryAlreadyExists is the error for creating a repository that exists.
func RepositoryAlreadyExists(name, registry string) error {
	return errdefs.Detail(ErrRepositoryAlreadyExists, "The repository with name '%s' already exists in the registry with id '%s'", name, registry)
}

// RepositoryNotEmpty is the error for deleting a repository with images without force.
func RepositoryNotEmpty(name, registry string) error {
	return errdefs.Detail(ErrRepositoryNotEmpty, "The repository with name '%s' in registry with id '%s' cannot be deleted because it still contains images", name, registry)
}

// MergeTags returns tags with add applied: existing keys take the new value, new keys are
// appended in the order given.
func MergeTags(tags, add []Tag) []Tag { return tagset.Merge(tags, add) }

// RemoveTags returns tags without the given keys.
func RemoveTags(tags []Tag, keys []string) []Tag { return tagset.Remove(tags, keys) }
