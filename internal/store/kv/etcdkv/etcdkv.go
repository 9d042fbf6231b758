package etcdkv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// KV is a kv.KV over an etcd client. Create it with New.
type KV struct {
	client *clientv3.Client

	mu      sync.Mutex
	closed  bool
	done    chan struct{}
	watches sync.WaitGroup
}

var _ kv.KV = (*KV)(nil)

// New returns a KV over client. The caller keeps owning client: Close does not close it, and the
// caller closes it after closing the KV.
func New(client *clientv3.Client) *KV {
	return &KV{client: client, done: make(chan struct{})}
}

// Get returns the key, or an error of kind errdefs.ErrNotFound.
func (k *KV) Get(ctx context.Context, key string) (kv.KeyValue, error) {
	if err := k.check(); err != nil {
		return kv.KeyValue{}, err
	}
	resp, err := k.client.Get(ctx, key)
	if err != nil {
		return kv.KeyValue{}, wrap(ctx, fmt.Sprintf("get %q", key), err)
	}
	if len(resp.Kvs) == 0 {
		return kv.KeyValue{}, errdefs.NotFound("etcdkv: key %q not found", key)
	}
	return keyValue(resp.Kvs[0]), nil
}

// List returns the keys with the prefix in key order, etcd's default order of a range.
func (k *KV) List(ctx context.Context, prefix string) ([]kv.KeyValue, int64, error) {
	if err := k.check(); err != nil {
		return nil, 0, err
	}
	resp, err := k.client.Get(ctx, prefix, clientv3.WithPrefix())
	if err != nil {
		return nil, 0, wrap(ctx, fmt.Sprintf("list %q", prefix), err)
	}
	kvs := make([]kv.KeyValue, len(resp.Kvs))
	for i, v := range resp.Kvs {
		kvs[i] = keyValue(v)
	}
	return kvs, resp.Header.Revision, nil
}

// Txn applies ops in one etcd transaction guarded by a mod revision comparison per cond.
func (k *KV) Txn(ctx context.Context, conds []kv.Cond, ops []kv.Op) (int64, error) {
	if err := k.check(); err != nil {
		return 0, err
	}
	cmps := make([]clientv3.Cmp, len(conds))
	for i, c := range conds {
		cmps[i] = clientv3.Compare(clientv3.ModRevision(c.Key), "=", c.ModRevision)
	}
	then := make([]clientv3.Op, len(ops))
	for i, op := range ops {
		if op.Delete {
			then[i] = clientv3.OpDelete(op.Key)
		} else {
			then[i] = clientv3.OpPut(op.Key, string(op.Value))
		}
	}
	resp, err := k.client.Txn(ctx).If(cmps...).Then(then...).Commit()
	if err != nil {
		return 0, wrap(ctx, "txn", err)
	}
	if !resp.Succeeded {
		return 0, errdefs.Conflict("etcdkv: a transaction condition no longer holds")
	}
	return resp.Header.Revision, nil
}

// Close ends every watch of k and waits for them; later calls fail. It leaves the client open.
// It is safe to call more than once.
func (k *KV) Close() error {
	k.mu.Lock()
	if k.closed {
		k.mu.Unlock()
		return nil
	}
	k.closed = true
	close(k.done)
	k.mu.Unlock()
	k.watches.Wait()
	return nil
}

// check fails once k is closed.
func (k *KV) check() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.closed {
		return errClosed
	}
	return nil
}

var errClosed = errdefs.Unavailable("etcdkv: store is closed")

// keyValue copies an etcd key-value. The copy matters with an in-process client, whose
// responses may share memory with the server.
func keyValue(v *mvccpb.KeyValue) kv.KeyValue {
	return kv.KeyValue{
		Key:            string(v.Key),
		Value:          bytes.Clone(v.Value),
		ModRevision:    v.ModRevision,
		CreateRevision: v.CreateRevision,
	}
}

// wrap gives an etcd error of op its kind. Context errors stay themselves.
func wrap(ctx context.Context, op string, err error) error {
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("etcdkv: %s: %w", op, err)
	case ctx.Err() != nil:
		return fmt.Errorf("etcdkv: %s: %w (%w)", op, ctx.Err(), err)
	case errors.Is(err, rpctypes.ErrTooManyOps), errors.Is(err, rpctypes.ErrRequestTooLarge),
		errors.Is(err, rpctypes.ErrDuplicateKey), errors.Is(err, rpctypes.ErrEmptyKey):
		return fmt.Errorf("etcdkv: %s: %w", op, errdefs.InvalidArgument("%v", err))
	case errors.Is(err, rpctypes.ErrCompacted):
		return fmt.Errorf("etcdkv: %s: %w: %w", op, err, kv.ErrCompacted)
	default:
		return fmt.Errorf("etcdkv: %s: %w", op, errdefs.Unavailable("%v", err))
	}
}
