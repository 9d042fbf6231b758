package leader

import (
	"context"
	"errors"
	"slices"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// ErrDeposed is the error of a fenced write after the term it belongs to has ended. It is of
// kind errdefs.ErrFailedPrecondition, not a conflict: retrying cannot help.
var ErrDeposed = errdefs.FailedPrecondition("leader: this member's term as leader has ended")

// Fenced is a kv.KV whose transactions commit only while the election key that began a term
// still exists at the revision the term won it: the key goes with the leader's lease, and a
// new term's key has a newer revision, so a deposed leader's writes fail in etcd itself.
type Fenced struct {
	kv.KV
	term kv.Cond
}

var _ kv.KV = (*Fenced)(nil)

// Fence returns store with every transaction conditional on term (the election key and the
// revision at which this member won it). The term's condition counts towards etcd's limit of
// conditions per transaction (128): the controllers' transactions hold a few.
func Fence(store kv.KV, term kv.Cond) *Fenced {
	return &Fenced{KV: store, term: term}
}

// Txn applies ops if conds hold and the term goes on. A failed condition is a conflict as the
// store reports it, unless the term is the one that failed: then ErrDeposed.
func (f *Fenced) Txn(ctx context.Context, conds []kv.Cond, ops []kv.Op) (int64, error) {
	rev, err := f.KV.Txn(ctx, append(slices.Clip(conds), f.term), ops)
	if !errors.Is(err, errdefs.ErrConflict) {
		return rev, err
	}
	if held, herr := f.Held(ctx); herr == nil && !held {
		return 0, ErrDeposed
	}
	return 0, err
}

// Held reports whether the term's election key is still there at the term's revision.
func (f *Fenced) Held(ctx context.Context) (bool, error) {
	cur, err := f.Get(ctx, f.term.Key)
	if errors.Is(err, errdefs.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return cur.ModRevision == f.term.ModRevision, nil
}
