package daemon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// region is one region's part of the server: the services that answer requests signed for
// it, over its store view and ARN scope, and its controllers.
type region struct {
	name     string
	services []awsproto.Service
	// registry serves the region's repositories at /v2/; nil for the home region, whose
	// registry the server serves itself.
	registry http.Handler
	// run runs the region's controllers until ctx ends; nil for the home region, whose
	// controllers the server runs itself.
	run func(ctx context.Context) error
}

// regionSet is every region the server serves: the home region, built with the server, and
// the others, opened when a request first names one and, at start, each that has objects, so
// that a restart resumes their controllers (docs/regions.md).
type regionSet struct {
	home *region
	root *store.Store
	// open builds a region other than the home region.
	open func(name string) (*region, error)
	// served are the regions served (Config.Regions); empty serves every region.
	served []string

	mu      sync.Mutex
	regions map[string]*region
	// start starts a region's controllers while Run runs; nil before and after.
	start   func(*region)
	stopped bool
}

// openKnown opens every region the store records, before the server serves.
func (rs *regionSet) openKnown(ctx context.Context) error {
	items, _, err := rs.root.Regions.List(ctx, "")
	if err != nil {
		return fmt.Errorf("list regions: %w", err)
	}
	for _, it := range items {
		if len(rs.served) > 0 && !slices.Contains(rs.served, it.Value.Name) {
			continue // its objects stay, unserved, until a server serves the region again
		}
		if _, err := rs.get(ctx, it.Value.Name); err != nil {
			return err
		}
	}
	return nil
}

// ServicesIn implements api.Deps.ServicesIn.
func (rs *regionSet) ServicesIn(ctx context.Context, name string) ([]awsproto.Service, error) {
	r, err := rs.get(ctx, name)
	if err != nil {
		return nil, err
	}
	return r.services, nil
}

// get returns the region called name, opening it and recording it in the store the first
// time.
func (rs *regionSet) get(ctx context.Context, name string) (*region, error) {
	if name == rs.home.name {
		return rs.home, nil
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if r, ok := rs.regions[name]; ok {
		return r, nil
	}
	if rs.stopped {
		return nil, errors.New("the server is stopping")
	}
	// Recorded first, so that a region's objects are never in the store unrecorded.
	if _, err := rs.root.Regions.Create(ctx, name, store.Region{Name: name}); err != nil && !errors.Is(err, errdefs.ErrAlreadyExists) {
		return nil, fmt.Errorf("record region %s: %w", name, err)
	}
	r, err := rs.open(name)
	if err != nil {
		return nil, fmt.Errorf("open region %s: %w", name, err)
	}
	if rs.regions == nil {
		rs.regions = map[string]*region{}
	}
	rs.regions[name] = r
	if rs.start != nil {
		rs.start(r)
	}
	return r, nil
}

// Run runs the controllers of every region but the home region, those opened later included,
// until ctx ends or one of them fails.
func (rs *regionSet) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	start := func(r *region) { g.Go(func() error { return r.run(gctx) }) }
	rs.mu.Lock()
	for _, r := range rs.regions {
		start(r)
	}
	rs.start = start
	rs.mu.Unlock()
	// Regions other members opened are recorded in the shared store: open them here too, so
	// that this node runs their tasks and this server's files of them are looked after.
	changed := make(chan struct{}, 1)
	known := store.NewInformer(rs.root.Regions, func(string) {
		select {
		case changed <- struct{}{}:
		default: // one pending signal covers every change: follow reads the whole record
		}
	})
	g.Go(func() error { return known.Run(gctx) })
	g.Go(func() error { return rs.follow(gctx, known, changed) })
	<-gctx.Done()
	rs.mu.Lock()
	// No region starts once Wait may run: a WaitGroup must not grow from zero during Wait.
	rs.start, rs.stopped = nil, true
	rs.mu.Unlock()
	return g.Wait()
}

// follow opens every served region known records, whenever it changes, until ctx ends.
func (rs *regionSet) follow(ctx context.Context, known *store.Informer[store.Region], changed <-chan struct{}) error {
	for {
		select {
		case <-changed:
		case <-ctx.Done():
			return nil
		}
		for _, it := range known.Filter(func(it store.Item[store.Region]) bool {
			return len(rs.served) == 0 || slices.Contains(rs.served, it.Value.Name)
		}) {
			if _, err := rs.get(ctx, it.Value.Name); err != nil && ctx.Err() == nil {
				return err
			}
		}
	}
}
