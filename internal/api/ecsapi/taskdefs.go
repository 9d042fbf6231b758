package ecsapi

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

func (a *API) registerTaskDefinition(ctx context.Context, in *registerTaskDefinitionInput) (*registerTaskDefinitionOutput, error) {
	saved, err := a.RegisterTaskDefinition(ctx, taskDefinitionFromRegisterRequest(in))
	if err != nil {
		return nil, err
	}
	return &registerTaskDefinitionOutput{TaskDefinition: ptr(taskDefinitionToWire(saved)), Tags: tagsToWire(saved.Tags)}, nil
}

// RegisterTaskDefinition is RegisterTaskDefinition over domain values: it normalizes td and
// stores it as its family's next revision.
func (a *API) RegisterTaskDefinition(ctx context.Context, td ecs.TaskDefinition) (ecs.TaskDefinition, error) {
	td, err := ecs.NormalizeTaskDefinition(td)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	return a.storeNewRevision(ctx, td)
}

// storeNewRevision hands td the next revision of its family and stores both atomically; two
// concurrent registrations of one family get different revisions.
func (a *API) storeNewRevision(ctx context.Context, td ecs.TaskDefinition) (ecs.TaskDefinition, error) {
	for {
		fam, famRev := ecs.TaskDefinitionFamily{Name: td.Family}, int64(0)
		cur, err := a.store.TaskDefinitionFamilies.Get(ctx, td.Family)
		switch {
		case err == nil:
			fam, famRev = cur.Value, cur.Revision
		case !errors.Is(err, errdefs.ErrNotFound):
			return ecs.TaskDefinition{}, err
		}
		fam.LastRevision++
		reg := td.Registered(a.scope, fam.LastRevision, a.now(), callerARN(ctx))
		var txn store.Txn
		if err := a.store.TaskDefinitionFamilies.Put(&txn, fam.Name, fam, famRev); err != nil {
			return ecs.TaskDefinition{}, err
		}
		if err := a.store.TaskDefinitions.Put(&txn, taskDefinitionID(fam.Name, fam.LastRevision), reg, 0); err != nil {
			return ecs.TaskDefinition{}, err
		}
		_, err = a.store.Commit(ctx, &txn)
		if errors.Is(err, errdefs.ErrConflict) {
			continue
		}
		return reg, err
	}
}

func (a *API) describeTaskDefinition(ctx context.Context, in *describeTaskDefinitionInput) (*describeTaskDefinitionOutput, error) {
	withTags := false
	for _, f := range in.Include {
		if f != "TAGS" {
			return nil, invalidEnum("include", f, "TAGS")
		}
		withTags = true
	}
	td, err := a.findTaskDefinition(ctx, awsproto.Deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	out := &describeTaskDefinitionOutput{TaskDefinition: ptr(taskDefinitionToWire(td))}
	if withTags {
		out.Tags = tagsToWire(td.Tags)
	}
	return out, nil
}

// errTaskDefinitionNotFound is ECS's answer for a reference that names no task definition.
var errTaskDefinitionNotFound = errdefs.InvalidArgument("Unable to describe task definition.")

// findTaskDefinition resolves "family" (its latest ACTIVE revision), "family:revision" or an
// ARN to a task definition.
func (a *API) findTaskDefinition(ctx context.Context, ref string) (ecs.TaskDefinition, error) {
	if ref == "" {
		return ecs.TaskDefinition{}, errdefs.InvalidArgument("taskDefinition can not be blank.")
	}
	family, rev, err := a.taskDefinitionRef(ref)
	if err != nil {
		return ecs.TaskDefinition{}, err
	}
	td, err := a.store.FindTaskDefinition(ctx, family, rev)
	if errors.Is(err, errdefs.ErrNotFound) {
		return ecs.TaskDefinition{}, errTaskDefinitionNotFound
	}
	return td, err
}

// taskDefinitionRef splits a task definition reference (family, family:revision or an ARN of
// this region and account) into family and revision (0: latest ACTIVE).
func (a *API) taskDefinitionRef(ref string) (string, int, error) {
	if arn.IsARN(ref) {
		if _, err := a.resourceName(ref, "task-definition"); err != nil {
			return "", 0, errTaskDefinitionNotFound
		}
	}
	r, err := ecs.ParseTaskDefinitionRef(ref)
	if err != nil {
		return "", 0, err
	}
	return r.Family, r.Revision, nil
}

func taskDefinitionID(family string, rev int) string { return store.TaskDefinitionID(family, rev) }

func (a *API) listTaskDefinitions(ctx context.Context, in *listTaskDefinitionsInput) (*listTaskDefinitionsOutput, error) {
	status := ecs.TaskDefinitionStatus(awsproto.Deref(in.Status))
	if in.Status == nil {
		status = ecs.TaskDefinitionStatusActive
	}
	if !validTaskDefinitionStatus(status) {
		return nil, invalidEnum("status", string(status), "ACTIVE, INACTIVE, DELETE_IN_PROGRESS")
	}
	sortOrder := awsproto.Deref(in.Sort)
	if sortOrder != "" && sortOrder != "ASC" && sortOrder != "DESC" {
		return nil, invalidEnum("sort", sortOrder, "ASC, DESC")
	}
	// familyPrefix is, despite its name, a full family name in ECS.
	prefix := ""
	if f := awsproto.Deref(in.FamilyPrefix); f != "" {
		prefix = f + "/"
	}
	items, _, err := a.store.TaskDefinitions.List(ctx, prefix)
	if err != nil {
		return nil, err
	}
	type entry struct{ key, arn string }
	var entries []entry
	for _, it := range items {
		if it.Value.Status == status {
			entries = append(entries, entry{key: it.ID, arn: it.Value.ARN})
		}
	}
	if sortOrder == "DESC" {
		slices.Reverse(entries)
		for i := range entries {
			entries[i].key = invertKey(entries[i].key)
		}
	}
	page, next, err := awsproto.Paginate(pages, entries, awsproto.ByKey(func(e entry) string { return e.key }), in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &listTaskDefinitionsOutput{TaskDefinitionArns: make([]string, len(page)), NextToken: next}
	for i, e := range page {
		out.TaskDefinitionArns[i] = e.arn
	}
	return out, nil
}

// invertKey maps a key to one that sorts in the opposite order, so that one paginate serves
// both sort orders: every byte b becomes 255-b, and a terminator keeps prefixes ordered.
func invertKey(k string) string {
	b := make([]byte, len(k)+1)
	for i := 0; i < len(k); i++ {
		b[i] = 255 - k[i]
	}
	b[len(k)] = 255
	return string(b)
}

func validTaskDefinitionStatus(s ecs.TaskDefinitionStatus) bool {
	for _, v := range s.Values() {
		if v == s {
			return true
		}
	}
	return false
}
