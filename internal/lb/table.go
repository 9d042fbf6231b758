package lb

import (
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// table is the compiled, immutable routing of one Config. Proxy.table points at the current
// one; a request loads it once and uses only that snapshot, so it sees either the old routing
// or the new, never a mix. The *target values it points at are shared between tables: they
// carry health, in-flight counts and connection pools from one config to the next.
type table struct {
	routes map[string]*route // by listener ID
}

// route is a compiled listener: its rules in evaluation order and its metric handles.
type route struct {
	id       string
	rules    []rule
	inflight prometheus.Gauge
	latency  prometheus.Observer
	direct   classCounters // responses that no target produced
}

type rule struct {
	conds []cond
	act   action
}

// Action kinds of a compiled action.
const (
	actForward uint8 = iota
	actFixed
	actRedirect
)

type action struct {
	kind  uint8
	fwd   *forward
	fixed *fixedResponse
	redir *Redirect // defaults applied
}

// forward is a compiled forward action: the groups with their weights and cookies.
type forward struct {
	groups []fwdGroup
	total  int // sum of weights
	sticky bool
}

type fwdGroup struct {
	g         *group
	weight    int
	token     string // AWSALBTG cookie value that selects this group
	setCookie string // Set-Cookie header value, when the forward is sticky
	// counters are this listener's request counters of each target of g, by index.
	counters []classCounters
}

// group is a compiled target group. Its targets are the registered (not draining) ones in
// config order; routing skips those whose health makes them unroutable.
type group struct {
	id        string
	token     string         // AWSALBTG cookie value of this group
	rr        *atomic.Uint64 // round-robin position; shared by all tables of this group
	stats     *groupStats    // the listeners' own error answers; shared likewise
	algorithm string
	slowStart time.Duration
	targets   []*target
	sticky    bool
	setCookie []string       // per target: Set-Cookie value of the AWSALB cookie
	byToken   map[string]int // AWSALB cookie value → index in targets
}

type fixedResponse struct {
	status      int
	contentType []string
	length      []string
	body        []byte
}

// Status classes of the request counters.
const numClasses = 5

var classNames = [numClasses]string{"1xx", "2xx", "3xx", "4xx", "5xx"}

func statusClass(code int) int {
	return min(max(code/100-1, 0), numClasses-1)
}

// classCounters are the request counters of one label set by status class, resolved from the
// CounterVec on first use so the hot path does one atomic load instead of a label lookup.
type classCounters [numClasses]atomic.Pointer[counterBox]

type counterBox struct{ c prometheus.Counter }

func (cc *classCounters) inc(vec *prometheus.CounterVec, status int, listener, group, target string) {
	i := statusClass(status)
	b := cc[i].Load()
	if b == nil {
		b = &counterBox{c: vec.WithLabelValues(listener, group, target, classNames[i])}
		cc[i].Store(b)
	}
	b.c.Inc()
}

// compile builds the routing table of cfg over the compiled groups. cfg is valid.
func compile(cfg *Config, groups map[string]*group, m *metrics) *table {
	t := &table{routes: make(map[string]*route, len(cfg.Listeners))}
	for i := range cfg.Listeners {
		l := &cfg.Listeners[i]
		r := &route{
			id:       l.ID,
			rules:    make([]rule, len(l.Rules)),
			inflight: m.inflight.WithLabelValues(l.ID),
			latency:  m.latency.WithLabelValues(l.ID),
		}
		for j := range l.Rules {
			r.rules[j] = compileRule(&l.Rules[j], groups)
		}
		t.routes[l.ID] = r
	}
	return t
}

func compileRule(r *Rule, groups map[string]*group) rule {
	out := rule{conds: make([]cond, len(r.Conditions))}
	for i, c := range r.Conditions {
		out.conds[i] = compileCond(c)
	}
	switch a := r.Action; a.Type {
	case ActionForward:
		out.act = action{kind: actForward, fwd: compileForward(&a.Forward, groups)}
	case ActionFixedResponse:
		f := a.FixedResponse
		out.act = action{kind: actFixed, fixed: &fixedResponse{
			status:      f.StatusCode,
			contentType: []string{orDefault(f.ContentType, "text/plain; charset=utf-8")},
			length:      []string{strconv.Itoa(len(f.Body))},
			body:        []byte(f.Body),
		}}
	case ActionRedirect:
		rd := a.Redirect
		rd.Protocol = orDefault(rd.Protocol, "#{protocol}")
		rd.Host = orDefault(rd.Host, "#{host}")
		rd.Port = orDefault(rd.Port, "#{port}")
		rd.Path = orDefault(rd.Path, "/#{path}")
		rd.Query = orDefault(rd.Query, "#{query}")
		rd.StatusCode = orDefault(rd.StatusCode, 302)
		out.act = action{kind: actRedirect, redir: &rd}
	}
	return out
}

func compileForward(f *Forward, groups map[string]*group) *forward {
	out := &forward{sticky: f.Stickiness}
	age := maxAge(f.StickinessDuration)
	for _, wg := range f.TargetGroups {
		g := groups[wg.GroupID]
		fg := fwdGroup{
			g:        g,
			weight:   wg.Weight,
			token:    g.token,
			counters: make([]classCounters, len(g.targets)),
		}
		if f.Stickiness {
			fg.setCookie = groupCookie + "=" + fg.token + age
		}
		out.total += wg.Weight
		out.groups = append(out.groups, fg)
	}
	return out
}

// maxAge is the attribute tail of a stickiness cookie; the default duration is ALB's one day.
func maxAge(d time.Duration) string {
	s := int64(orDefault(d, 24*time.Hour) / time.Second)
	return "; Max-Age=" + strconv.FormatInt(max(s, 1), 10) + "; Path=/"
}

// compileGroup builds the compiled form of g over its runtime targets.
func compileGroup(g *TargetGroup, token string, rr *atomic.Uint64, stats *groupStats, targets []*target) *group {
	out := &group{
		id:        g.ID,
		token:     token,
		rr:        rr,
		stats:     stats,
		algorithm: orDefault(g.Algorithm, AlgorithmRoundRobin),
		slowStart: g.SlowStart,
		targets:   targets,
		sticky:    g.Stickiness,
	}
	if g.Stickiness {
		age := maxAge(g.StickinessDuration)
		out.setCookie = make([]string, len(targets))
		out.byToken = make(map[string]int, len(targets))
		for i, t := range targets {
			out.setCookie[i] = targetCookie + "=" + t.token + age
			out.byToken[t.token] = i
		}
	}
	return out
}
