package lbsync

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/reconcile"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv"
)

// clusterState is what a controller that is one of several data-plane nodes keeps of the
// others, and of itself for its reports. It is guarded by Controller.mu.
type clusterState struct {
	seen     map[string]time.Time // when each node's report last changed, by this node's clock
	revs     map[string]int64     // the store revision of each node's report then
	applied  int64                // the registrations' revision the applied routing reflects
	failures map[string]string    // why listeners cannot serve here, by listener ARN
	live     []string             // the live peers at the last report, to notice one's death
	views    []nodeView           // the live peers' reports (peers), while viewsOK
	viewsOK  bool
	gen      int64 // counts the reports seen, so that views computed before one are not kept
	termKV   kv.KV // the term's fenced store, and its view in the region
	termSt   *store.Store
}

// releaseKey is the one key of releaseQ.
const releaseKey = "release"

// setApplied records what the last reconcile of the config applied: the registrations'
// revision (-1: unchanged) and the listeners that cannot serve.
func (c *Controller) setApplied(rev int64, failures map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if rev >= 0 {
		c.cluster.applied = rev
	}
	c.cluster.failures = failures
}

// appliedHere reports whether this node's routing reflects the registrations' revision rev.
// A lone data plane releases right after it applied, from the same informer; one of several
// nodes also releases when the others' reports change, perhaps before it applied a
// deregistration its informer already holds.
func (c *Controller) appliedHere(rev int64) bool {
	if c.nodes == nil {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cluster.applied >= rev
}

// control returns the store through which the work that must be done once is written, and
// whether this controller does it: a lone data plane always does, through its store; one of
// several nodes only while it leads, through the term's fenced store.
func (c *Controller) control() (*store.Store, bool) {
	if c.cfg.Node == nil {
		return c.st, true
	}
	term, ok := c.cfg.Node.leading()
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cluster.termKV != term {
		st := store.New(term)
		if c.region != "" {
			st = st.In(c.region)
		}
		c.cluster.termKV, c.cluster.termSt = term, st
	}
	return c.cluster.termSt, true
}

func (c *Controller) nodeName() string {
	if c.cfg.Node == nil {
		return ""
	}
	return c.cfg.Node.Name()
}

// peers are the other live data-plane nodes' reports; none for a lone data plane. They are
// computed once per change of a report: every registration's health reads them. A node that
// times out leaves them at the next report round (noticeDeaths), a little late, never early.
func (c *Controller) peers() []nodeView {
	if c.nodes == nil {
		return nil
	}
	c.mu.Lock()
	cached, ok := c.cluster.views, c.cluster.viewsOK
	c.mu.Unlock()
	if ok {
		return cached
	}
	return c.livePeers()
}

// livePeers computes the peers afresh and caches them.
func (c *Controller) livePeers() []nodeView {
	c.mu.Lock()
	seen, gen := maps.Clone(c.cluster.seen), c.cluster.gen
	c.mu.Unlock()
	views := liveNodes(values(c.nodes), seen, c.nodeName(), c.cfg.Now(), c.cfg.Node.cfg.Timeout)
	c.mu.Lock()
	if c.cluster.gen == gen { // no report came meanwhile: these views are the latest
		c.cluster.views, c.cluster.viewsOK = views, true
	}
	c.mu.Unlock()
	return views
}

// nodeChanged notes that a node reported (it lives), and has the leader judge again what
// depends on the nodes' views: targets' health and releases.
func (c *Controller) nodeChanged(name string) {
	it, ok := c.nodes.Get(name)
	c.mu.Lock()
	if ok && c.cluster.revs[name] != it.Revision {
		// A new report; a list after a broken watch that finds the same one is no sign of life.
		c.cluster.seen[name], c.cluster.revs[name] = c.cfg.Now(), it.Revision
	}
	c.cluster.viewsOK, c.cluster.gen = false, c.cluster.gen+1
	c.mu.Unlock()
	if name != c.nodeName() && c.cfg.Node.Leading() {
		c.rejudge()
	}
}

func (c *Controller) rejudge() {
	c.releaseQ.Add(releaseKey)
	c.requeueRegistrations()
}

// catchUp requeues everything when a term begins or ends: a new leader does at once what
// was left undone.
func (c *Controller) catchUp() {
	c.configQ.Add(configKey)
	c.rejudge()
	for _, it := range c.tasks.Filter(func(store.Item[ecs.Task]) bool { return true }) {
		c.taskQ.Add(it.ID)
	}
}

func (c *Controller) reconcileRelease(ctx context.Context, _ string) (reconcile.Result, error) {
	return reconcile.Result{}, c.releaseDrained(ctx)
}

// report writes this node's report every ReportInterval, and at once when its view of a
// target changed; it also notices when another node's report stopped changing long enough
// for it to count as dead.
func (c *Controller) report(ctx context.Context) error {
	tick := time.NewTicker(c.cfg.Node.cfg.ReportInterval)
	defer tick.Stop()
	for {
		if err := c.writeReport(ctx); err != nil && ctx.Err() == nil {
			c.logProblems([]Problem{{Object: "data-plane node report", Reason: err.Error()}})
		}
		c.noticeDeaths()
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-c.reportNow:
		}
	}
}

