package kvtest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/store/kv"
)

func putOp(key, value string) kv.Op { return kv.Op{Key: key, Value: []byte(value)} }

func deleteOp(key string) kv.Op { return kv.Op{Key: key, Delete: true} }

// txn applies ops under conds and fails the test on any error.
func txn(t *testing.T, s kv.KV, conds []kv.Cond, ops ...kv.Op) int64 {
	t.Helper()
	rev, err := s.Txn(t.Context(), conds, ops)
	if err != nil {
		t.Fatalf("Txn(%v, %v): %v", conds, ops, err)
	}
	return rev
}

// put writes key unconditionally and returns the revision of the write.
func put(t *testing.T, s kv.KV, key, value string) int64 {
	t.Helper()
	return txn(t, s, nil, putOp(key, value))
}

func list(t *testing.T, s kv.KV, prefix string) ([]kv.KeyValue, int64) {
	t.Helper()
	kvs, rev, err := s.List(t.Context(), prefix)
	if err != nil {
		t.Fatalf("List(%q): %v", prefix, err)
	}
	return kvs, rev
}

func wantGet(t *testing.T, s kv.KV, want kv.KeyValue) {
	t.Helper()
	got, err := s.Get(t.Context(), want.Key)
	if err != nil {
		t.Fatalf("Get(%q): %v", want.Key, err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Fatalf("Get(%q) (-want +got):\n%s", want.Key, diff)
	}
}
