package lb

// Memory is what one proxy hands to the next so that a restart or an upgrade of the data
// plane is invisible: each target's last health, and the traffic counters that deployments
// use as evidence. Proxy.Memory takes it; Proxy.Inherit gives it to a new proxy.
type Memory struct {
	Health  []TargetHealth
	Targets []TargetStats
	Groups  []GroupStats
}

// inherited is the part of a Memory that waits for its targets and groups to be configured.
type inherited struct {
	health  map[memKey]TargetHealth
	targets map[memKey]TargetStats
	groups  map[string]GroupStats
}

// memKey names a target in a Memory: group, ID and address (the scheme comes from the
// config, which the memory does not carry).
type memKey struct{ group, id, addr string }

// Memory returns the proxy's health and counters, for a successor to Inherit.
func (p *Proxy) Memory() Memory {
	return Memory{Health: p.Health(), Targets: p.TargetStats(), Groups: p.GroupStats()}
}

// Inherit takes over what a predecessor knew. Counters are added to those of the targets and
// groups they name: at once to what the proxy has configured, on configuration to the rest.
// A target configured after Inherit starts in its remembered health instead of its initial
// checks when it was healthy, unhealthy or unavailable, so that a new proxy never starts from
// "no healthy targets" when the old one had healthy ones (its checks go on from there).
// Health is not applied to targets configured already: the proxy's own checks know better.
func (p *Proxy) Inherit(m Memory) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inherit.health == nil {
		p.inherit = inherited{health: map[memKey]TargetHealth{}, targets: map[memKey]TargetStats{}, groups: map[string]GroupStats{}}
	}
	for _, h := range m.Health {
		if h.State == StateHealthy || h.State == StateUnhealthy || h.State == StateUnavailable {
			p.inherit.health[memKey{h.GroupID, h.TargetID, h.Addr}] = h
		}
	}
	for _, s := range m.Targets {
		k := memKey{s.GroupID, s.TargetID, s.Addr}
		if t := p.findTarget(k); t != nil {
			t.stats.add(&s)
			continue
		}
		p.inherit.targets[k] = p.inherit.targets[k].plus(&s)
	}
	for _, g := range m.Groups {
		if st := p.gstats[g.GroupID]; st != nil {
			st.add(g)
			continue
		}
		prev := p.inherit.groups[g.GroupID]
		p.inherit.groups[g.GroupID] = GroupStats{GroupID: g.GroupID, NoTarget: prev.NoTarget + g.NoTarget,
			BadGateway: prev.BadGateway + g.BadGateway, GatewayTimeout: prev.GatewayTimeout + g.GatewayTimeout}
	}
}

// findTarget returns the configured target k names; p.mu is held.
func (p *Proxy) findTarget(k memKey) *target {
	for key, t := range p.targets {
		if key.group == k.group && key.id == k.id && key.addr == k.addr {
			return t
		}
	}
	return nil
}

// takeInheritedStats adds the remembered counters of a target just created; p.mu is held.
func (p *Proxy) takeInheritedStats(t *target) {
	k := memKey{t.key.group, t.key.id, t.key.addr}
	if s, ok := p.inherit.targets[k]; ok {
		t.stats.add(&s)
		delete(p.inherit.targets, k)
	}
}

// takeInheritedHealth returns the remembered health of a target just created; p.mu is held.
func (p *Proxy) takeInheritedHealth(t *target) (health, bool) {
	k := memKey{t.key.group, t.key.id, t.key.addr}
	h, ok := p.inherit.health[k]
	if !ok {
		return health{}, false
	}
	delete(p.inherit.health, k)
	switch h.State {
	case StateHealthy:
		return health{state: stHealthy}, true
	case StateUnhealthy:
		return health{state: stUnhealthy, reason: h.Reason, desc: h.Description}, true
	}
	return health{}, false // unavailable: a group without checks starts there anyway
}

// newGroupStats returns the counters of a group just configured, with what it inherited;
// p.mu is held.
func (p *Proxy) newGroupStats(id string) *groupStats {
	st := new(groupStats)
	if g, ok := p.inherit.groups[id]; ok {
		st.add(g)
		delete(p.inherit.groups, id)
	}
	return st
}

func (s *targetStats) add(o *TargetStats) {
	s.requests.Add(o.Requests)
	s.resp5xx.Add(o.Responses5xx)
	s.errors.Add(o.Errors)
	for i, n := range o.Latency {
		s.latency[i].Add(n)
	}
}

func (s TargetStats) plus(o *TargetStats) TargetStats {
	s.GroupID, s.TargetID, s.Addr = o.GroupID, o.TargetID, o.Addr
	s.Requests += o.Requests
	s.Responses5xx += o.Responses5xx
	s.Errors += o.Errors
	for i, n := range o.Latency {
		s.Latency[i] += n
	}
	return s
}

func (s *groupStats) add(g GroupStats) {
	s.noTarget.Add(g.NoTarget)
	s.badGateway.Add(g.BadGateway)
	s.gatewayTimeout.Add(g.GatewayTimeout)
}

// Minus returns the counts m has beyond base, target by target and group by group: what a
// proxy counted after base was taken. Health is left out.
func (m Memory) Minus(base Memory) Memory {
	bt := map[memKey]TargetStats{}
	for _, s := range base.Targets {
		bt[memKey{s.GroupID, s.TargetID, s.Addr}] = s
	}
	bg := map[string]GroupStats{}
	for _, g := range base.Groups {
		bg[g.GroupID] = g
	}
	var out Memory
	for _, s := range m.Targets {
		b := bt[memKey{s.GroupID, s.TargetID, s.Addr}]
		d := TargetStats{GroupID: s.GroupID, TargetID: s.TargetID, Addr: s.Addr,
			Requests: s.Requests - b.Requests, Responses5xx: s.Responses5xx - b.Responses5xx, Errors: s.Errors - b.Errors}
		for i := range d.Latency {
			d.Latency[i] = s.Latency[i] - b.Latency[i]
		}
		if d.Requests < 0 || d.Responses5xx < 0 || d.Errors < 0 {
			d = s // released and registered again since base: its counts started over
		}
		out.Targets = append(out.Targets, d)
	}
	for _, g := range m.Groups {
		b := bg[g.GroupID]
		d := GroupStats{GroupID: g.GroupID, NoTarget: g.NoTarget - b.NoTarget, BadGateway: g.BadGateway - b.BadGateway, GatewayTimeout: g.GatewayTimeout - b.GatewayTimeout}
		if d.NoTarget < 0 || d.BadGateway < 0 || d.GatewayTimeout < 0 {
			d = g
		}
		out.Groups = append(out.Groups, d)
	}
	return out
}
