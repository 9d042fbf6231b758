package kvtest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

func testConcurrentCreate(t *testing.T, s kv.KV) {
	const writers = 20
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			_, errs[i] = s.Txn(t.Context(), []kv.Cond{{Key: "lock"}}, []kv.Op{putOp("lock", fmt.Sprint(i))})
		})
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil && winner >= 0:
			t.Fatalf("writers %d and %d both won", winner, i)
		case err == nil:
			winner = i
		case !errors.Is(err, errdefs.ErrConflict):
			t.Errorf("writer %d err = %v, want conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer won")
	}
	got, err := s.Get(t.Context(), "lock")
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Value) != fmt.Sprint(winner) {
		t.Fatalf("lock = %q, want the winner %d", got.Value, winner)
	}
}

func testCopies(t *testing.T, s kv.KV) {
	value := []byte("orig")
	if _, err := s.Txn(t.Context(), nil, []kv.Op{{Key: "a", Value: value}}); err != nil {
		t.Fatal(err)
	}
	value[0] = 'X'
	got, err := s.Get(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	got.Value[0] = 'Y'
	kvs, _ := list(t, s, "")
	kvs[0].Value[0] = 'Z'
	again, err := s.Get(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if string(again.Value) != "orig" {
		t.Fatalf("value = %q after mutating slices the store handed over or out, want %q", again.Value, "orig")
	}
}
