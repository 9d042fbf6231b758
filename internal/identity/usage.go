package identity

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
)

// maxUsageWrites is how many keys' usage one transaction writes; etcd allows 128 operations.
const maxUsageWrites = 100

// Used notes that accessKeyID signed a request for service in region now. The note is
// written with the next batch; the root key's use is not recorded.
func (d *Directory) Used(accessKeyID, service, region string) {
	if _, root := d.deps.Root(accessKeyID); root {
		return
	}
	d.mu.Lock()
	d.usage[accessKeyID] = iam.KeyUse{LastUsed: d.deps.Now().UTC(), Service: service, Region: region}
	d.mu.Unlock()
}

func (d *Directory) flushLoop(ctx context.Context) error {
	t := time.NewTicker(d.cfg.UsageFlush)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			d.flush(context.WithoutCancel(ctx))
			return nil
		case <-t.C:
			d.flush(ctx)
		}
	}
}

// flush writes the usage noted since the last flush. Usage is a hint (AWS itself records it
// hours late), so a failed write is logged, not retried, and keys deleted meanwhile are
// skipped.
func (d *Directory) flush(ctx context.Context) {
	d.mu.Lock()
	batch := d.usage
	d.usage = map[string]iam.KeyUse{}
	d.mu.Unlock()
	var txn store.Txn
	n := 0
	for _, id := range slices.Sorted(maps.Keys(batch)) {
		if _, ok := d.keys.Get(id); !ok {
			continue
		}
		if err := d.deps.Store.IAMKeyUsage.Put(&txn, id, batch[id], -1); err != nil {
			d.deps.Logger.Warn("record access key usage", "access_key_id", id, "err", err)
			continue
		}
		if n++; n == maxUsageWrites {
			d.commit(ctx, &txn)
			txn, n = store.Txn{}, 0
		}
	}
	if n > 0 {
		d.commit(ctx, &txn)
	}
}

func (d *Directory) commit(ctx context.Context, txn *store.Txn) {
	if _, err := d.deps.Store.Commit(ctx, txn); err != nil {
		d.deps.Logger.Warn("record access key usage", "err", err)
	}
}
