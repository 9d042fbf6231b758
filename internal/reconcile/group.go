package reconcile

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Cache is a local copy of stored objects that controllers read instead of the store (a
// store.Informer): Run fills it and keeps it current until ctx ends, and Synced is closed once
// it holds everything that was stored when it started.
type Cache interface {
	Run(ctx context.Context) error
	Synced() <-chan struct{}
}

// Group runs what one component of fargo's control plane is made of (the scheduler, the
// deployer, the agent, lbsync): its caches from the start, and its controllers and loops only
// once every cache has synced, so that no reconcile plans from a partial view of the store.
type Group struct {
	// Caches feed the controllers, usually through their change callbacks.
	Caches []Cache
	// Start, when set, runs once the caches have synced and before the controllers and loops
	// start: work that needs the whole view first, such as re-adopting running containers.
	Start func(ctx context.Context) error
	// Controllers reconcile their keys once the caches have synced; keys added before wait.
	Controllers []*Controller
	// Loops run beside the controllers: periodic work such as garbage collection or
	// heartbeats.
	Loops []func(ctx context.Context) error
}

// Run runs the group until ctx ends, then returns nil, or until a part of it fails, then
// returns that part's error. Either way it returns only after every part has stopped.
func (g Group) Run(ctx context.Context) error {
	eg, ctx := errgroup.WithContext(ctx)
	for _, c := range g.Caches {
		eg.Go(func() error { return c.Run(ctx) })
	}
	eg.Go(func() error {
		for _, c := range g.Caches {
			select {
			case <-c.Synced():
			case <-ctx.Done():
				return nil
			}
		}
		if g.Start != nil {
			if err := g.Start(ctx); err != nil {
				if ctx.Err() != nil {
					return nil // stopping: the error is only Start's reaction to it
				}
				return err
			}
		}
		for _, c := range g.Controllers {
			eg.Go(func() error { return c.Run(ctx) })
		}
		for _, loop := range g.Loops {
			eg.Go(func() error { return loop(ctx) })
		}
		return nil
	})
	return eg.Wait()
}
