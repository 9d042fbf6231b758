package ecr

import (
	"regexp"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Tag statuses of image filters.
const (
	TagStatusTagged   = "TAGGED"
	TagStatusUntagged = "UNTAGGED"
	TagStatusAny      = "ANY"
)

// Image failure codes of the batch operations.
const (
	FailureInvalidImageDigest       = "InvalidImageDigest"
	FailureInvalidImageTag          = "InvalidImageTag"
	FailureTagDoesNotMatchDigest    = "ImageTagDoesNotMatchDigest"
	FailureImageNotFound            = "ImageNotFound"
	FailureMissingDigestAndTag      = "MissingDigestAndTag"
	FailureReferencedByManifestList = "ImageReferencedByManifestList"
)

// maxImageTag is the longest tag ECR takes.
const maxImageTag = 300

var (
	// digestPattern is a digest as registries write it: algorithm:hex.
	digestPattern = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$`)
	// tagPattern is the OCI distribution spec's tag grammar.
	tagPattern = regexp.MustCompile(`^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$`)
)

// Image is one manifest in a repository with the tags that point to it, as ECR describes an
// image. An image index (manifest list) is an image too, and so is each manifest it refers to.
type Image struct {
	Digest string
	// Tags point to the image, sorted.
	Tags []string
	// SizeBytes is the sum of the layers of an image manifest, or the largest of the images an
	// index refers to, as ECR counts it.
	SizeBytes int64
	PushedAt  time.Time
	// ManifestMediaType is the media type of the manifest itself.
	ManifestMediaType string
	// ArtifactMediaType is the media type of an image manifest's config.
	ArtifactMediaType string
	// References are the digests of the manifests an index refers to.
	References []string
	// Subject is the digest of the manifest an OCI artifact (a signature, an attestation)
	// refers to, "" for none.
	Subject string
}

// Tagged reports whether any tag points to the image.
func (i Image) Tagged() bool { return len(i.Tags) > 0 }

// ImageID names an image by digest, by tag, or by both.
type ImageID struct {
	Digest string
	Tag    string
}

// ValidDigest reports whether s has the form of a digest.
func ValidDigest(s string) bool { return digestPattern.MatchString(s) }

// ValidTag reports whether s is a tag the registry can hold: ECR's length limit and the
// distribution spec's grammar.
func ValidTag(s string) bool { return len(s) <= maxImageTag && tagPattern.MatchString(s) }

// CheckTagStatus checks a filter's tag status; "" means ANY.
func CheckTagStatus(status string) (string, error) {
	switch status {
	case "":
		return TagStatusAny, nil
	case TagStatusTagged, TagStatusUntagged, TagStatusAny:
		return status, nil
	}
	return "", errdefs.Detail(ErrInvalidParameter, "Invalid parameter at 'filter.tagStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [%s, %s, %s]'",
		TagStatusTagged, TagStatusUntagged, TagStatusAny)
}

// MatchesTagStatus reports whether the image passes a filter of status.
func (i Image) MatchesTagStatus(status string) bool {
	switch status {
	case TagStatusTagged:
		return i.Tagged()
	case TagStatusUntagged:
		return !i.Tagged()
	}
	return true
}

// Referenced returns the digests that an index among images refers to.
func Referenced(images []Image) map[string]bool {
	out := map[string]bool{}
	for _, img := range images {
		for _, d := range img.References {
			out[d] = true
		}
	}
	return out
}

// Find returns the image id names among images: by digest, by tag, or by both when they agree.
// The failure code says why there is none.
func Find(images []Image, id ImageID) (Image, string) {
	switch {
	case id.Digest == "" && id.Tag == "":
		return Image{}, FailureMissingDigestAndTag
	case id.Digest != "" && !ValidDigest(id.Digest):
		return Image{}, FailureInvalidImageDigest
	case id.Tag != "" && !ValidTag(id.Tag):
		return Image{}, FailureInvalidImageTag
	}
	for _, img := range images {
		digestOK := id.Digest == "" || img.Digest == id.Digest
		tagOK := id.Tag == "" || slices.Contains(img.Tags, id.Tag)
		if digestOK && tagOK {
			return img, ""
		}
		if id.Digest != "" && id.Tag != "" && (digestOK || tagOK) {
			return Image{}, FailureTagDoesNotMatchDigest
		}
	}
	return Image{}, FailureImageNotFound
}

// FailureReason is ECR's text for a failure code.
func FailureReason(code string) string {
	switch code {
	case FailureInvalidImageDigest:
		return "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'"
	case FailureInvalidImageTag:
		return "Invalid request parameters: image tag should satisfy the regex '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}'"
	case FailureTagDoesNotMatchDigest:
		return "Invalid request parameters: image tag and digest do not match"
	case FailureMissingDigestAndTag:
		return "Invalid request parameters: both tag and digest cannot be null"
	case FailureReferencedByManifestList:
		return "Requested image referenced by manifest list"
	}
	return "Requested image not found"
}

// Layer is a blob of a repository as BatchCheckLayerAvailability reports it.
type Layer struct {
	Digest    string
	Size      int64
	Available bool
}
