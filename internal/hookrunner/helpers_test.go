package hookrunner

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/hooks"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

var scope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}

// clock is a fake clock that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	st    *store.Store
	clock *clock
	run   *Controller
}

func newEnv(t *testing.T) *env {
	t.Helper()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	e := &env{st: store.New(mem), clock: &clock{now: time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)}}
	e.run = e.runner()
	return e
}

// runner is a new runner over the env's store, as after a restart.
func (e *env) runner() *Controller {
	return New(e.st, scope, Config{Now: e.clock.Now, CallTimeout: 5 * time.Second}, nil)
}

// function registers a function named name at url.
func (e *env) function(t *testing.T, name, url string, timeout time.Duration) {
	t.Helper()
	f, err := hooks.NewFunction(scope, name, url, timeout, "", nil, e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.HookFunctions.Create(context.Background(), name, f); err != nil {
		t.Fatal(err)
	}
}

// execution stores a pending execution of kind for target, due within an hour.
func (e *env) execution(t *testing.T, kind hooks.Kind, target string, payload string) hooks.Execution {
	t.Helper()
	x := hooks.Execution{ID: hooks.ExecutionID("d-ABCDEFGHI", "AfterAllowTestTraffic", 0), Kind: kind, Owner: "d-ABCDEFGHI",
		Event: "AfterAllowTestTraffic", Target: target, Payload: json.RawMessage(payload), Status: hooks.StatusPending,
		CreatedAt: e.clock.Now(), Deadline: e.clock.Now().Add(time.Hour), Cluster: "demo"}
	if _, err := e.st.HookExecutions.Create(context.Background(), x.ID, x); err != nil {
		t.Fatal(err)
	}
	return x
}

// step reconciles execution id once and returns it as stored.
func (e *env) step(t *testing.T, id string) hooks.Execution {
	t.Helper()
	if _, err := e.run.reconcile(context.Background(), id); err != nil {
		t.Fatalf("reconcile: %v", err)
	}
	return e.get(t, id)
}

func (e *env) get(t *testing.T, id string) hooks.Execution {
	t.Helper()
	it, err := e.st.HookExecutions.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it.Value
}

// endpoint is a function's HTTP endpoint that answers with the answers given, in turn (the
// last one again when they run out), and records the bodies it got.
type endpoint struct {
	mu      sync.Mutex
	answers []reply
	bodies  []string
	onCall  func()
	srv     *httptest.Server
}

type reply struct {
	status int
	body   string
}

func newEndpoint(t *testing.T, answers ...reply) *endpoint {
	ep := &endpoint{answers: answers}
	ep.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ep.mu.Lock()
		ep.bodies = append(ep.bodies, string(body))
		a := ep.answers[min(len(ep.bodies), len(ep.answers))-1]
		on := ep.onCall
		ep.mu.Unlock()
		if on != nil {
			on()
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(ep.srv.Close)
	return ep
}

func (ep *endpoint) calls() []string {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	return append([]string(nil), ep.bodies...)
}
