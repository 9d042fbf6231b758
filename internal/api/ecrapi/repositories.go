package ecrapi

import (
	"context"
	"errors"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

type createRepositoryInput struct {
	RegistryID                         *string                                 `json:"registryId"`
	RepositoryName                     *string                                 `json:"repositoryName"`
	Tags                               []wireTag                               `json:"tags"`
	ImageTagMutability                 *string                                 `json:"imageTagMutability"`
	ImageTagMutabilityExclusionFilters []wireImageTagMutabilityExclusionFilter `json:"imageTagMutabilityExclusionFilters"`
	ImageScanningConfiguration         *wireImageScanningConfiguration         `json:"imageScanningConfiguration"`
	EncryptionConfiguration            *wireEncryptionConfiguration            `json:"encryptionConfiguration"`
}

type repositoryOutput struct {
	Repository *wireRepository `json:"repository,omitempty"`
}

type describeRepositoriesInput struct {
	RegistryID      *string  `json:"registryId"`
	RepositoryNames []string `json:"repositoryNames"`
	NextToken       *string  `json:"nextToken"`
	MaxResults      *int32   `json:"maxResults"`
}

type describeRepositoriesOutput struct {
	Repositories []*wireRepository `json:"repositories"`
	NextToken    *string           `json:"nextToken,omitempty"`
}

type deleteRepositoryInput struct {
	RegistryID     *string `json:"registryId"`
	RepositoryName *string `json:"repositoryName"`
	Force          bool    `json:"force"`
}

type putImageTagMutabilityInput struct {
	RegistryID                         *string                                 `json:"registryId"`
	RepositoryName                     *string                                 `json:"repositoryName"`
	ImageTagMutability                 *string                                 `json:"imageTagMutability"`
	ImageTagMutabilityExclusionFilters []wireImageTagMutabilityExclusionFilter `json:"imageTagMutabilityExclusionFilters"`
}

type putImageTagMutabilityOutput struct {
	RegistryID                         *string                                 `json:"registryId,omitempty"`
	RepositoryName                     *string                                 `json:"repositoryName,omitempty"`
	ImageTagMutability                 *string                                 `json:"imageTagMutability,omitempty"`
	ImageTagMutabilityExclusionFilters []wireImageTagMutabilityExclusionFilter `json:"imageTagMutabilityExclusionFilters,omitempty"`
}

func (a *API) createRepository(ctx context.Context, in *createRepositoryInput) (*repositoryOutput, error) {
	if err := a.checkRegistry(in.RegistryID); err != nil {
		return nil, err
	}
	s := ecr.Settings{
		TagMutability:        awsproto.Deref(in.ImageTagMutability),
		MutabilityExclusions: filtersFromWire(in.ImageTagMutabilityExclusionFilters),
		ScanOnPush:           in.ImageScanningConfiguration != nil && in.ImageScanningConfiguration.ScanOnPush,
		Tags:                 tagsFromWire(in.Tags),
	}
	if e := in.EncryptionConfiguration; e != nil {
		s.EncryptionType, s.KMSKey = awsproto.Deref(e.EncryptionType), awsproto.Deref(e.KmsKey)
	}
	repo, err := ecr.NewRepository(awsproto.Deref(in.RepositoryName), s, a.deps.Now())
	if err != nil {
		return nil, err
	}
	_, err = a.deps.Store.Repositories.Create(ctx, repo.Name, repo)
	if errors.Is(err, errdefs.ErrAlreadyExists) {
		err = a.replaceDeleted(ctx, repo)
	}
	if err != nil {
		return nil, err
	}
	return &repositoryOutput{Repository: a.repositoryToWire(repo)}, nil
}

// replaceDeleted creates repo over a repository of the same name whose deletion was cut short:
// it finishes removing the old images first, so that none of them comes back.
func (a *API) replaceDeleted(ctx context.Context, repo ecr.Repository) error {
	it, err := a.deps.Store.Repositories.Get(ctx, repo.Name)
	if err != nil {
		return err
	}
	if !it.Value.Deleting {
		return ecr.RepositoryAlreadyExists(repo.Name, a.registryID())
	}
	if err := a.deps.Images.RemoveRepository(ctx, repo.Name); err != nil {
		return err
	}
	var txn store.Txn
	if err := a.deps.Store.Repositories.Put(&txn, repo.Name, repo, it.Revision); err != nil {
		return err
	}
	if _, err := a.deps.Store.Commit(ctx, &txn); errors.Is(err, errdefs.ErrConflict) {
		return ecr.RepositoryAlreadyExists(repo.Name, a.registryID())
	} else if err != nil {
		return err
	}
	return nil
}

func (a *API) describeRepositories(ctx context.Context, in *describeRepositoriesInput) (*describeRepositoriesOutput, error) {
	if err := a.checkRegistry(in.RegistryID); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	out := &describeRepositoriesOutput{Repositories: []*wireRepository{}}
	if len(in.RepositoryNames) > 0 {
		if in.NextToken != nil || in.MaxResults != nil {
			return nil, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter: nextToken and maxResults cannot be used with repositoryNames")
		}
		for _, name := range in.RepositoryNames {
			it, err := a.repository(ctx, nil, &name)
			if err != nil {
				return nil, err
			}
			out.Repositories = append(out.Repositories, a.repositoryToWire(it.Value))
		}
		return out, nil
	}
	items, _, err := a.deps.Store.Repositories.List(ctx, "")
	if err != nil {
		return nil, err
	}
	var repos []ecr.Repository
	var keys []string
	for _, it := range items {
		if !it.Value.Deleting {
			repos, keys = append(repos, it.Value), append(keys, it.ID)
		}
	}
	pg, next, err := page(repos, keys, in.NextToken, size)
	if err != nil {
		return nil, err
	}
	for _, r := range pg {
		out.Repositories = append(out.Repositories, a.repositoryToWire(r))
	}
	out.NextToken = next
	return out, nil
}

// deleteRepository deletes a repository; with force, its images too. It marks the repository
// as being deleted (so that no push reaches it and clients no longer see it), removes its
// storage, then its record: a crash in between leaves a mark that the registry's maintenance
// pass and CreateRepository finish.
func (a *API) deleteRepository(ctx context.Context, in *deleteRepositoryInput) (*repositoryOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if !in.Force {
		images, err := a.deps.Images.Images(ctx, it.ID)
		if err != nil {
			return nil, err
		}
		if len(images) > 0 {
			return nil, ecr.RepositoryNotEmpty(it.ID, a.registryID())
		}
	}
	marked := it.Value
	marked.Deleting = true
	var txn store.Txn
	if err := a.deps.Store.Repositories.Put(&txn, it.ID, marked, it.Revision); err != nil {
		return nil, err
	}
	rev, err := a.deps.Store.Commit(ctx, &txn)
	if err != nil {
		return nil, err
	}
	if err := a.deps.Images.RemoveRepository(ctx, it.ID); err != nil {
		return nil, err
	}
	txn = store.Txn{}
	a.deps.Store.Repositories.Remove(&txn, it.ID, rev)
	if _, err := a.deps.Store.Commit(ctx, &txn); err != nil && !errors.Is(err, errdefs.ErrConflict) {
		return nil, err
	}
	return &repositoryOutput{Repository: a.repositoryToWire(it.Value)}, nil
}

func (a *API) putImageTagMutability(ctx context.Context, in *putImageTagMutabilityInput) (*putImageTagMutabilityOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	check := it.Value
	if err := check.SetTagMutability(awsproto.Deref(in.ImageTagMutability), filtersFromWire(in.ImageTagMutabilityExclusionFilters)); err != nil {
		return nil, err
	}
	updated, err := a.update(ctx, it.ID, func(r *ecr.Repository) error {
		return r.SetTagMutability(check.TagMutability, check.MutabilityExclusions)
	})
	if err != nil {
		return nil, err
	}
	return &putImageTagMutabilityOutput{
		RegistryID: ptr(a.registryID()), RepositoryName: ptr(updated.Name), ImageTagMutability: ptr(updated.TagMutability),
		ImageTagMutabilityExclusionFilters: filtersToWire(updated.MutabilityExclusions),
	}, nil
}

// update changes repository name with fn; a repository deleted meanwhile is not found.
func (a *API) update(ctx context.Context, name string, fn func(*ecr.Repository) error) (ecr.Repository, error) {
	found := false
	it, err := a.deps.Store.Repositories.Update(ctx, name, func(r *ecr.Repository) error {
		found = true
		if r.Deleting {
			return ecr.RepositoryNotFound(name, a.registryID())
		}
		return fn(r)
	})
	if !found && errors.Is(err, errdefs.ErrNotFound) {
		return ecr.Repository{}, ecr.RepositoryNotFound(name, a.registryID())
	}
	return it.Value, err
}
