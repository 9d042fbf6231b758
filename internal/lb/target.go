package lb

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Target states as the hot path reads them (target.state). The health state machine and the
// drain logic write them under target.mu; routing reads them with one atomic load.
const (
	stInitial uint32 = iota
	stHealthy
	stUnhealthy
	stUnavailable
	stDraining
	stUnused
)

var stateNames = [...]TargetState{
	stInitial:     StateInitial,
	stHealthy:     StateHealthy,
	stUnhealthy:   StateUnhealthy,
	stUnavailable: StateUnavailable,
	stDraining:    StateDraining,
	stUnused:      StateUnused,
}

// releasedBit marks target.flight once the target was released: no request may start on it
// any more. The in-flight count lives in the bits below it, so that "acquire unless released"
// and "release unless busy" are single atomic operations that cannot interleave wrongly.
const releasedBit = int64(1) << 62

// targetKey identifies a target across configs. The address and scheme are part of it: a
// config that changes them deregisters the old target and registers a new one, because
// requests in flight keep the old connection pool.
type targetKey struct {
	group, id, addr, scheme string
}

// target is the runtime state of one registered (or draining) target. It outlives the
// compiled tables that point at it: its health, in-flight count and connection pool carry
// over from one config to the next while its key stays.
type target struct {
	key       targetKey
	token     string // opaque stickiness token (AWSALB cookie value)
	transport *http.Transport
	h1        *h1Client // bodiless requests to a plain-HTTP target; nil for HTTPS
	conns     *connSet

	flight atomic.Int64  // requests in flight, plus releasedBit
	state  atomic.Uint32 // st* constant
	since  atomic.Int64  // unix nanoseconds the target last became routable (slow start)
	// refusedUntil is when (unix nanoseconds) routing stops passing the target over because
	// a connection to it was refused; a passing health check ends it sooner.
	refusedUntil atomic.Int64
	idle         chan struct{} // signalled when flight drops to zero while draining
	stats        targetStats

	mu        sync.Mutex
	health    health
	spec      *healthSpec
	hcAddr    string
	delay     time.Duration // deregistration delay of its group
	checkStop chan struct{} // closed to stop the running health checker, nil if none
	drainStop chan struct{} // closed when a draining target is registered again
}

func newTarget(key targetKey, token string, cfg *ProxyConfig) *target {
	conns := &connSet{m: make(map[*trackedConn]struct{})}
	t := &target{
		key:       key,
		token:     token,
		transport: newTransport(cfg, key.scheme == "https", conns),
		conns:     conns,
		idle:      make(chan struct{}, 1),
	}
	if key.scheme == "http" {
		t.h1 = newH1Client(cfg, key.addr, conns)
	}
	return t
}

// acquire counts a request in flight unless the target was released.
func (t *target) acquire() bool {
	if t.flight.Add(1)&releasedBit != 0 {
		t.flight.Add(-1)
		return false
	}
	return true
}

// done ends a request that acquire counted, and wakes the drain of an idle draining target.
func (t *target) done() {
	if t.flight.Add(-1) == 0 && t.state.Load() == stDraining {
		select {
		case t.idle <- struct{}{}:
		default:
		}
	}
}

func (t *target) inFlight() int { return int(t.flight.Load() &^ releasedBit) }

func (t *target) released() bool { return t.flight.Load()&releasedBit != 0 }

// refusalHold is how long, at least, routing passes over a target that refused a connection
// (a passing health check ends it sooner). A target whose process died refuses every
// connection until its checks take it out of routing; meanwhile a request sent to it is
// retried once on another target, and would fail if that one were dead too, as when a whole
// machine's tasks died together. So the hold lasts as long as the checks may take to find it
// dead (UnhealthyThreshold + 1 intervals) when that is longer. A live target that refused once
// (a full accept queue) loses its share until its next check passes.
const refusalHold = 5 * time.Second

// refused records that a connection to t was refused at now.
func (t *target) refused(now int64) {
	hold := refusalHold
	t.mu.Lock()
	if s := t.spec; s != nil && !s.disabled {
		hold = max(hold, time.Duration(s.unhealthyTh+1)*s.interval)
	}
	t.mu.Unlock()
	t.refusedUntil.Store(now + int64(hold))
}

// refusing reports whether routing passes t over at now.
func (t *target) refusing(now int64) bool { return now < t.refusedUntil.Load() }

// routable reports whether routing may pick the target when its group has routable targets.
func routable(state uint32) bool { return state == stHealthy || state == stUnavailable }

// snapshotLocked returns what Health reports; t.mu is held.
func (t *target) snapshotLocked() TargetHealth {
	return TargetHealth{
		GroupID:     t.key.group,
		TargetID:    t.key.id,
		Addr:        t.key.addr,
		State:       stateNames[t.health.state],
		Reason:      t.health.reason,
		Description: t.health.desc,
		InFlight:    t.inFlight(),
	}
}

// setHealthLocked stores h and reports the new snapshot if state or reason changed.
func (t *target) setHealthLocked(h health, now time.Time) (TargetHealth, bool) {
	old := t.health
	t.health = h
	if routable(h.state) && !routable(old.state) {
		t.since.Store(now.UnixNano())
	}
	t.state.Store(h.state)
	if old.state == h.state && old.reason == h.reason {
		return TargetHealth{}, false
	}
	return t.snapshotLocked(), true
}

// close drops every upstream connection of a released target: idle ones and, when the
// deregistration delay cut requests short, busy ones.
func (t *target) close() {
	t.conns.closeAll()
	t.transport.CloseIdleConnections()
	if t.h1 != nil {
		t.h1.close()
	}
}

func newTransport(cfg *ProxyConfig, https bool, conns *connSet) *http.Transport {
	d := &net.Dialer{Timeout: cfg.DialTimeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return conns.add(c)
		},
		MaxIdleConnsPerHost:   cfg.MaxIdleConnsPerTarget,
		IdleConnTimeout:       cfg.IdleConnTimeout,
		ResponseHeaderTimeout: cfg.ResponseTimeout,
		ExpectContinueTimeout: time.Second,
		// The proxy passes bodies through as they are; the client negotiates encodings.
		DisableCompression: true,
	}
	if https {
		// ALB does not verify target certificates either: targets are addressed by IP and
		// commonly use self-signed certificates.
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // see above
	}
	return tr
}

// connSet tracks a target's upstream connections, so that releasing the target can close
// them all, including those held by requests the deregistration delay cut short.
type connSet struct {
	mu     sync.Mutex
	m      map[*trackedConn]struct{}
	closed bool
}

type trackedConn struct {
	net.Conn
	set  *connSet
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.set.mu.Lock()
		delete(c.set.m, c)
		c.set.mu.Unlock()
	})
	return c.Conn.Close()
}

func (s *connSet) add(c net.Conn) (net.Conn, error) {
	tc := &trackedConn{Conn: c, set: s}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return nil, errdefs.Unavailable("lb: target was released")
	}
	s.m[tc] = struct{}{}
	return tc, nil
}

func (s *connSet) closeAll() {
	s.mu.Lock()
	s.closed = true
	conns := make([]*trackedConn, 0, len(s.m))
	for c := range s.m {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close() // cut off on purpose: what was in flight has failed already
	}
}
