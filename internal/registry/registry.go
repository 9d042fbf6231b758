package registry

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/distribution/distribution/v3"
	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/api/errcode"
	v2 "github.com/distribution/distribution/v3/registry/api/v2"
	"github.com/distribution/distribution/v3/registry/auth"
	"github.com/distribution/distribution/v3/registry/handlers"
	registrymiddleware "github.com/distribution/distribution/v3/registry/middleware/registry"
	storagedriver "github.com/distribution/distribution/v3/registry/storage/driver"
	"github.com/distribution/distribution/v3/registry/storage/driver/factory"
	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"

	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
)

// Defaults of Config.
const (
	DefaultLifecycleInterval = time.Hour
	DefaultUploadMaxAge      = 24 * time.Hour
)

// Config holds the registry's settings. The zero value plus a RootDir works.
type Config struct {
	// RootDir holds the registry's blobs and repositories, <data-dir>/registry.
	RootDir string
	// BearerChallenge makes the registry answer unauthenticated requests with a Bearer
	// challenge (Docker's token flow, tokens from /v2/token) instead of ECR's Basic challenge.
	// Both kinds of credentials work either way.
	BearerChallenge bool
	// LifecycleInterval is how often every repository's lifecycle policy is applied, besides
	// after each push; DefaultLifecycleInterval when zero.
	LifecycleInterval time.Duration
	// UploadMaxAge is how long an unfinished upload is kept; DefaultUploadMaxAge when zero.
	UploadMaxAge time.Duration
	// Region is the region whose repositories the registry holds, when it is not the server's
	// home region: only tokens of that region (ecr.NewRegionToken) work, and only tokens of no
	// region when it is empty (docs/regions.md).
	Region string
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if c.RootDir == "" {
		return errors.New("registry: root directory is required")
	}
	if c.LifecycleInterval < 0 || c.UploadMaxAge < 0 {
		return errors.New("registry: intervals must not be negative")
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.LifecycleInterval == 0 {
		c.LifecycleInterval = DefaultLifecycleInterval
	}
	if c.UploadMaxAge == 0 {
		c.UploadMaxAge = DefaultUploadMaxAge
	}
	return c
}

// Deps are the registry's collaborators.
type Deps struct {
	// Store holds the ECR repositories; a name exists in the registry only while its
	// repository does.
	Store *store.Store
	// Credentials looks up the secret of an access key id; tokens of other keys fail.
	Credentials func(accessKeyID string) (string, bool)
	// RegistryID is the account id, named in error messages as ECR names it.
	RegistryID string
	Logger     *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Authorize decides whether the owner of an access key may make a request: method on
	// route ("manifests", "blobs", "blobs/uploads" or "tags", as authz.RegistryRoute) of
	// repository. An error refuses it with DENIED (403). Nil allows every authenticated request.
	Authorize func(ctx context.Context, accessKeyID, method, route, repository string) error
	// Audit is told of every request on a repository once it is answered, for the audit log;
	// it must not block. Nil tells nobody.
	Audit func(Access)
}

// Access is one request on a repository, as Deps.Audit is told of it.
type Access struct {
	Time time.Time
	// AccessKeyID is the key of the request's token; empty when it carried no valid one.
	AccessKeyID string
	Method      string
	// Route and Repository are as Deps.Authorize names them.
	Route      string
	Repository string
	Status     int
	// Denied reports that Deps.Authorize refused the request.
	Denied     bool
	RemoteAddr string
}

// Registry serves the OCI distribution API and answers the ECR API about images. Create it
// with New; it serves requests at once, and Run carries out lifecycle policies and cleanup.
type Registry struct {
	cfg    Config
	deps   Deps
	driver storagedriver.StorageDriver
	// ns is distribution's storage for the ECR side and the lifecycle; the App has its own
	// over the same driver.
	ns  distribution.Namespace
	app *handlers.App
	// routes tell the repository name of a request, as the App's router does.
	routes *mux.Router
	// pushes names repositories that got a manifest, for Run to apply their lifecycle policy.
	pushes chan string
	// locks serialise, per repository, what reads a tag and then writes: a push that checks
	// immutability and then tags, a lifecycle run that lists untagged images and then deletes.
	locks [64]sync.Mutex
}

// Names under which fargo's parts are registered with distribution, once per process:
// distribution finds drivers, access controllers and middleware by name. Each Registry passes
// itself in the options, so the registrations hold no state.
const (
	authName       = "fargo-ecr-token"
	middlewareName = "fargo-ecr-repositories"
)

var registerOnce = sync.OnceValue(func() error {
	factory.Register(driverName, driverFactory{})
	if err := auth.Register(authName, newAccessController); err != nil {
		return err
	}
	if err := registrymiddleware.Register(middlewareName, newNamespaceMiddleware); err != nil {
		return err
	}
	// distribution logs every request at info level, and every client error (a blob a client
	// probes for before uploading it, a challenge) at warning or error level, through logrus's
	// process-wide logger: far too much for fargo's log. The Registry logs its server errors
	// itself.
	logrus.SetLevel(logrus.PanicLevel)
	return nil
})

// New returns a registry over cfg.RootDir.
func New(cfg Config, deps Deps) (*Registry, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if deps.Store == nil || deps.Credentials == nil {
		return nil, errors.New("registry: a store and a credentials lookup are required")
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if err := registerOnce(); err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	d, err := newDriver(cfg.RootDir)
	if err != nil {
		return nil, err
	}
	r := &Registry{cfg: cfg.withDefaults(), deps: deps, driver: d, pushes: make(chan string, 64), routes: v2.Router()}
	if r.ns, err = newNamespace(context.Background(), d); err != nil {
		return nil, fmt.Errorf("registry storage: %w", err)
	}
	if r.app, err = r.newApp(); err != nil {
		return nil, err
	}
	return r, nil
}

// newApp builds distribution's HTTP application. NewApp panics on a bad configuration; the
// configuration is fargo's own, so a panic is a bug, returned as an error.
func (r *Registry) newApp() (app *handlers.App, err error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	cfg := &configuration.Configuration{
		Storage: configuration.Storage{
			driverName:    configuration.Parameters{"driver": r.driver},
			"delete":      configuration.Parameters{"enabled": true},
			"redirect":    configuration.Parameters{"disable": true},
			"maintenance": configuration.Parameters{"uploadpurging": map[any]any{"enabled": false}},
		},
		Auth: configuration.Auth{authName: configuration.Parameters{"registry": r}},
		Middleware: map[string][]configuration.Middleware{
			"registry": {{Name: middlewareName, Options: configuration.Parameters{"registry": r}}},
		},
	}
	// Upload URLs carry state signed with this secret; an upload does not outlive the process.
	cfg.HTTP.Secret = string(secret)
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("registry: configure distribution: %v", v)
		}
	}()
	return handlers.NewApp(context.Background(), cfg), nil
}

