package registry

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/distribution/distribution/v3/registry/storage"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Run applies lifecycle policies until ctx ends: a repository's after each tagged push to it,
// and every repository's each LifecycleInterval. Each pass also finishes the removal of
// repositories whose deletion was cut short and removes uploads older than UploadMaxAge.
func (r *Registry) Run(ctx context.Context) error {
	tick := time.NewTicker(r.cfg.LifecycleInterval)
	defer tick.Stop()
	r.Maintain(ctx)
	for {
		select {
		case <-ctx.Done():
			return nil
		case name := <-r.pushes:
			if err := r.ApplyLifecycle(ctx, name); err != nil && ctx.Err() == nil {
				r.deps.Logger.Error("apply lifecycle policy", "repository", name, "err", err)
			}
		case <-tick.C:
			r.Maintain(ctx)
		}
	}
}

// repositoriesRoot is where distribution's storage keeps repositories, uploads among them.
const repositoriesRoot = "/docker/registry/v2/repositories"

// Maintain is Run's periodic pass: lifecycle policies, cut-short repository deletions, old
// uploads. Errors are logged: the next pass tries again.
func (r *Registry) Maintain(ctx context.Context) {
	items, _, err := r.deps.Store.Repositories.List(ctx, "")
	if err != nil {
		r.deps.Logger.Error("list repositories", "err", err)
		return
	}
	for _, it := range items {
		if ctx.Err() != nil {
			return
		}
		switch {
		case it.Value.Deleting:
			err = r.finishDelete(ctx, it)
		case it.Value.LifecyclePolicy != "":
			err = r.ApplyLifecycle(ctx, it.ID)
		}
		if err != nil {
			r.deps.Logger.Error("registry maintenance", "repository", it.ID, "err", err)
		}
	}
	// An empty registry has no repositories directory yet, and distribution reports that
	// walk's failure as text, which notFound cannot tell from a real error: look first.
	if _, err := r.driver.Stat(ctx, repositoriesRoot); notFound(err) {
		return
	}
	_, errs := storage.PurgeUploads(ctx, r.driver, r.deps.Now().Add(-r.cfg.UploadMaxAge), true)
	errs = slices.DeleteFunc(errs, notFound)
	if len(errs) > 0 {
		r.deps.Logger.Warn("purge old uploads", "err", errors.Join(errs...))
	}
}

// finishDelete removes the storage of a repository whose DeleteRepository was cut short, then
// its record, if nobody changed the record meanwhile.
func (r *Registry) finishDelete(ctx context.Context, it store.Item[ecr.Repository]) error {
	if err := r.RemoveRepository(ctx, it.ID); err != nil {
		return err
	}
	var txn store.Txn
	r.deps.Store.Repositories.Remove(&txn, it.ID, it.Revision)
	_, err := r.deps.Store.Commit(ctx, &txn)
	if errors.Is(err, errdefs.ErrConflict) {
		return nil
	}
	return err
}

// ApplyLifecycle expires the images of repository name that its lifecycle policy selects
// (ecr.LifecyclePolicy.Expire) and records when it did.
func (r *Registry) ApplyLifecycle(ctx context.Context, name string) error {
	unlock := r.lock(name)
	defer unlock()
	rec, err := r.repository(ctx, name)
	if errors.Is(err, ecr.ErrRepositoryNotFound) || err == nil && rec.LifecyclePolicy == "" {
		return nil
	}
	if err != nil {
		return err
	}
	policy, err := ecr.ParseLifecyclePolicy(rec.LifecyclePolicy)
	if err != nil {
		return err
	}
	images, err := r.Images(ctx, name)
	if err != nil {
		return err
	}
	now := r.deps.Now()
	expired := policy.Expire(images, now)
	repo, ms, err := r.open(ctx, name)
	if err != nil {
		return err
	}
	for _, d := range expired {
		if err := deleteImage(ctx, repo, ms, images, d); err != nil {
			return err
		}
	}
	if len(expired) > 0 {
		r.deps.Logger.Info("lifecycle policy expired images", "repository", name, "images", len(expired))
	}
	_, err = r.deps.Store.Repositories.Update(ctx, name, func(v *ecr.Repository) error {
		v.LifecycleEvaluatedAt = now.UTC()
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil
	}
	return err
}
