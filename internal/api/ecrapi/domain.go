package ecrapi

import (
	"context"

	"github.com/fargohq/fargo/internal/ecr"
)

// CreateRepository is CreateRepository with the default settings, for callers in the same
// process (the web console): it runs the operation's own code, and no wire shape leaves this
// package.
func (a *API) CreateRepository(ctx context.Context, name string) (ecr.Repository, error) {
	if _, err := a.createRepository(ctx, &createRepositoryInput{RepositoryName: &name}); err != nil {
		return ecr.Repository{}, err
	}
	it, err := a.deps.Store.Repositories.Get(ctx, name)
	return it.Value, err
}