// ServeHTTP serves the OCI distribution API under /v2/, and the token endpoint of the Bearer
// flow at /v2/token.
func (r *Registry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == tokenPath {
		r.serveToken(w, req)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	if r.deps.Audit != nil {
		defer r.audit(req, rec, r.deps.Now())
	}
	if r.refuseUnauthorized(rec, req) || r.refuseUnknownName(rec, req) {
		return
	}
	r.app.ServeHTTP(rec, req)
	if rec.status >= 500 {
		r.deps.Logger.Error("registry request failed", "method", req.Method, "path", req.URL.Path, "status", rec.status)
	}
}

// registryRoutes are the routes of distribution's router as Deps.Authorize names them.
var registryRoutes = map[string]string{
	v2.RouteNameManifest:        "manifests",
	v2.RouteNameBlob:            "blobs",
	v2.RouteNameBlobUpload:      "blobs/uploads",
	v2.RouteNameBlobUploadChunk: "blobs/uploads",
	v2.RouteNameTags:            "tags",
}

// refuseUnauthorized answers DENIED (403) to an authenticated request on a repository that
// the owner of its token may not make, before the repository is looked up, so that nobody
// learns what they may not read. An unauthenticated request goes on to its challenge.
func (r *Registry) refuseUnauthorized(w *statusRecorder, req *http.Request) bool {
	if r.deps.Authorize == nil {
		return false
	}
	var match mux.RouteMatch
	if !r.routes.Match(req, &match) || match.Vars["name"] == "" || match.Route == nil {
		return false
	}
	tok, err := r.authenticate(req)
	if err != nil {
		return false
	}
	route, ok := registryRoutes[match.Route.GetName()]
	if !ok {
		return false
	}
	err = r.deps.Authorize(req.Context(), tok.AccessKeyID, req.Method, route, match.Vars["name"])
	if err == nil {
		return false
	}
	w.denied = true
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	_ = errcode.ServeJSON(w, errcode.ErrorCodeDenied.WithMessage(errdefs.Message(err)))
	return true
}

// audit tells Deps.Audit of req, a request on a repository, answered through rec.
func (r *Registry) audit(req *http.Request, rec *statusRecorder, start time.Time) {
	var match mux.RouteMatch
	if !r.routes.Match(req, &match) || match.Vars["name"] == "" || match.Route == nil {
		return
	}
	a := Access{Time: start, Method: req.Method, Route: registryRoutes[match.Route.GetName()], Repository: match.Vars["name"],
		Status: rec.status, Denied: rec.denied, RemoteAddr: req.RemoteAddr}
	if a.Status == 0 {
		a.Status = http.StatusOK
	}
	if tok, err := r.authenticate(req); err == nil {
		a.AccessKeyID = tok.AccessKeyID
	}
	r.deps.Audit(a)
}

// refuseUnknownName answers NAME_UNKNOWN, with ECR's message, to an authenticated request for
// a repository ECR does not have. The namespace middleware refuses it too, but distribution
// writes that error's body twice, which strict clients cannot parse; an unauthenticated request
// goes on to its challenge, so that nobody learns which repositories exist.
func (r *Registry) refuseUnknownName(w http.ResponseWriter, req *http.Request) bool {
	var match mux.RouteMatch
	if !r.routes.Match(req, &match) || match.Vars["name"] == "" {
		return false
	}
	if _, err := r.authenticate(req); err != nil {
		return false
	}
	_, err := r.repository(req.Context(), match.Vars["name"])
	if !errors.Is(err, ecr.ErrRepositoryNotFound) {
		return false
	}
	w.Header().Set("Docker-Distribution-API-Version", "registry/2.0")
	_ = errcode.ServeJSON(w, errcode.ErrorCodeNameUnknown.WithMessage(errdefs.Message(err)))
	return true
}

// statusRecorder remembers the status of a response.
type statusRecorder struct {
	http.ResponseWriter
	status int
	denied bool // by Deps.Authorize
}

// WriteHeader passes the first status on; distribution writes a second one after some errors.
func (s *statusRecorder) WriteHeader(code int) {
	if s.status != 0 {
		return
	}
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (distribution flushes and
// hijacks nothing, but net/http's helpers look).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// lock takes the lock of repository name and returns its release.
func (r *Registry) lock(name string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	m := &r.locks[h.Sum32()%uint32(len(r.locks))]
	m.Lock()
	return m.Unlock
}

// pushed tells Run that repository name got a manifest. A full queue drops the news: the
// periodic pass catches up.
func (r *Registry) pushed(name string) {
	select {
	case r.pushes <- name:
	default:
	}
}
