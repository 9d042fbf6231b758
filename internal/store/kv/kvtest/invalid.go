package kvtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// maxTxnOps is etcd's default limit on the conds, and on the ops, of one transaction. Every
// implementation keeps it, so that code which needs more fails in tests, not in production.
const maxTxnOps = 128

func testInvalid(t *testing.T, s kv.KV) {
	r1 := put(t, s, "a", "1")
	tests := []struct {
		name  string
		conds []kv.Cond
		ops   []kv.Op
	}{
		{"put empty key", nil, []kv.Op{putOp("", "x")}},
		{"delete empty key", nil, []kv.Op{deleteOp("")}},
		{"cond on empty key", []kv.Cond{{Key: ""}}, []kv.Op{putOp("b", "x")}},
		{"put twice", nil, []kv.Op{putOp("b", "x"), putOp("b", "y")}},
		{"put and delete", nil, []kv.Op{putOp("a", "x"), deleteOp("a")}},
		{"delete and put", nil, []kv.Op{deleteOp("a"), putOp("a", "x")}},
		{"too many ops", nil, manyPuts(maxTxnOps + 1)},
		{"too many conds", manyConds(maxTxnOps + 1), []kv.Op{putOp("b", "x")}},
	}
	for _, tt := range tests {
		if _, err := s.Txn(t.Context(), tt.conds, tt.ops); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want invalid argument", tt.name, err)
		}
	}
	if _, err := s.Get(t.Context(), ""); !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Errorf("Get(\"\") err = %v, want invalid argument", err)
	}
	if kvs, rev := list(t, s, ""); len(kvs) != 1 || rev != r1 {
		t.Errorf("invalid txns changed the store: %v at %d, want only a at %d", kvs, rev, r1)
	}
	// The limits are inclusive, and deleting a key twice is no duplicate.
	txn(t, s, manyConds(maxTxnOps), manyPuts(maxTxnOps)...)
	txn(t, s, nil, deleteOp("a"), deleteOp("a"))
}

func manyPuts(n int) []kv.Op {
	ops := make([]kv.Op, n)
	for i := range ops {
		ops[i] = putOp(fmt.Sprintf("many/%d", i), "x")
	}
	return ops
}

func manyConds(n int) []kv.Cond {
	conds := make([]kv.Cond, n)
	for i := range conds {
		conds[i] = kv.Cond{Key: fmt.Sprintf("cond/%d", i)}
	}
	return conds
}
