package kvtest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// waitTimeout bounds every wait for a watch response. It only guards against a hang; no case
// depends on its length.
const waitTimeout = 10 * time.Second

// Run runs the conformance suite. newKV must return a fresh, empty store for each call; the
// suite closes it when the test ends. Cases run in parallel.
func Run(t *testing.T, newKV func(t *testing.T) kv.KV) {
	t.Helper()
	cases := []struct {
		name string
		run  func(t *testing.T, s kv.KV)
	}{
		{"get missing is not found", testGetMissing},
		{"empty store has a positive revision", testEmptyRevision},
		{"put then get", testPutGet},
		{"one revision per txn", testOneRevisionPerTxn},
		{"txn without changes keeps the revision", testNoopTxn},
		{"cond zero creates only if absent", testCreateIfAbsent},
		{"stale cond conflicts and writes nothing", testStaleCond},
		{"matching conds apply every op", testMatchingConds},
		{"delete", testDelete},
		{"recreate resets create revision", testRecreate},
		{"list by prefix", testList},
		{"invalid requests", testInvalid},
		{"canceled context fails", testCanceled},
		{"concurrent creates have one winner", testConcurrentCreate},
		{"values are copied", testCopies},
		{"watch replays from a revision", testWatchReplay},
		{"watch from zero sees only new changes", testWatchFromZero},
		{"watch txn is one response", testWatchTxn},
		{"watch closes on cancel", testWatchCancel},
		{"watch sees concurrent writes in order", testWatchConcurrent},
		{"watch values are copied", testWatchCopies},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newKV(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.run(t, s)
		})
	}
}

func testGetMissing(t *testing.T, s kv.KV) {
	_, err := s.Get(t.Context(), "missing")
	if !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("Get(missing) err = %v, want not found", err)
	}
}

func testEmptyRevision(t *testing.T, s kv.KV) {
	kvs, rev := list(t, s, "")
	if len(kvs) != 0 || rev <= 0 {
		t.Fatalf("List on an empty store = %v at %d, want nothing at a positive revision", kvs, rev)
	}
}

func testPutGet(t *testing.T, s kv.KV) {
	r1 := put(t, s, "a", "1")
	wantGet(t, s, kv.KeyValue{Key: "a", Value: []byte("1"), ModRevision: r1, CreateRevision: r1})
	r2 := put(t, s, "a", "2")
	if r2 <= r1 {
		t.Fatalf("second put at %d, want after %d", r2, r1)
	}
	wantGet(t, s, kv.KeyValue{Key: "a", Value: []byte("2"), ModRevision: r2, CreateRevision: r1})
}

func testOneRevisionPerTxn(t *testing.T, s kv.KV) {
	_, r0 := list(t, s, "")
	r1 := txn(t, s, nil, putOp("a", "1"), putOp("b", "2"), putOp("c", "3"))
	if r1 != r0+1 {
		t.Fatalf("txn at %d, want %d", r1, r0+1)
	}
	kvs, _ := list(t, s, "")
	for _, got := range kvs {
		if got.ModRevision != r1 || got.CreateRevision != r1 {
			t.Errorf("%s at mod %d create %d, want both %d", got.Key, got.ModRevision, got.CreateRevision, r1)
		}
	}
	prev := r1
	for _, v := range []string{"x", "y", "z"} {
		rev := put(t, s, "a", v)
		if rev != prev+1 {
			t.Fatalf("put %s at %d, want %d", v, rev, prev+1)
		}
		prev = rev
	}
}

func testNoopTxn(t *testing.T, s kv.KV) {
	r1 := put(t, s, "a", "1")
	tests := []struct {
		name string
		ops  []kv.Op
	}{
		{"no ops", nil},
		{"delete missing", []kv.Op{deleteOp("missing")}},
	}
	for _, tt := range tests {
		rev := txn(t, s, []kv.Cond{{Key: "a", ModRevision: r1}}, tt.ops...)
		if rev != r1 {
			t.Errorf("%s: txn at %d, want unchanged %d", tt.name, rev, r1)
		}
	}
}

func testCreateIfAbsent(t *testing.T, s kv.KV) {
	absent := []kv.Cond{{Key: "a", ModRevision: 0}}
	rev := txn(t, s, absent, putOp("a", "first"))
	_, err := s.Txn(t.Context(), absent, []kv.Op{putOp("a", "second")})
	if !errors.Is(err, errdefs.ErrConflict) {
		t.Fatalf("second create err = %v, want conflict", err)
	}
	wantGet(t, s, kv.KeyValue{Key: "a", Value: []byte("first"), ModRevision: rev, CreateRevision: rev})
}

