package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestFindTaskDefinition checks how a family alone resolves: to its newest ACTIVE revision.
func TestFindTaskDefinition(t *testing.T) {
	ctx := context.Background()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(mem)
	for rev, status := range map[int]ecs.TaskDefinitionStatus{1: ecs.TaskDefinitionStatusActive, 2: ecs.TaskDefinitionStatusActive, 3: ecs.TaskDefinitionStatusInactive} {
		td := ecs.TaskDefinition{Family: "web", Revision: rev, Status: status}
		if _, err := st.TaskDefinitions.Create(ctx, store.TaskDefinitionID("web", rev), td); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		family  string
		rev     int
		want    int
		missing bool
	}{{"web", 0, 2, false}, {"web", 3, 3, false}, {"web", 4, 0, true}, {"api", 0, 0, true}} {
		td, err := st.FindTaskDefinition(ctx, tc.family, tc.rev)
		if tc.missing {
			if !errors.Is(err, errdefs.ErrNotFound) {
				t.Errorf("%s:%d: %v, want not found", tc.family, tc.rev, err)
			}
			continue
		}
		if err != nil || td.Revision != tc.want {
			t.Errorf("%s:%d: revision %d, %v; want %d", tc.family, tc.rev, td.Revision, err, tc.want)
		}
	}
}
