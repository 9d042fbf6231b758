package lb

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math/rand/v2"
	"net/http"
	"strings"
)

// The stickiness cookies, named as ALB names them.
const (
	targetCookie = "AWSALB"
	groupCookie  = "AWSALBTG"
)

// Which targets of a group routing may pick.
const (
	modeNone     uint8 = iota // nothing to route to: 503
	modeRoutable              // healthy targets (all of them when checks are disabled) but those that just refused a connection
	modeRefused               // healthy targets, when every one of them just refused a connection: try them all the same
	modeFailOpen              // every registered target is unhealthy: route to all, as ALB does
)

// minSlowWeight keeps a target that just entered slow start from getting no share at all.
const minSlowWeight = 0.01

// stickyToken derives the opaque cookie value that names a group or a target. It is a MAC
// under the proxy's secret, so clients can neither read target addresses from it nor forge one.
func stickyToken(secret []byte, kind, group, target string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(kind + "\x00" + group + "\x00" + target))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// pickGroup chooses the target group of a forward: the client's sticky group while it can
// serve, otherwise a weighted random choice among groups with weight > 0.
func (f *forward) pickGroup(r *http.Request) *fwdGroup {
	if f.sticky {
		if tok, ok := cookieValue(r, groupCookie); ok {
			for i := range f.groups {
				if fg := &f.groups[i]; fg.token == tok {
					if m, _ := fg.g.mode(0, nil); m != modeNone {
						return fg
					}
					break
				}
			}
		}
	}
	if f.total <= 0 {
		return nil
	}
	x := 0
	if len(f.groups) > 1 {
		x = rand.IntN(f.total)
	}
	for i := range f.groups {
		if x -= f.groups[i].weight; x < 0 {
			return &f.groups[i]
		}
	}
	return nil
}

// pick chooses a target of g for r, other than exclude, and counts a request in flight on it.
// It returns -1 and nil when the group has nothing to offer.
func (g *group) pick(r *http.Request, now int64, exclude *target) (int, *target) {
	for range 3 { // a target released under us is skipped on the next round
		i := g.choose(r, now, exclude)
		if i < 0 {
			return -1, nil
		}
		if t := g.targets[i]; t.acquire() {
			return i, t
		}
	}
	return -1, nil
}

func (g *group) choose(r *http.Request, now int64, exclude *target) int {
	mode, n := g.mode(now, exclude)
	if n == 0 {
		return -1
	}
	if g.sticky {
		if tok, ok := cookieValue(r, targetCookie); ok {
			if i, ok := g.byToken[tok]; ok && g.eligible(i, mode, now, exclude) {
				return i
			}
		}
	}
	if g.slowStart > 0 && mode == modeRoutable {
		if i := g.slowPick(now, exclude); i >= 0 {
			return i
		}
	}
	switch {
	case g.algorithm == AlgorithmLeastRequests:
		return g.leastPick(mode, now, exclude)
	case g.algorithm == AlgorithmWeightedRandom, exclude != nil:
		// A retry leaves the round-robin position alone: otherwise a dead target that its
		// checks have not caught yet would be every request's first choice.
		return g.nth(mode, now, exclude, rand.IntN(n))
	}
	return g.nth(mode, now, exclude, int(g.rr.Add(1)%uint64(n)))
}

// mode tells which targets routing may pick at now and how many of them there are besides
// exclude. Targets in their initial health checks never get traffic; routable targets that
// just refused a connection get none while others can take it; when no target is routable
// and every registered one is unhealthy, the group fails open.
func (g *group) mode(now int64, exclude *target) (uint8, int) {
	var fresh, ok, bad, other, exFresh, exOK, exBad int
	for _, t := range g.targets {
		switch t.state.Load() {
		case stHealthy, stUnavailable:
			ok++
			refusing := t.refusing(now)
			if !refusing {
				fresh++
			}
			if t == exclude {
				exOK = 1
				if !refusing {
					exFresh = 1
				}
			}
		case stUnhealthy:
			bad++
			if t == exclude {
				exBad = 1
			}
		case stInitial:
			other++
		}
	}
	switch {
	case fresh-exFresh > 0:
		return modeRoutable, fresh - exFresh
	case ok > 0:
		return modeRefused, ok - exOK
	case bad > 0 && other == 0:
		return modeFailOpen, bad - exBad
	}
	return modeNone, 0
}

func (g *group) eligible(i int, mode uint8, now int64, exclude *target) bool {
	t := g.targets[i]
	if t == exclude {
		return false
	}
	s := t.state.Load()
	switch mode {
	case modeFailOpen:
		return s == stUnhealthy
	case modeRoutable:
		return routable(s) && !t.refusing(now)
	}
	return routable(s)
}

// nth returns the k-th eligible target, or the first one if states changed since counting.
func (g *group) nth(mode uint8, now int64, exclude *target, k int) int {
	first := -1
	for i := range g.targets {
		if !g.eligible(i, mode, now, exclude) {
			continue
		}
		if k == 0 {
			return i
		}
		if first < 0 {
			first = i
		}
		k--
	}
	return first
}

// leastPick returns the eligible target with the fewest requests in flight, choosing among
// ties at random (reservoir sampling), so that an idle group is not loaded front to back.
func (g *group) leastPick(mode uint8, now int64, exclude *target) int {
	best, load, ties := -1, 0, 0
	for i, t := range g.targets {
		if !g.eligible(i, mode, now, exclude) {
			continue
		}
		switch l := t.inFlight(); {
		case best < 0 || l < load:
			best, load, ties = i, l, 1
		case l == load:
			ties++
			if rand.IntN(ties) == 0 {
				best = i
			}
		}
	}
	return best
}

// slowPick applies slow start: targets that became routable less than slowStart ago get a
// share proportional to how far into it they are. It returns -1 when no target is ramping, or
// when all are (ALB does not slow-start a group that has nothing else to send traffic to).
func (g *group) slowPick(now int64, exclude *target) int {
	ramp := float64(g.slowStart)
	var total float64
	ramping, full := false, false
	for i, t := range g.targets {
		if !g.eligible(i, modeRoutable, now, exclude) {
			continue
		}
		w := g.weight(t, now, ramp)
		ramping = ramping || w < 1
		full = full || w >= 1
		total += w
	}
	if !ramping || !full {
		return -1
	}
	x := rand.Float64() * total
	last := -1
	for i, t := range g.targets {
		if !g.eligible(i, modeRoutable, now, exclude) {
			continue
		}
		last = i
		if x -= g.weight(t, now, ramp); x < 0 {
			return i
		}
	}
	return last
}

func (g *group) weight(t *target, now int64, ramp float64) float64 {
	el := float64(now - t.since.Load())
	if el >= ramp {
		return 1
	}
	return max(el/ramp, minSlowWeight)
}

// cookieValue finds a cookie in the request's Cookie headers without parsing all of them.
func cookieValue(r *http.Request, name string) (string, bool) {
	for _, line := range r.Header["Cookie"] {
		for line != "" {
			var part string
			part, line, _ = strings.Cut(line, ";")
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			if ok && k == name {
				return strings.Trim(v, `"`), true
			}
		}
	}
	return "", false
}
