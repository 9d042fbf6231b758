package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestInformerRevision: the revision an informer reflects follows what it listed and
// watched, not what its owner upserts or forgets, since those do not mean it saw every change
// before them.
func TestInformerRevision(t *testing.T) {
	t.Parallel()
	kvs, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(kvs)
	first, err := st.Clusters.Create(t.Context(), "a", ecs.Cluster{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	inf := store.NewInformer(st.Clusters, nil)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- inf.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	<-inf.Synced()
	if got := inf.Revision(); got < first.Revision {
		t.Fatalf("after the list: revision %d, want at least %d", got, first.Revision)
	}
	before := inf.Revision()
	inf.Upsert(store.Item[ecs.Cluster]{ID: "z", Value: ecs.Cluster{Name: "z"}, Revision: before + 100})
	if got := inf.Revision(); got != before {
		t.Fatalf("after an upsert: revision %d, want %d", got, before)
	}
	second, err := st.Clusters.Create(t.Context(), "b", ecs.Cluster{Name: "b"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for inf.Revision() < second.Revision {
		if time.Now().After(deadline) {
			t.Fatalf("revision %d, want %d once the watch delivered the create", inf.Revision(), second.Revision)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
