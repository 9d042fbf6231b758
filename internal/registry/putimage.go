package registry

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/distribution/distribution/v3"
	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// PutImage stores a manifest as ECR's PutImage does: under tag, or by digest alone when tag is
// "". It returns the manifest's digest and media type. A manifest already stored under the
// same tag (or by digest, without one) is ecr.ErrImageAlreadyExists; an immutable tag that
// names another image is ecr.ErrImageTagAlreadyExists; missing layers or images are
// ecr.ErrLayersNotFound and ecr.ErrReferencedImagesMissing.
func (r *Registry) PutImage(ctx context.Context, name, tag, wantDigest, mediaType string, body []byte) (string, string, error) {
	if tag != "" && !ecr.ValidTag(tag) {
		return "", "", errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'imageTag' failed to satisfy constraint: 'must satisfy regular expression '[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}''")
	}
	if mediaType == "" {
		mediaType = detectMediaType(body)
	}
	man, desc, err := distribution.UnmarshalManifest(mediaType, body)
	if err != nil {
		return "", "", errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax or unsupported manifest media type: %v'", err)
	}
	// Only schema version 2 manifests are stored; others would fail deep in the store.
	if v := schemaVersion(body); v != 2 {
		return "", "", errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'ImageManifest' failed to satisfy constraint: 'Invalid JSON syntax or unsupported manifest media type: unrecognized manifest schema version %d'", v)
	}
	if wantDigest != "" && desc.Digest.String() != wantDigest {
		return "", "", errdefs.Detail(ecr.ErrImageDigestMismatch, "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'The specified digest %s does not match the digest %s of the manifest'", wantDigest, desc.Digest)
	}
	mediaType, _, _ = man.Payload()
	rec, err := r.repository(ctx, name)
	if err != nil {
		return "", "", err
	}
	unlock := r.lock(name)
	defer unlock()
	repo, ms, err := r.open(ctx, name)
	if err != nil {
		return "", "", err
	}
	if err := r.checkPut(ctx, rec, repo, ms, desc.Digest, tag); err != nil {
		return "", "", err
	}
	var options []distribution.ManifestServiceOption
	if tag != "" {
		options = append(options, distribution.WithTag(tag))
	}
	d, err := r.putManifestLocked(ctx, repo, ms, man, tag, options)
	var verification distribution.ErrManifestVerification
	if errors.As(err, &verification) {
		if isIndex(mediaType) {
			return "", "", errdefs.Detail(ecr.ErrReferencedImagesMissing, "Some of the images referenced by the manifest list or image index are not in the repository: %v", err)
		}
		return "", "", errdefs.Detail(ecr.ErrLayersNotFound, "Layers were not found in the repository: %v", err)
	}
	if err != nil {
		return "", "", err
	}
	return d.String(), mediaType, nil
}

// checkPut refuses a push that changes nothing, and a move of an immutable tag.
func (r *Registry) checkPut(ctx context.Context, rec ecr.Repository, repo distribution.Repository, ms distribution.ManifestService, d digest.Digest, tag string) error {
	if tag == "" {
		exists, err := ms.Exists(ctx, d)
		if err != nil {
			return err
		}
		if exists {
			return errdefs.Detail(ecr.ErrImageAlreadyExists, "Image with digest '%s' already exists in the repository with name '%s' in registry with id '%s'", d, rec.Name, r.deps.RegistryID)
		}
		return nil
	}
	cur, err := repo.Tags(ctx).Get(ctx, tag)
	if notFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur.Digest == d {
		return errdefs.Detail(ecr.ErrImageAlreadyExists, "Image with digest '%s' and tag '%s' already exists in the repository with name '%s' in registry with id '%s'", d, tag, rec.Name, r.deps.RegistryID)
	}
	return rec.CheckTagPush(tag, true)
}

// schemaVersion is the schemaVersion member of a manifest, 0 when it has none.
func schemaVersion(body []byte) int {
	var f struct {
		SchemaVersion int `json:"schemaVersion"`
	}
	_ = json.Unmarshal(body, &f) // UnmarshalManifest accepted the body
	return f.SchemaVersion
}

// detectMediaType reads the media type of a manifest from its mediaType member, as ECR does
// when PutImage names none; an OCI manifest or index may leave the member out.
func detectMediaType(body []byte) string {
	var f struct {
		MediaType string          `json:"mediaType"`
		Manifests json.RawMessage `json:"manifests"`
	}
	if json.Unmarshal(body, &f) != nil || f.MediaType != "" {
		return f.MediaType
	}
	if f.Manifests != nil {
		return v1.MediaTypeImageIndex
	}
	return v1.MediaTypeImageManifest
}
