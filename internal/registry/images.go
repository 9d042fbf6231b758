package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/distribution/distribution/v3"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Media types of manifests that refer to other manifests.
const (
	mediaTypeOCIIndex   = v1.MediaTypeImageIndex
	mediaTypeDockerList = "application/vnd.docker.distribution.manifest.list.v2+json"
)

// open returns distribution's storage of repository name.
func (r *Registry) open(ctx context.Context, name string) (distribution.Repository, distribution.ManifestService, error) {
	named, err := reference.WithName(name)
	if err != nil {
		return nil, nil, errdefs.Detail(ecr.ErrInvalidParameter, "The repository name %q is not valid: %v", name, err)
	}
	repo, err := r.ns.Repository(ctx, named)
	if err != nil {
		return nil, nil, err
	}
	ms, err := repo.Manifests(ctx)
	if err != nil {
		return nil, nil, err
	}
	return repo, ms, nil
}

// Images returns the images of repository name, sorted by digest: every manifest with the tags
// that point to it, its size and media types, and when it was pushed (the time its revision
// was linked into the repository).
func (r *Registry) Images(ctx context.Context, name string) ([]ecr.Image, error) {
	repo, ms, err := r.open(ctx, name)
	if err != nil {
		return nil, err
	}
	enum, ok := ms.(distribution.ManifestEnumerator)
	if !ok {
		return nil, errors.New("registry: manifests cannot be enumerated")
	}
	var digests []digest.Digest
	err = enum.Enumerate(ctx, func(d digest.Digest) error { digests = append(digests, d); return nil })
	if err != nil && !notFound(err) {
		return nil, fmt.Errorf("list manifests of %s: %w", name, err)
	}
	tagsOf, err := r.tagsByDigest(ctx, repo)
	if err != nil {
		return nil, err
	}
	images := make([]ecr.Image, 0, len(digests))
	for _, d := range digests {
		img, err := r.describe(ctx, name, ms, d)
		if notFound(err) {
			continue // deleted while listing
		}
		if err != nil {
			return nil, err
		}
		img.Tags = tagsOf[d]
		images = append(images, img)
	}
	indexSizes(images)
	sort.Slice(images, func(i, j int) bool { return images[i].Digest < images[j].Digest })
	return images, nil
}