func testStaleCond(t *testing.T, s kv.KV) {
	r1 := txn(t, s, nil, putOp("a", "1"), putOp("b", "1"))
	r2 := put(t, s, "a", "2")
	conds := []kv.Cond{{Key: "a", ModRevision: r1}, {Key: "b", ModRevision: r1}}
	_, err := s.Txn(t.Context(), conds, []kv.Op{putOp("a", "3"), putOp("c", "3"), deleteOp("b")})
	if !errors.Is(err, errdefs.ErrConflict) {
		t.Fatalf("txn with a stale cond err = %v, want conflict", err)
	}
	want := []kv.KeyValue{
		{Key: "a", Value: []byte("2"), ModRevision: r2, CreateRevision: r1},
		{Key: "b", Value: []byte("1"), ModRevision: r1, CreateRevision: r1},
	}
	got, rev := list(t, s, "")
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("store changed by a failed txn (-want +got):\n%s", diff)
	}
	if rev != r2 {
		t.Errorf("failed txn moved the revision to %d, want %d", rev, r2)
	}
}

func testMatchingConds(t *testing.T, s kv.KV) {
	r1 := txn(t, s, nil, putOp("a", "1"), putOp("b", "1"))
	conds := []kv.Cond{{Key: "a", ModRevision: r1}, {Key: "b", ModRevision: r1}, {Key: "c"}}
	r2 := txn(t, s, conds, putOp("a", "2"), deleteOp("b"), putOp("c", "2"))
	want := []kv.KeyValue{
		{Key: "a", Value: []byte("2"), ModRevision: r2, CreateRevision: r1},
		{Key: "c", Value: []byte("2"), ModRevision: r2, CreateRevision: r2},
	}
	got, _ := list(t, s, "")
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("after txn (-want +got):\n%s", diff)
	}
}

func testDelete(t *testing.T, s kv.KV) {
	put(t, s, "a", "1")
	txn(t, s, nil, deleteOp("a"))
	if _, err := s.Get(t.Context(), "a"); !errors.Is(err, errdefs.ErrNotFound) {
		t.Fatalf("Get after delete err = %v, want not found", err)
	}
	txn(t, s, nil, deleteOp("a"))
	txn(t, s, []kv.Cond{{Key: "never"}}, deleteOp("never"))
}

func testRecreate(t *testing.T, s kv.KV) {
	put(t, s, "a", "1")
	txn(t, s, nil, deleteOp("a"))
	r3 := put(t, s, "a", "2")
	wantGet(t, s, kv.KeyValue{Key: "a", Value: []byte("2"), ModRevision: r3, CreateRevision: r3})
}

func testList(t *testing.T, s kv.KV) {
	keys := []string{"svc/b", "svc/a", "svc/a/x", "svc", "svc2/c", "svc-x", "a"}
	for _, k := range keys {
		put(t, s, k, k)
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"svc/", []string{"svc/a", "svc/a/x", "svc/b"}},
		{"svc/a/", []string{"svc/a/x"}},
		{"svc2/", []string{"svc2/c"}},
		{"none/", nil},
		{"", []string{"a", "svc", "svc-x", "svc/a", "svc/a/x", "svc/b", "svc2/c"}},
	}
	for _, tt := range tests {
		kvs, rev := list(t, s, tt.prefix)
		var got []string
		for _, v := range kvs {
			got = append(got, v.Key)
			if v.ModRevision > rev || string(v.Value) != v.Key {
				t.Errorf("List(%q): %s = %q at %d, list revision %d", tt.prefix, v.Key, v.Value, v.ModRevision, rev)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("List(%q) keys (-want +got):\n%s", tt.prefix, diff)
		}
	}
}

func testCanceled(t *testing.T, s kv.KV) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"get", func() error { _, err := s.Get(ctx, "a"); return err }},
		{"list", func() error { _, _, err := s.List(ctx, ""); return err }},
		{"txn", func() error { _, err := s.Txn(ctx, nil, []kv.Op{putOp("a", "1")}); return err }},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context err = %v, want context.Canceled", c.name, err)
		}
	}
}
