package reconcile_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/fargohq/fargo/internal/reconcile"
)

// BenchmarkThroughput measures adding and reconciling 100k distinct keys with a reconciler
// that does nothing, i.e. the queue's own cost per key.
func BenchmarkThroughput(b *testing.B) {
	const n = 100_000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "key-" + strconv.Itoa(i)
	}
	for _, workers := range []int{1, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var left atomic.Int64
				left.Store(n)
				finished := make(chan struct{})
				r := reconcile.ReconcilerFunc(func(context.Context, string) (reconcile.Result, error) {
					if left.Add(-1) == 0 {
						close(finished)
					}
					return reconcile.Result{}, nil
				})
				c := reconcile.New("bench", r, reconcile.Config{Workers: workers}, nil)
				ctx, cancel := context.WithCancel(b.Context())
				errc := make(chan error, 1)
				go func() { errc <- c.Run(ctx) }()
				for _, k := range keys {
					c.Add(k)
				}
				<-finished
				cancel()
				if err := <-errc; err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
		})
	}
}