func (r *Registry) tagsByDigest(ctx context.Context, repo distribution.Repository) (map[digest.Digest][]string, error) {
	ts := repo.Tags(ctx)
	all, err := ts.All(ctx)
	if err != nil {
		if notFound(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("list tags: %w", err)
	}
	out := map[digest.Digest][]string{}
	for _, tag := range all {
		desc, err := ts.Get(ctx, tag)
		if notFound(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read tag %s: %w", tag, err)
		}
		out[desc.Digest] = append(out[desc.Digest], tag)
	}
	return out, nil
}

// manifestFields are the members of image manifests and indexes that ECR reports on.
type manifestFields struct {
	MediaType    string          `json:"mediaType"`
	ArtifactType string          `json:"artifactType"`
	Config       v1.Descriptor   `json:"config"`
	Layers       []v1.Descriptor `json:"layers"`
	Manifests    []v1.Descriptor `json:"manifests"`
	Subject      *v1.Descriptor  `json:"subject"`
}

func (r *Registry) describe(ctx context.Context, name string, ms distribution.ManifestService, d digest.Digest) (ecr.Image, error) {
	man, err := ms.Get(ctx, d)
	if err != nil {
		return ecr.Image{}, err
	}
	mediaType, payload, err := man.Payload()
	if err != nil {
		return ecr.Image{}, err
	}
	var f manifestFields
	if err := json.Unmarshal(payload, &f); err != nil {
		return ecr.Image{}, fmt.Errorf("manifest %s: %w", d, err)
	}
	img := ecr.Image{Digest: d.String(), ManifestMediaType: mediaType}
	if isIndex(mediaType) {
		for _, m := range f.Manifests {
			img.References = append(img.References, m.Digest.String())
		}
	} else {
		img.ArtifactMediaType = f.Config.MediaType
		if f.ArtifactType != "" {
			img.ArtifactMediaType = f.ArtifactType
		}
		for _, l := range f.Layers {
			img.SizeBytes += l.Size
		}
	}
	if f.Subject != nil {
		img.Subject = f.Subject.Digest.String()
	}
	fi, err := r.driver.Stat(ctx, revisionPath(name, d.String()))
	if err != nil {
		return ecr.Image{}, err
	}
	img.PushedAt = fi.ModTime().UTC()
	return img, nil
}

func isIndex(mediaType string) bool {
	return mediaType == mediaTypeOCIIndex || mediaType == mediaTypeDockerList
}

// indexSizes gives each index the size of the largest image it refers to, as ECR does.
func indexSizes(images []ecr.Image) {
	size := map[string]int64{}
	for _, img := range images {
		size[img.Digest] = img.SizeBytes
	}
	for i, img := range images {
		for _, d := range img.References {
			images[i].SizeBytes = max(images[i].SizeBytes, size[d])
		}
	}
}

// Manifest returns the media type and the bytes of the manifest digest in repository name.
func (r *Registry) Manifest(ctx context.Context, name, dgst string) (string, []byte, error) {
	_, ms, err := r.open(ctx, name)
	if err != nil {
		return "", nil, err
	}
	d, err := digest.Parse(dgst)
	if err != nil {
		return "", nil, ecr.ErrImageNotFound
	}
	man, err := ms.Get(ctx, d)
	if notFound(err) {
		return "", nil, ecr.ErrImageNotFound
	}
	if err != nil {
		return "", nil, err
	}
	return man.Payload()
}

// DeleteImages deletes ids from repository name as BatchDeleteImage does (ecr.PlanDelete) and
// returns what it did.
func (r *Registry) DeleteImages(ctx context.Context, name string, ids []ecr.ImageID) (ecr.DeletePlan, error) {
	unlock := r.lock(name)
	defer unlock()
	images, err := r.Images(ctx, name)
	if err != nil {
		return ecr.DeletePlan{}, err
	}
	plan := ecr.PlanDelete(images, ids)
	repo, ms, err := r.open(ctx, name)
	if err != nil {
		return ecr.DeletePlan{}, err
	}
	for _, tag := range plan.Untag {
		if err := repo.Tags(ctx).Untag(ctx, tag); err != nil && !notFound(err) {
			return ecr.DeletePlan{}, fmt.Errorf("untag %s: %w", tag, err)
		}
	}
	for _, d := range plan.Delete {
		if err := deleteImage(ctx, repo, ms, images, d); err != nil {
			return ecr.DeletePlan{}, err
		}
	}
	return plan, nil
}

// deleteImage removes the tags of image d, then the manifest itself: a crash in between leaves
// an untagged image, never a tag that names nothing.
func deleteImage(ctx context.Context, repo distribution.Repository, ms distribution.ManifestService, images []ecr.Image, d string) error {
	for _, img := range images {
		if img.Digest != d {
			continue
		}
		for _, tag := range img.Tags {
			if err := repo.Tags(ctx).Untag(ctx, tag); err != nil && !notFound(err) {
				return fmt.Errorf("untag %s: %w", tag, err)
			}
		}
	}
	if err := ms.Delete(ctx, digest.Digest(d)); err != nil && !notFound(err) {
		return fmt.Errorf("delete manifest %s: %w", d, err)
	}
	return nil
}

// Layers reports which of digests are blobs of repository name.
func (r *Registry) Layers(ctx context.Context, name string, digests []string) ([]ecr.Layer, error) {
	repo, _, err := r.open(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make([]ecr.Layer, 0, len(digests))
	for _, s := range digests {
		d, err := digest.Parse(s)
		if err != nil {
			out = append(out, ecr.Layer{Digest: s}) // no blob has that name
			continue
		}
		desc, err := repo.Blobs(ctx).Stat(ctx, d)
		switch {
		case errors.Is(err, distribution.ErrBlobUnknown) || notFound(err):
			out = append(out, ecr.Layer{Digest: s})
		case err != nil:
			return nil, err
		default:
			out = append(out, ecr.Layer{Digest: s, Size: desc.Size, Available: true})
		}
	}
	return out, nil
}

// RemoveRepository deletes everything repository name holds in storage. Blobs that no other
// repository links stay on disk until a garbage collection (docs/registry.md).
func (r *Registry) RemoveRepository(ctx context.Context, name string) error {
	named, err := reference.WithName(name)
	if err != nil {
		return errdefs.Detail(ecr.ErrInvalidParameter, "The repository name %q is not valid: %v", name, err)
	}
	unlock := r.lock(name)
	defer unlock()
	remover, ok := r.ns.(distribution.RepositoryRemover)
	if !ok {
		return errors.New("registry: storage cannot remove repositories")
	}
	if err := remover.Remove(ctx, named); err != nil && !notFound(err) {
		return fmt.Errorf("remove repository %s: %w", name, err)
	}
	return nil
}

// notFound reports whether err says that a path, repository, tag or manifest is not there.
func notFound(err error) bool {
	var path storagedriver.PathNotFoundError
	var repo distribution.ErrRepositoryUnknown
	var tag distribution.ErrTagUnknown
	var man distribution.ErrManifestUnknownRevision
	return errors.As(err, &path) || errors.As(err, &repo) || errors.As(err, &tag) || errors.As(err, &man) ||
		errors.Is(err, distribution.ErrBlobUnknown)
}
