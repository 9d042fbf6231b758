package ecrapi

// Wire shapes shared by several ECR operations. Wire types are named after the model's shape
// with a "wire" prefix (wireRepository for Repository); they carry JSON names exactly as the
// botocore model, pointer-optional strings, plain numbers and booleans where the model gives
// them a default (as the SDKs do), and never leave this package.

import (
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
)

type epochSeconds = awsproto.EpochSeconds

// wireTag is the model's Tag; ECR capitalises its members.
type wireTag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// wireRepository is the model's Repository.
type wireRepository struct {
	RepositoryArn                      *string                                 `json:"repositoryArn,omitempty"`
	RegistryID                         *string                                 `json:"registryId,omitempty"`
	RepositoryName                     *string                                 `json:"repositoryName,omitempty"`
	RepositoryURI                      *string                                 `json:"repositoryUri,omitempty"`
	CreatedAt                          *epochSeconds                           `json:"createdAt,omitempty"`
	ImageTagMutability                 *string                                 `json:"imageTagMutability,omitempty"`
	ImageTagMutabilityExclusionFilters []wireImageTagMutabilityExclusionFilter `json:"imageTagMutabilityExclusionFilters,omitempty"`
	ImageScanningConfiguration         *wireImageScanningConfiguration         `json:"imageScanningConfiguration,omitempty"`
	EncryptionConfiguration            *wireEncryptionConfiguration            `json:"encryptionConfiguration,omitempty"`
}

// wireImageTagMutabilityExclusionFilter is the model's ImageTagMutabilityExclusionFilter.
type wireImageTagMutabilityExclusionFilter struct {
	FilterType *string `json:"filterType,omitempty"`
	Filter     *string `json:"filter,omitempty"`
}

// wireImageScanningConfiguration is the model's ImageScanningConfiguration.
type wireImageScanningConfiguration struct {
	ScanOnPush bool `json:"scanOnPush"`
}

// wireEncryptionConfiguration is the model's EncryptionConfiguration.
type wireEncryptionConfiguration struct {
	EncryptionType *string `json:"encryptionType,omitempty"`
	KmsKey         *string `json:"kmsKey,omitempty"`
}

// wireImageIdentifier is the model's ImageIdentifier.
type wireImageIdentifier struct {
	ImageDigest *string `json:"imageDigest,omitempty"`
	ImageTag    *string `json:"imageTag,omitempty"`
}

// wireImageFailure is the model's ImageFailure.
type wireImageFailure struct {
	ImageID       *wireImageIdentifier `json:"imageId,omitempty"`
	FailureCode   *string              `json:"failureCode,omitempty"`
	FailureReason *string              `json:"failureReason,omitempty"`
}

// wireImage is the model's Image.
type wireImage struct {
	RegistryID             *string              `json:"registryId,omitempty"`
	RepositoryName         *string              `json:"repositoryName,omitempty"`
	ImageID                *wireImageIdentifier `json:"imageId,omitempty"`
	ImageManifest          *string              `json:"imageManifest,omitempty"`
	ImageManifestMediaType *string              `json:"imageManifestMediaType,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// optional returns a pointer to s, or nil for "", for members ECR leaves out when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *API) repositoryToWire(r ecr.Repository) *wireRepository {
	w := &wireRepository{
		RepositoryArn: ptr(a.repositoryARN(r.Name)), RegistryID: ptr(a.registryID()), RepositoryName: ptr(r.Name),
		RepositoryURI: ptr(a.cfg.RegistryHost + "/" + r.Name), CreatedAt: awsproto.Epoch(r.CreatedAt),
		ImageTagMutability:                 ptr(r.TagMutability),
		ImageTagMutabilityExclusionFilters: filtersToWire(r.MutabilityExclusions),
		ImageScanningConfiguration:         &wireImageScanningConfiguration{ScanOnPush: r.ScanOnPush},
		EncryptionConfiguration:            &wireEncryptionConfiguration{EncryptionType: ptr(r.EncryptionType), KmsKey: optional(r.KMSKey)},
	}
	return w
}

func filtersToWire(in []ecr.TagFilter) []wireImageTagMutabilityExclusionFilter {
	var out []wireImageTagMutabilityExclusionFilter
	for _, f := range in {
		out = append(out, wireImageTagMutabilityExclusionFilter{FilterType: ptr(f.Type), Filter: ptr(f.Filter)})
	}
	return out
}

func filtersFromWire(in []wireImageTagMutabilityExclusionFilter) []ecr.TagFilter {
	var out []ecr.TagFilter
	for _, f := range in {
		out = append(out, ecr.TagFilter{Type: awsproto.Deref(f.FilterType), Filter: awsproto.Deref(f.Filter)})
	}
	return out
}

func tagsFromWire(in []wireTag) []ecr.Tag {
	var out []ecr.Tag
	for _, t := range in {
		out = append(out, ecr.Tag{Key: awsproto.Deref(t.Key), Value: awsproto.Deref(t.Value)})
	}
	return out
}

func tagsToWire(in []ecr.Tag) []wireTag {
	out := []wireTag{}
	for _, t := range in {
		out = append(out, wireTag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}

func idFromWire(in wireImageIdentifier) ecr.ImageID {
	return ecr.ImageID{Digest: awsproto.Deref(in.ImageDigest), Tag: awsproto.Deref(in.ImageTag)}
}

func idToWire(id ecr.ImageID) *wireImageIdentifier {
	return &wireImageIdentifier{ImageDigest: optional(id.Digest), ImageTag: optional(id.Tag)}
}

func failureToWire(f ecr.ImageFailure) wireImageFailure {
	return wireImageFailure{ImageID: idToWire(f.ID), FailureCode: ptr(f.Code), FailureReason: ptr(f.Reason)}
}
