package ecsapi

import (
	"context"
	"errors"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
)

func (a *API) listTaskDefinitionFamilies(ctx context.Context, in *listTaskDefinitionFamiliesInput) (*listTaskDefinitionFamiliesOutput, error) {
	status := awsproto.Deref(in.Status)
	if status == "" {
		status = "ALL"
	}
	if status != "ACTIVE" && status != "INACTIVE" && status != "ALL" {
		return nil, invalidEnum("status", status, "ACTIVE, INACTIVE, ALL")
	}
	items, _, err := a.store.TaskDefinitions.List(ctx, "")
	if err != nil {
		return nil, err
	}
	// A family is ACTIVE while one of its revisions is; every family that has revisions left is
	// listed under ALL.
	active := map[string]bool{}
	var families []string
	for _, it := range items {
		fam := it.Value.Family
		if !strings.HasPrefix(fam, awsproto.Deref(in.FamilyPrefix)) {
			continue
		}
		if len(families) == 0 || families[len(families)-1] != fam {
			families = append(families, fam)
		}
		if it.Value.Status == ecs.TaskDefinitionStatusActive {
			active[fam] = true
		}
	}
	picked := []string{}
	for _, f := range families {
		if status == "ALL" || (status == "ACTIVE") == active[f] {
			picked = append(picked, f)
		}
	}
	page, next, err := awsproto.Paginate(pages, picked, awsproto.ByString(), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	return &listTaskDefinitionFamiliesOutput{Families: page, NextToken: next}, nil
}

func (a *API) deregisterTaskDefinition(ctx context.Context, in *deregisterTaskDefinitionInput) (*deregisterTaskDefinitionOutput, error) {
	family, rev, err := a.taskDefinitionRef(awsproto.Deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	if rev == 0 {
		return nil, errdefs.InvalidArgument("Invalid revision number. Number: %s", "")
	}
	it, err := a.store.TaskDefinitions.Update(ctx, taskDefinitionID(family, rev), func(td *ecs.TaskDefinition) error {
		*td = td.Deregistered(a.now())
		return nil
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return nil, errdefs.InvalidArgument("The specified task definition does not exist.")
	}
	if err != nil {
		return nil, err
	}
	return &deregisterTaskDefinitionOutput{TaskDefinition: ptr(taskDefinitionToWire(it.Value))}, nil
}

// maxDeleteTaskDefinitions is how many revisions one DeleteTaskDefinitions call may name.
const maxDeleteTaskDefinitions = 10

func (a *API) deleteTaskDefinitions(ctx context.Context, in *deleteTaskDefinitionsInput) (*deleteTaskDefinitionsOutput, error) {
	if len(in.TaskDefinitions) == 0 {
		return nil, errdefs.InvalidArgument("taskDefinitions can not be empty.")
	}
	if len(in.TaskDefinitions) > maxDeleteTaskDefinitions {
		return nil, errdefs.InvalidArgument("You can specify at most %d task definitions.", maxDeleteTaskDefinitions)
	}
	out := &deleteTaskDefinitionsOutput{TaskDefinitions: []wireTaskDefinition{}, Failures: []wireFailure{}}
	for _, ref := range in.TaskDefinitions {
		td, err := a.deleteTaskDefinition(ctx, ref)
		if errors.Is(err, errdefs.ErrInvalidArgument) || errors.Is(err, errdefs.ErrFailedPrecondition) {
			out.Failures = append(out.Failures, wireFailure{Arn: ptr(a.taskDefinitionARN(ref)), Reason: ptr(errdefs.Message(err))})
			continue
		}
		if err != nil {
			return nil, err
		}
		out.TaskDefinitions = append(out.TaskDefinitions, taskDefinitionToWire(td))
	}
	return out, nil
}

func (a *API) deleteTaskDefinition(ctx context.Context, ref string) (ecs.TaskDefinition, error) {
	family, rev, err := a.taskDefinitionRef(ref)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	if rev == 0 {
		return ecs.TaskDefinition{}, errdefs.InvalidArgument("The specified task definition identifier is invalid. Specify a valid name or ARN and try again.")
	}
	it, err := a.store.TaskDefinitions.Update(ctx, taskDefinitionID(family, rev), func(td *ecs.TaskDefinition) error {
		next, err := td.DeleteRequested(a.now())
		*td = next
		return err
	})
	if errors.Is(err, errdefs.ErrNotFound) {
		return ecs.TaskDefinition{}, errdefs.InvalidArgument("The specified task definition does not exist. Specify a valid account, family, revision and try again.")
	}
	return it.Value, err
}

// taskDefinitionARN returns the ARN of a reference for failures[], or the reference itself when
// it names no revision.
func (a *API) taskDefinitionARN(ref string) string {
	family, rev, err := a.taskDefinitionRef(ref)
	if err != nil || rev == 0 {
		return ref
	}
	return ecs.TaskDefinitionARN(a.scope, family, rev)
}
