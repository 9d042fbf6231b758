package registry

import (
	"context"
	"errors"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/distribution/v3/registry/api/errcode"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/reference"
	"github.com/opencontainers/go-digest"
	v1 "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// namespace is distribution's storage as the App sees it through fargo: a name is a repository
// only while ECR has it, and its manifests and tags keep ECR's rules.
type namespace struct {
	distribution.Namespace
	r *Registry
}

func newNamespaceMiddleware(_ context.Context, ns distribution.Namespace, _ storagedriver.StorageDriver, options map[string]any) (distribution.Namespace, error) {
	r, ok := options["registry"].(*Registry)
	if !ok {
		return nil, errors.New("registry: middleware options carry no registry")
	}
	return namespace{Namespace: ns, r: r}, nil
}

// Repository answers NAME_UNKNOWN, with ECR's message, for a name ECR does not have.
func (n namespace) Repository(ctx context.Context, name reference.Named) (distribution.Repository, error) {
	if _, err := n.r.repository(ctx, name.Name()); err != nil {
		if errors.Is(err, ecr.ErrRepositoryNotFound) {
			return nil, errcode.ErrorCodeNameUnknown.WithMessage(errdefs.Message(err))
		}
		return nil, err
	}
	inner, err := n.Namespace.Repository(ctx, name)
	if err != nil {
		return nil, err
	}
	return repository{Repository: inner, r: n.r}, nil
}

// Remove deletes a repository's storage; the App asks for it to be there.
func (n namespace) Remove(ctx context.Context, name reference.Named) error {
	remover, ok := n.Namespace.(distribution.RepositoryRemover)
	if !ok {
		return distribution.ErrUnsupported
	}
	return remover.Remove(ctx, name)
}

// repository reads the ECR repository of name, refusing one that is being deleted.
func (r *Registry) repository(ctx context.Context, name string) (ecr.Repository, error) {
	it, err := r.deps.Store.Repositories.Get(ctx, name)
	if errors.Is(err, errdefs.ErrNotFound) || err == nil && it.Value.Deleting {
		return ecr.Repository{}, ecr.RepositoryNotFound(name, r.deps.RegistryID)
	}
	return it.Value, err
}

// repository is one repository's storage with ECR's rules on its manifests and tags.
type repository struct {
	distribution.Repository
	r *Registry
}

func (repo repository) Manifests(ctx context.Context, options ...distribution.ManifestServiceOption) (distribution.ManifestService, error) {
	inner, err := repo.Repository.Manifests(ctx, options...)
	if err != nil {
		return nil, err
	}
	return manifests{ManifestService: inner, repo: repo}, nil
}

func (repo repository) Tags(ctx context.Context) distribution.TagService {
	return tags{TagService: repo.Repository.Tags(ctx), repo: repo}
}

// manifests checks tag immutability before a manifest is stored under a tag, and tags it in the
// same step, under the repository's lock, so that two pushes cannot both find a tag free.
type manifests struct {
	distribution.ManifestService
	repo repository
}

func (m manifests) Put(ctx context.Context, man distribution.Manifest, options ...distribution.ManifestServiceOption) (digest.Digest, error) {
	tag := tagOf(options)
	d, err := m.repo.r.putManifest(ctx, m.repo.Repository, m.ManifestService, man, tag, options)
	if errors.Is(err, ecr.ErrImageTagAlreadyExists) {
		return "", errcode.ErrorCodeTagInvalid.WithMessage(errdefs.Message(err))
	}
	return d, err
}

func tagOf(options []distribution.ManifestServiceOption) string {
	for _, o := range options {
		if t, ok := o.(distribution.WithTagOption); ok {
			return t.Tag
		}
	}
	return ""
}

// putManifest stores man in repo and, when tag is given, points tag at it, refusing to move an
// immutable tag. It holds the repository's lock throughout.
func (r *Registry) putManifest(ctx context.Context, repo distribution.Repository, ms distribution.ManifestService, man distribution.Manifest, tag string, options []distribution.ManifestServiceOption) (digest.Digest, error) {
	unlock := r.lock(repo.Named().Name())
	defer unlock()
	return r.putManifestLocked(ctx, repo, ms, man, tag, options)
}

// putManifestLocked is putManifest for a caller that holds the repository's lock. A tagged
// push asks Run to apply the repository's lifecycle policy: a push by digest is the first part
// of a multi-platform push, whose images an index will refer to once it is pushed.
func (r *Registry) putManifestLocked(ctx context.Context, repo distribution.Repository, ms distribution.ManifestService, man distribution.Manifest, tag string, options []distribution.ManifestServiceOption) (digest.Digest, error) {
	name := repo.Named().Name()
	if tag != "" {
		rec, err := r.repository(ctx, name)
		if err != nil {
			return "", err
		}
		_, err = repo.Tags(ctx).Get(ctx, tag)
		var unknown distribution.ErrTagUnknown
		if err != nil && !errors.As(err, &unknown) {
			return "", err
		}
		if err := rec.CheckTagPush(tag, err == nil); err != nil {
			return "", err
		}
	}
	d, err := ms.Put(ctx, man, options...)
	if err != nil {
		return "", err
	}
	if tag != "" {
		mediaType, _, _ := man.Payload()
		if err := repo.Tags(ctx).Tag(ctx, tag, v1.Descriptor{Digest: d, MediaType: mediaType}); err != nil {
			return "", err
		}
		r.pushed(name)
	}
	return d, nil
}

// tags lets the App's own tagging after a push through when putManifest already did it.
type tags struct {
	distribution.TagService
	repo repository
}

func (t tags) Tag(ctx context.Context, tag string, desc v1.Descriptor) error {
	if cur, err := t.Get(ctx, tag); err == nil && cur.Digest == desc.Digest {
		return nil
	}
	name := t.repo.Named().Name()
	unlock := t.repo.r.lock(name)
	defer unlock()
	rec, err := t.repo.r.repository(ctx, name)
	if err != nil {
		return err
	}
	_, err = t.Get(ctx, tag)
	if err := rec.CheckTagPush(tag, err == nil); err != nil {
		return errcode.ErrorCodeTagInvalid.WithMessage(errdefs.Message(err))
	}
	return t.TagService.Tag(ctx, tag, desc)
}
