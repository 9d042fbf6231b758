package lb

import (
	"context"
	"sync/atomic"
	"time"
)

// syncTargets brings the proxy's targets in line with cfg and returns the compiled groups;
// p.mu is held. New targets start their health checks, targets that are gone start to drain,
// and draining targets that are back are registered again.
func (p *Proxy) syncTargets(cfg *Config) map[string]*group {
	now := p.now()
	seen := make(map[targetKey]bool)
	groups := make(map[string]*group, len(cfg.TargetGroups))
	rr := make(map[string]*atomic.Uint64, len(cfg.TargetGroups))
	gstats := make(map[string]*groupStats, len(cfg.TargetGroups))
	for i := range cfg.TargetGroups {
		tg := &cfg.TargetGroups[i]
		spec := newHealthSpec(tg)
		scheme := "http"
		if tg.Protocol == ProtocolHTTPS {
			scheme = "https"
		}
		targets := make([]*target, 0, len(tg.Targets))
		for _, ct := range tg.Targets {
			key := targetKey{group: tg.ID, id: ct.ID, addr: ct.Addr, scheme: scheme}
			seen[key] = true
			t := p.targets[key]
			if t == nil {
				t = newTarget(key, stickyToken(p.cfg.StickinessSecret, targetCookie, tg.ID, ct.ID), &p.cfg)
				p.targets[key] = t
				p.takeInheritedStats(t)
			}
			p.syncTarget(t, spec, orDefault(ct.HealthCheckAddr, ct.Addr), tg.DeregistrationDelay, now)
			targets = append(targets, t)
		}
		c := p.rr[tg.ID]
		if c == nil {
			c = new(atomic.Uint64)
		}
		rr[tg.ID] = c
		st := p.gstats[tg.ID]
		if st == nil {
			st = p.newGroupStats(tg.ID)
		}
		gstats[tg.ID] = st
		token := stickyToken(p.cfg.StickinessSecret, groupCookie, tg.ID, "")
		groups[tg.ID] = compileGroup(tg, token, c, st, targets)
	}
	p.rr, p.gstats = rr, gstats
	for key, t := range p.targets {
		if !seen[key] {
			p.startDrain(t, now)
		}
	}
	return groups
}

// syncTarget applies a group's settings to one of its targets. A new target, a draining one
// that is registered again, and one whose checks were switched on or off start over in their
// initial state (or unavailable, without checks).
func (p *Proxy) syncTarget(t *target, spec *healthSpec, hcAddr string, delay time.Duration, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	prev := t.spec
	t.spec, t.hcAddr, t.delay = spec, hcAddr, delay
	back := t.drainStop != nil
	if back {
		close(t.drainStop)
		t.drainStop = nil
	}
	if prev != nil && !back && prev.disabled == spec.disabled {
		return
	}
	if t.checkStop != nil {
		close(t.checkStop)
		t.checkStop = nil
	}
	start := initialHealth(spec)
	if prev == nil && !spec.disabled {
		if h, ok := p.takeInheritedHealth(t); ok {
			start = h // a successor goes on from its predecessor's view (Inherit)
		}
	}
	th, changed := t.setHealthLocked(start, now)
	if changed {
		p.notify(th)
	}
	if !spec.disabled {
		stop := make(chan struct{})
		t.checkStop = stop
		p.spawnLocked(func(ctx context.Context) { p.checkLoop(ctx, t, stop) })
	}
}

// startDrain takes a target out of routing: it stops its checks and starts the drain that
// releases it once idle or after its group's deregistration delay; p.mu is held.
func (p *Proxy) startDrain(t *target, now time.Time) {
	t.mu.Lock()
	if t.drainStop != nil {
		t.mu.Unlock()
		return
	}
	if t.checkStop != nil {
		close(t.checkStop)
		t.checkStop = nil
	}
	stop := make(chan struct{})
	t.drainStop = stop
	th, _ := t.setHealthLocked(health{state: stDraining, reason: ReasonDeregistrationInProgress, desc: descDraining}, now)
	delay := t.delay
	t.mu.Unlock()
	p.notify(th)
	p.spawnLocked(func(ctx context.Context) { p.drainLoop(ctx, t, stop, delay) })
}

// drainLoop releases t as soon as nothing is in flight on it, or when delay elapsed, unless
// it is registered again first (stop closes).
func (p *Proxy) drainLoop(ctx context.Context, t *target, stop chan struct{}, delay time.Duration) {
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for {
		if p.release(t, stop, false) {
			return
		}
		select {
		case <-t.idle:
		case <-timer.C:
			p.release(t, stop, true)
			return
		case <-stop:
			return
		case <-ctx.Done():
			return
		}
	}
}

// release ends the drain of t: with force regardless of requests in flight (their upstream
// connections are closed), otherwise only if none is. It reports whether the drain is over,
// which it also is when t was registered again meanwhile.
func (p *Proxy) release(t *target, stop chan struct{}, force bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	t.mu.Lock()
	if t.drainStop != stop {
		t.mu.Unlock()
		return true
	}
	if force {
		t.flight.Or(releasedBit)
	} else if !t.flight.CompareAndSwap(0, releasedBit) {
		t.mu.Unlock()
		return false
	}
	t.drainStop = nil
	th, _ := t.setHealthLocked(health{state: stUnused, reason: ReasonNotRegistered, desc: descNotRegistered}, p.now())
	t.mu.Unlock()
	if p.targets[t.key] == t {
		delete(p.targets, t.key)
	}
	t.close()
	if !p.hasTarget(t.key.group, t.key.id) {
		p.met.forget(t.key.group, t.key.id)
	}
	p.notify(th)
	return true
}

// hasTarget tells whether a target with this group and ID is still known (at another
// address); p.mu is held.
func (p *Proxy) hasTarget(group, id string) bool {
	for k := range p.targets {
		if k.group == group && k.id == id {
			return true
		}
	}
	return false
}
