package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

// Config holds the console's settings. The zero value works.
type Config struct {
	// IdleTimeout signs a session out after this long without a request; 30 minutes when zero.
	IdleTimeout time.Duration
	// Scope names the account and region of the resources the console creates.
	Scope arn.Scope
	// Minute is how long a deployment minute lasts (fargo server --time-scale); a minute when
	// zero. Wait countdowns use it.
	Minute time.Duration
}

func (c Config) withDefaults() Config {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 30 * time.Minute
	}
	if c.Minute <= 0 {
		c.Minute = time.Minute
	}
	if c.Scope.AccountID == "" {
		c.Scope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	}
	return c
}

// Deps are the console's collaborators; the daemon supplies them.
type Deps struct {
	Store *store.Store
	// Keys accepts the access keys the API accepts.
	Keys KeyLookup
	// Authorizer decides every page and action; AccountRoot when nil.
	Authorizer Authorizer
	// Actions change the world through the API's own code.
	Actions Actions
	// ErrorCode names the AWS error code the API answers err with, for messages.
	ErrorCode func(service string, err error) string
	// WithPrincipal returns ctx carrying p as the API's own calls carry their caller; nil keeps
	// ctx.
	WithPrincipal func(ctx context.Context, p Principal) context.Context
	// Logs reads containers' output for the task pages; nil shows none.
	Logs ContainerLogs
	// Images lists a repository's images; nil when fargo has no registry.
	Images Images
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Console serves the web console. Create it with New.
type Console struct {
	cfg      Config
	deps     Deps
	sessions *sessions
	pages    pages
	mux      *http.ServeMux
	// closing ends when Close is called: event streams end with it.
	closing context.Context
	close   context.CancelFunc
}

// New returns the console.
func New(cfg Config, deps Deps) (*Console, error) {
	if deps.Store == nil || deps.Keys == nil {
		return nil, errors.New("console: no store or key lookup")
	}
	cfg = cfg.withDefaults()
	if deps.Authorizer == nil {
		deps.Authorizer = AccountRoot{AccountID: cfg.Scope.AccountID}
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.WithPrincipal == nil {
		deps.WithPrincipal = func(ctx context.Context, _ Principal) context.Context { return ctx }
	}
	if deps.ErrorCode == nil {
		deps.ErrorCode = func(string, error) string { return "" }
	}
	p, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{cfg: cfg, deps: deps, sessions: newSessions(cfg.IdleTimeout, deps.Now), pages: p, mux: http.NewServeMux()}
	c.closing, c.close = context.WithCancel(context.Background())
	c.routes()
	return c, nil
}

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	c.mux.ServeHTTP(w, r)
}

// Close ends the open event streams, so that the HTTP server can shut down without waiting
// for browsers; register it with http.Server.RegisterOnShutdown.
func (c *Console) Close() { c.close() }

// authorize is the one seam every page and action passes.
func (c *Console) authorize(ctx context.Context, p Principal, action, resource string) error {
	return c.deps.Authorizer.Authorize(ctx, p, action, resource)
}