func (c *Controller) writeReport(ctx context.Context) error {
	m := c.cfg.Node.cfg
	c.mu.Lock()
	rev, failures := c.cluster.applied, maps.Clone(c.cluster.failures)
	c.mu.Unlock()
	n := elb.Node{Name: m.Name, BindHost: m.BindHost, Build: m.Build, StartedAt: m.StartedAt, Beat: c.cfg.Now(),
		Revision: rev, ListenerFailures: failures, Targets: nodeTargets(c.proxy.Health(), c.proxy.TargetStats())}
	var txn store.Txn
	if err := c.st.DataPlaneNodes.Put(&txn, m.Name, n, -1); err != nil {
		return err
	}
	_, err := c.st.Commit(ctx, &txn)
	return err
}

// noticeDeaths has the leader judge again when the set of live peers changed.
func (c *Controller) noticeDeaths() {
	var live []string
	for _, p := range c.livePeers() {
		live = append(live, p.Name)
	}
	c.mu.Lock()
	changed := !slices.Equal(live, c.cluster.live)
	c.cluster.live = live
	c.mu.Unlock()
	if changed && c.cfg.Node.Leading() {
		c.rejudge()
	}
}

// nodeTargets is the proxy's view of its targets as a report holds it. Where a target's
// address changed, two entries share its key: the routable one tells its health.
func nodeTargets(health []lb.TargetHealth, stats []lb.TargetStats) []elb.NodeTarget {
	byKey := map[string]int{}
	var out []elb.NodeTarget
	for _, h := range health {
		key := h.GroupID + "|" + h.TargetID
		t := elb.NodeTarget{TargetGroupARN: h.GroupID, Key: h.TargetID,
			Health: elb.TargetHealth{State: elb.TargetState(h.State), Reason: h.Reason, Description: h.Description}}
		if i, ok := byKey[key]; ok {
			if routable(t.Health.State) {
				out[i].Health = t.Health
			}
			continue
		}
		byKey[key] = len(out)
		out = append(out, t)
	}
	for _, s := range stats {
		i, ok := byKey[s.GroupID+"|"+s.TargetID]
		if !ok {
			byKey[s.GroupID+"|"+s.TargetID] = len(out)
			i = len(out)
			out = append(out, elb.NodeTarget{TargetGroupARN: s.GroupID, Key: s.TargetID})
		}
		t := &out[i]
		t.Requests += s.Requests
		t.Errors += s.Responses5xx + s.Errors
		if len(t.Latency) == 0 {
			t.Latency = make([]int64, lb.NumLatencyBuckets)
		}
		for j, n := range s.Latency {
			t.Latency[j] += n
		}
	}
	return out
}
