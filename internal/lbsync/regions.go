package lbsync

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/store"
)

// Regions runs one Controller per region over one proxy: the home region's over the store
// given, and one over the view of each region the store records (store.Store.Regions), started
// as it appears. One machine's listeners serve every region's load balancers, so the proxy
// gets the union of the regions' configurations.
type Regions struct {
	st    *store.Store
	cfg   Config
	log   *slog.Logger
	union *union
	home  *Controller
	known *store.Informer[store.Region]

	mu    sync.Mutex
	ctrls map[string]*Controller
	// start starts a region's controller while Run runs; nil before and after.
	start   func(*Controller)
	stopped bool
}

// NewRegions returns the controllers of every region over st driving proxy. initial is what
// the proxy serves already (a data plane's saved configuration): each region's part of it
// stays until that region's controller applies its own.
func NewRegions(st *store.Store, proxy Proxy, initial lb.Config, cfg Config, log *slog.Logger) *Regions {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Regions{st: st, cfg: cfg, log: log, union: newUnion(proxy, initial), ctrls: map[string]*Controller{}}
	r.home = New(st, r.union.part(""), cfg, log)
	r.known = store.NewInformer(st.Regions, func(string) { r.openAll() })
	return r
}

// Notify hands a target's health to the controller of the region whose group it is.
func (r *Regions) Notify(h lb.TargetHealth) {
	owner := r.union.owner(h.GroupID)
	r.mu.Lock()
	c, ok := r.ctrls[owner]
	r.mu.Unlock()
	if !ok {
		c = r.home
	}
	c.Notify(h)
}

// Run runs every region's controller until ctx ends or one fails. The regions recorded are
// known before any controller applies, so that none drops another region's listeners.
func (r *Regions) Run(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return r.known.Run(gctx) })
	select {
	case <-r.known.Synced():
	case <-gctx.Done():
		return g.Wait()
	}
	start := func(c *Controller) { g.Go(func() error { return c.Run(gctx) }) }
	r.openAll()
	r.mu.Lock()
	start(r.home)
	for _, c := range r.ctrls {
		start(c)
	}
	r.start = start
	r.mu.Unlock()
	<-gctx.Done()
	r.mu.Lock()
	r.start, r.stopped = nil, true // a WaitGroup must not grow from zero during Wait
	r.mu.Unlock()
	return g.Wait()
}

// openAll builds the controller of each recorded region that has none yet.
func (r *Regions) openAll() {
	for _, it := range r.known.Filter(func(store.Item[store.Region]) bool { return true }) {
		name := it.Value.Name
		r.mu.Lock()
		if _, ok := r.ctrls[name]; !ok && !r.stopped {
			r.union.claim(name)
			c := New(r.st.In(name), r.union.part(name), r.cfg, r.log.With("region", name))
			c.region = name
			r.ctrls[name] = c
			if r.start != nil {
				r.start(c)
			}
		}
		r.mu.Unlock()
	}
}

// union applies the union of the regions' configurations to one proxy. Listener and target
// group IDs are ARNs, which name their region, so the parts never collide.
type union struct {
	proxy Proxy

	mu     sync.Mutex
	parts  map[string]lb.Config // by region; "" is the home region
	owners map[string]string    // target group ID → region
}

func newUnion(proxy Proxy, initial lb.Config) *union {
	u := &union{proxy: proxy, parts: map[string]lb.Config{"": initial}, owners: map[string]string{}}
	u.index("", initial)
	return u
}

// part is the proxy as the controller of region sees it: its Apply replaces the region's part
// of the union, its reports cover the region's target groups alone.
func (u *union) part(region string) Proxy { return &unionPart{u: u, region: region} }

// claim moves the objects of region that the home part holds (from the initial configuration)
// into region's part.
func (u *union) claim(region string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var home, own lb.Config
	for _, l := range u.parts[""].Listeners {
		if regionOf(l.ID) == region {
			own.Listeners = append(own.Listeners, l)
		} else {
			home.Listeners = append(home.Listeners, l)
		}
	}
	for _, g := range u.parts[""].TargetGroups {
		if regionOf(g.ID) == region {
			own.TargetGroups = append(own.TargetGroups, g)
		} else {
			home.TargetGroups = append(home.TargetGroups, g)
		}
	}
	u.parts[""], u.parts[region] = home, own
	u.index(region, own)
}

// regionOf is the region of an ARN: its fourth field.
func regionOf(id string) string {
	parts := strings.SplitN(id, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

func (u *union) index(region string, cfg lb.Config) {
	for _, g := range cfg.TargetGroups {
		u.owners[g.ID] = region
	}
}

// owner is the region of a target group: the part that holds it or, for a group no part
// holds any more (draining), the region its ARN names, if that has a part.
func (u *union) owner(groupID string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	if region, ok := u.owners[groupID]; ok {
		return region
	}
	if region := regionOf(groupID); region != "" {
		if _, ok := u.parts[region]; ok {
			return region
		}
	}
	return ""
}

func (u *union) apply(region string, cfg lb.Config) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.parts[region] = cfg
	clear(u.owners)
	for name, part := range u.parts {
		u.index(name, part)
	}
	regions := make([]string, 0, len(u.parts))
	for name := range u.parts {
		regions = append(regions, name)
	}
	sort.Strings(regions) // the same parts give the same config
	var all lb.Config
	for _, name := range regions {
		all.Listeners = append(all.Listeners, u.parts[name].Listeners...)
		all.TargetGroups = append(all.TargetGroups, u.parts[name].TargetGroups...)
	}
	return u.proxy.Apply(all)
}

// owns reports whether the target group is region's.
func (u *union) owns(region, groupID string) bool { return u.owner(groupID) == region }

type unionPart struct {
	u      *union
	region string
}

var _ Proxy = (*unionPart)(nil)

func (p *unionPart) Apply(cfg lb.Config) error { return p.u.apply(p.region, cfg) }

func (p *unionPart) Health() []lb.TargetHealth {
	return keep(p.u.proxy.Health(), func(h lb.TargetHealth) bool { return p.u.owns(p.region, h.GroupID) })
}

func (p *unionPart) TargetStats() []lb.TargetStats {
	return keep(p.u.proxy.TargetStats(), func(s lb.TargetStats) bool { return p.u.owns(p.region, s.GroupID) })
}

func (p *unionPart) GroupStats() []lb.GroupStats {
	return keep(p.u.proxy.GroupStats(), func(s lb.GroupStats) bool { return p.u.owns(p.region, s.GroupID) })
}

func keep[T any](all []T, ok func(T) bool) []T {
	out := all[:0:0]
	for _, v := range all {
		if ok(v) {
			out = append(out, v)
		}
	}
	return out
}
