package leader

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store/kv"
)

// The defaults of Config.
const (
	// DefaultTTL is the lease of a term: a leader that dies is replaced within about this long.
	DefaultTTL = 5 * time.Second
	// DefaultPrefix is the election's key prefix, outside the store's /fargo/v1/ keys.
	DefaultPrefix = "/fargo/election/controllers"
)

// Config tunes an Elector. Name is required.
type Config struct {
	// Name is what the other members see as the leader's name while this member leads.
	Name string
	// TTL is the lease of a term, in whole seconds; DefaultTTL when zero.
	TTL time.Duration
	// Prefix is the election's key prefix; DefaultPrefix when empty.
	Prefix string
	// Retry is how long to wait after a session or a term failed; one second when zero.
	Retry time.Duration
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Name == "":
		return errdefs.InvalidArgument("leader: a member name is required")
	case c.TTL != 0 && c.TTL < time.Second:
		return errdefs.InvalidArgument("leader: ttl %s is under a second, etcd's least lease", c.TTL)
	}
	return nil
}

func (c Config) withDefaults() Config {
	c.TTL = cmp.Or(c.TTL, DefaultTTL)
	c.Prefix = cmp.Or(c.Prefix, DefaultPrefix)
	c.Retry = cmp.Or(c.Retry, time.Second)
	return c
}

// Term is the work of a leader: it runs until ctx ends (the term ended, or the member stops),
// and writes to the store only through fence.
type Term func(ctx context.Context, fence *Fenced) error

// Elector campaigns for this member and runs a Term whenever it leads.
type Elector struct {
	cfg    Config
	client *clientv3.Client
	store  kv.KV
	log    *slog.Logger

	mu       sync.Mutex
	leading  bool
	election *concurrency.Election // the current session's, for Leader
}

// New returns an elector over client; the terms' writes go through store, fenced.
func New(client *clientv3.Client, store kv.KV, cfg Config, log *slog.Logger) (*Elector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Elector{cfg: cfg.withDefaults(), client: client, store: store, log: log.With("component", "leader")}, nil
}

// Run campaigns until ctx ends, running term while this member leads. A term that fails ends
// the leadership (the member resigns and campaigns again), it does not stop Run.
func (e *Elector) Run(ctx context.Context, term Term) error {
	for ctx.Err() == nil {
		if err := e.session(ctx, term); err != nil && ctx.Err() == nil {
			e.log.Warn("leader election: starting over", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(e.cfg.Retry):
			}
		}
	}
	return nil
}

// session runs one lease: campaign, then one term if won.
func (e *Elector) session(ctx context.Context, term Term) error {
	sess, err := concurrency.NewSession(e.client, concurrency.WithTTL(int(e.cfg.TTL/time.Second)), concurrency.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	defer func() { _ = sess.Close() }() // revokes the lease: the next leader need not wait for it
	el := concurrency.NewElection(sess, e.cfg.Prefix)
	e.setElection(el)
	defer e.setElection(nil)

	// The term lasts as long as both ctx and the lease do.
	termCtx, end := context.WithCancel(ctx)
	defer end()
	go func() {
		select {
		case <-sess.Done():
			end()
		case <-termCtx.Done():
		}
	}()
	if err := el.Campaign(termCtx, e.cfg.Name); err != nil {
		return fmt.Errorf("campaign: %w", err)
	}
	fence := Fence(e.store, kv.Cond{Key: el.Key(), ModRevision: el.Rev()})
	e.log.Info("leading", "member", e.cfg.Name, "key", el.Key(), "revision", el.Rev())
	e.setLeading(true)
	err = term(termCtx, fence)
	e.setLeading(false)
	e.log.Info("term ended", "member", e.cfg.Name, "err", err, "lease_lost", sessionEnded(sess))
	resignCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.TTL)
	defer cancel()
	_ = el.Resign(resignCtx) // best effort: a lost lease took the key already
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("term: %w", err)
	}
	if sessionEnded(sess) && ctx.Err() == nil {
		return errors.New("lease lost")
	}
	return nil
}

func sessionEnded(s *concurrency.Session) bool {
	select {
	case <-s.Done():
		return true
	default:
		return false
	}
}

func (e *Elector) setLeading(v bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.leading = v
}

func (e *Elector) setElection(el *concurrency.Election) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.election = el
}

// Leading reports whether this member runs a term now.
func (e *Elector) Leading() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.leading
}

// Leader returns the name of the member that leads now, as the store says (a linearizable
// read), or an error of kind errdefs.ErrNotFound when none does.
func (e *Elector) Leader(ctx context.Context) (string, error) {
	e.mu.Lock()
	el := e.election
	e.mu.Unlock()
	if el == nil {
		return "", errdefs.Unavailable("leader: this member has no session with the store")
	}
	resp, err := el.Leader(ctx)
	if errors.Is(err, concurrency.ErrElectionNoLeader) {
		return "", errdefs.NotFound("leader: no member leads")
	}
	if err != nil {
		return "", fmt.Errorf("leader: %w", err)
	}
	return string(resp.Kvs[0].Value), nil
}
