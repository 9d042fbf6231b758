package lbsync

import (
	"cmp"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// DefaultNodeTimeout is how long a data-plane node whose report stopped changing still counts
// as live (MembershipConfig.Timeout).
const DefaultNodeTimeout = 10 * time.Second

// MembershipConfig describes this data-plane node to the others. Name is required.
type MembershipConfig struct {
	// Name is the node's name, unique among the nodes that share a store.
	Name string
	// BindHost and Build are reported to the others and to operators.
	BindHost string
	Build    string
	// StartedAt is when the node's process started.
	StartedAt time.Time
	// Timeout is how long a node whose report stopped changing still counts as live; a dead
	// node holds back releases and health for this long (default DefaultNodeTimeout).
	Timeout time.Duration
	// ReportInterval is how often the node reports itself (default one second).
	ReportInterval time.Duration
}

// Validate reports the first setting that cannot work.
func (c MembershipConfig) Validate() error {
	switch {
	case c.Name == "":
		return errdefs.InvalidArgument("lbsync: a data-plane node needs a name")
	case c.Timeout != 0 && c.Timeout < 2*cmp.Or(c.ReportInterval, time.Second):
		return errdefs.InvalidArgument("lbsync: node timeout %s is under two report intervals", c.Timeout)
	}
	return nil
}

// Membership is this data plane's place among several data-plane nodes that serve the same
// listeners from one store (Config.Node). Every node applies the routing and reports what its
// proxy sees (elb.Node); the node elected leader (Lead) also does the work that must be done
// once, judged over every live node's report. A controller without a Membership is a lone
// data plane that does everything itself, as before nodes existed.
type Membership struct {
	cfg MembershipConfig

	mu     sync.Mutex
	term   kv.KV // the fenced store of the term this node leads; nil while it does not
	onTerm []func()
}

// NewMembership returns the membership of the node cfg describes.
func NewMembership(cfg MembershipConfig) (*Membership, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultNodeTimeout)
	cfg.ReportInterval = cmp.Or(cfg.ReportInterval, time.Second)
	return &Membership{cfg: cfg}, nil
}

// Name is the node's name.
func (m *Membership) Name() string { return m.cfg.Name }

// Lead runs a term of this node as the leader of the data-plane nodes: until ctx ends, the
// controllers do the work that must be done once, writing through fence (a store whose writes
// fail once the term ended). It returns nil when ctx ends.
func (m *Membership) Lead(ctx context.Context, fence kv.KV) error {
	if fence == nil {
		return errors.New("lbsync: a term needs a store")
	}
	m.setTerm(fence)
	defer m.setTerm(nil)
	<-ctx.Done()
	return nil
}

// Leading reports whether this node leads now.
func (m *Membership) Leading() bool {
	_, ok := m.leading()
	return ok
}

func (m *Membership) leading() (kv.KV, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.term, m.term != nil
}

func (m *Membership) setTerm(term kv.KV) {
	m.mu.Lock()
	m.term = term
	subs := m.onTerm
	m.mu.Unlock()
	for _, f := range subs {
		f() // a new leader catches up on everything; a deposed one stops at its next step
	}
}

// subscribe calls f whenever a term begins or ends.
func (m *Membership) subscribe(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onTerm = append(m.onTerm, f)
}
