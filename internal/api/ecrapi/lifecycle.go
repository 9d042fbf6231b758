package ecrapi

import (
	"context"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

type putLifecyclePolicyInput struct {
	RegistryID          *string `json:"registryId"`
	RepositoryName      *string `json:"repositoryName"`
	LifecyclePolicyText *string `json:"lifecyclePolicyText"`
}

type putLifecyclePolicyOutput struct {
	RegistryID          *string `json:"registryId,omitempty"`
	RepositoryName      *string `json:"repositoryName,omitempty"`
	LifecyclePolicyText *string `json:"lifecyclePolicyText,omitempty"`
}

type repositoryNameInput struct {
	RegistryID     *string `json:"registryId"`
	RepositoryName *string `json:"repositoryName"`
}

type lifecyclePolicyOutput struct {
	RegistryID          *string       `json:"registryId,omitempty"`
	RepositoryName      *string       `json:"repositoryName,omitempty"`
	LifecyclePolicyText *string       `json:"lifecyclePolicyText,omitempty"`
	LastEvaluatedAt     *epochSeconds `json:"lastEvaluatedAt,omitempty"`
}

// putLifecyclePolicy stores a checked policy. The registry applies it after the next tagged
// push and on its periodic pass.
func (a *API) putLifecyclePolicy(ctx context.Context, in *putLifecyclePolicyInput) (*putLifecyclePolicyOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	text := awsproto.Deref(in.LifecyclePolicyText)
	if _, err := ecr.ParseLifecyclePolicy(text); err != nil {
		return nil, err
	}
	if _, err := a.update(ctx, it.ID, func(r *ecr.Repository) error { r.LifecyclePolicy = text; return nil }); err != nil {
		return nil, err
	}
	return &putLifecyclePolicyOutput{RegistryID: ptr(a.registryID()), RepositoryName: ptr(it.ID), LifecyclePolicyText: ptr(text)}, nil
}

func (a *API) getLifecyclePolicy(ctx context.Context, in *repositoryNameInput) (*lifecyclePolicyOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if it.Value.LifecyclePolicy == "" {
		return nil, a.noPolicy(it.ID)
	}
	return a.policyOutput(it.Value), nil
}

func (a *API) deleteLifecyclePolicy(ctx context.Context, in *repositoryNameInput) (*lifecyclePolicyOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	var before ecr.Repository
	if _, err := a.update(ctx, it.ID, func(r *ecr.Repository) error {
		if r.LifecyclePolicy == "" {
			return a.noPolicy(it.ID)
		}
		before = *r
		r.LifecyclePolicy, r.LifecycleEvaluatedAt = "", ecr.Repository{}.LifecycleEvaluatedAt
		return nil
	}); err != nil {
		return nil, err
	}
	return a.policyOutput(before), nil
}

func (a *API) noPolicy(name string) error {
	return errdefs.Detail(ecr.ErrLifecyclePolicyNotFound, "Lifecycle policy does not exist for the repository with name '%s' in the registry with id '%s'", name, a.registryID())
}

func (a *API) policyOutput(r ecr.Repository) *lifecyclePolicyOutput {
	return &lifecyclePolicyOutput{
		RegistryID: ptr(a.registryID()), RepositoryName: ptr(r.Name), LifecyclePolicyText: ptr(r.LifecyclePolicy),
		LastEvaluatedAt: awsproto.Epoch(r.LifecycleEvaluatedAt),
	}
}
