package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/sigv4"
	"github.com/prometheus/client_golang/prometheus"
)

// DefaultMaxBodyBytes caps request bodies, so no client can make the server buffer without limit.
const DefaultMaxBodyBytes = 10 << 20

// Config holds the front door's settings. The zero value works.
type Config struct {
	// MaxBodyBytes caps request bodies; DefaultMaxBodyBytes when zero.
	MaxBodyBytes int64
	// MaxClockSkew is how far a request's signing time may be from the server's clock; 5 minutes
	// when zero.
	MaxClockSkew time.Duration
	// AccountID is the account of every caller; it names the caller's ARN.
	AccountID string
	// Regions, when set, are the only regions served: a request signed for another region is
	// refused as AWS refuses a region the account cannot use. Empty serves every region name.
	Regions []string
}

func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxClockSkew <= 0 {
		c.MaxClockSkew = 5 * time.Minute
	}
	if c.AccountID == "" {
		c.AccountID = "000000000000"
	}
	return c
}

// Deps are the front door's collaborators.
type Deps struct {
	// Credentials looks up the secret of an access key id.
	Credentials sigv4.Lookup
	// Principal returns who owns an access key whose signature verified, false when the key
	// is no longer valid; nil makes every key the account's root.
	Principal func(accessKeyID string) (Principal, bool)
	// KeyUsed is told of every authenticated call (GetAccessKeyLastUsed); it must not block.
	KeyUsed func(accessKeyID, service, region string)
	Logger  *slog.Logger
	// Registerer receives the front door's metrics; nil registers nothing.
	Registerer prometheus.Registerer
	// Fallback serves requests that are not AWS API calls; nil answers 404.
	Fallback http.Handler
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Authorize decides whether a caller other than the root may make a call; an error that
	// matches errdefs.ErrPermissionDenied refuses it with the service's AccessDenied. Nil
	// allows every authenticated call.
	Authorize func(ctx context.Context, a Authorization) error
	// Audit receives the record of every API call once it is answered; it must not block.
	Audit func(Record)
	// ServicesIn returns the services that serve a request signed for region, among which the
	// front door picks the one of the request's service by name. Nil serves every region with
	// the services given to New.
	ServicesIn func(ctx context.Context, region string) ([]awsproto.Service, error)
}

// Handler is the front door. Create it with New.
type Handler struct {
	cfg      Config
	deps     Deps
	byTarget map[string]*awsproto.Service
	byVer    map[string]*awsproto.Service
	byCBOR   map[string]*awsproto.Service
	rest     []*awsproto.Service
	metrics  *metrics
}

// New returns a front door serving services.
func New(cfg Config, deps Deps, services ...awsproto.Service) (*Handler, error) {
	h := &Handler{
		cfg:      cfg.withDefaults(),
		deps:     deps,
		byTarget: map[string]*awsproto.Service{},
		byVer:    map[string]*awsproto.Service{},
		byCBOR:   map[string]*awsproto.Service{},
	}
	if h.deps.Logger == nil {
		h.deps.Logger = slog.New(slog.DiscardHandler)
	}
	if h.deps.Now == nil {
		h.deps.Now = time.Now
	}
	if h.deps.Credentials == nil {
		return nil, errors.New("api: no credentials lookup")
	}
	for i := range services {
		s := &services[i]
		switch s.Protocol {
		case awsproto.ProtocolJSON:
			h.byTarget[s.TargetPrefix] = s
		case awsproto.ProtocolQuery:
			h.byVer[s.Version] = s
		case awsproto.ProtocolREST:
			h.rest = append(h.rest, s)
		case awsproto.ProtocolCBOR:
			h.byCBOR[s.TargetPrefix] = s
		default:
			return nil, fmt.Errorf("api: service %s has no protocol", s.Name)
		}
	}
	m, err := newMetrics(deps.Registerer)
	if err != nil {
		return nil, err
	}
	h.metrics = m
	return h, nil
}

// call is one AWS request on its way through the front door.
type call struct {
	w         http.ResponseWriter
	r         *http.Request
	requestID string
	start     time.Time
	svc       *awsproto.Service
	op        string
	// principal is the caller's ARN once authenticated; resources what the request names;
	// authorized reports whether it got past authentication and authorization.
	principal  string
	resources  [][]string
	authorized bool
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if svc := h.restService(r); svc != nil {
		c := h.newCall(w, r)
		defer h.recoverPanic(c)
		c.svc = svc
		h.serveREST(c)
		return
	}
	proto := detect(r)
	if proto == awsproto.ProtocolQuery && r.Method == http.MethodPost && !signed(r) && !h.formNamesAction(r) {
		// A browser's form post (the console's sign-in and actions): no signature, no Action.
		proto = 0
	}
	if proto == 0 {
		h.fallback(w, r)
		return
	}
	c := h.newCall(w, r)
	defer h.recoverPanic(c)
	switch proto {
	case awsproto.ProtocolJSON:
		h.serveJSON(c)
	case awsproto.ProtocolCBOR:
		h.serveCBOR(c)
	default:
		h.serveQuery(c)
	}
}

// newCall starts the call of r, with its request id and date.
func (h *Handler) newCall(w http.ResponseWriter, r *http.Request) *call {
	c := &call{w: w, r: r, requestID: newRequestID(), start: h.deps.Now()}
	w.Header().Set("X-Amzn-RequestId", c.requestID)
	w.Header().Set("Date", c.start.UTC().Format(http.TimeFormat))
	return c
}

// restService is the REST service whose part of the URL space r's path is in, nil if none.
func (h *Handler) restService(r *http.Request) *awsproto.Service {
	for _, s := range h.rest {
		if awsproto.RoutesPrefix(s.Routes, r.URL.Path) {
			return s
		}
	}
	return nil
}

// serveREST runs a call of a REST service: the method and path name the operation, whose
// path members and query parameters go in the request's Form.
func (h *Handler) serveREST(c *call) {
	op, params, ok := awsproto.Match(c.svc.Routes, c.r.Method, c.r.URL.Path)
	c.op = op
	body, aerr := h.readBody(c)
	if aerr != nil {
		h.fail(c, aerr)
		return
	}
	if !ok {
		if _, _, aerr := h.authenticate(c, body); aerr != nil {
			h.fail(c, aerr)
			return
		}
		h.fail(c, &awsproto.Error{Code: "UnknownOperationException", Message: fmt.Sprintf("No operation at %s %s.", c.r.Method, c.r.URL.Path), Status: http.StatusNotFound})
		return
	}
	for k, v := range c.r.URL.Query() {
		params[k] = v
	}
	req := awsproto.Request{Body: body}
	if len(params) > 0 {
		req.Form = params
	}
	h.dispatch(c, req, body)
}

func (h *Handler) fallback(w http.ResponseWriter, r *http.Request) {
	if h.deps.Fallback != nil {
		h.deps.Fallback.ServeHTTP(w, r)
		return
	}
	http.NotFound(w, r)
}

// detect tells the protocol of r, or 0 when r is no AWS API call. Nothing under /v2/ is: that
// is the container registry, whose OAuth2 token requests are form posts too.
func detect(r *http.Request) awsproto.Protocol {
	if strings.HasPrefix(r.URL.Path, "/v2/") {
		return 0
	}
	if awsproto.IsCBOR(r) {
		return awsproto.ProtocolCBOR
	}
	if r.Header.Get("X-Amz-Target") != "" {
		return awsproto.ProtocolJSON
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return awsproto.ProtocolQuery
	}
	if r.Method == http.MethodGet && r.URL.Query().Get("Action") != "" {
		return awsproto.ProtocolQuery
	}
	return 0
}

// signed reports whether r carries a SigV4 signature, in its headers or its URL (presigned).
func signed(r *http.Request) bool {
	return r.Header.Get("Authorization") != "" || r.URL.Query().Get("X-Amz-Signature") != ""
}

// formNamesAction reports whether the form post r names an Action, in its URL or its body, as
// every Query call does; an unsigned one must still get Query's authentication error. It reads
// the body up to the size cap and puts back what it read.
func (h *Handler) formNamesAction(r *http.Request) bool {
	if r.URL.Query().Get("Action") != "" {
		return true
	}
	head, err := io.ReadAll(io.LimitReader(r.Body, h.cfg.MaxBodyBytes+1))
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	if err != nil {
		return true // let the Query path report the read error
	}
	form, err := url.ParseQuery(string(head))
	return err != nil || form.Get("Action") != ""
}

func (h *Handler) recoverPanic(c *call) {
	if v := recover(); v != nil {
		h.deps.Logger.Error("panic in api handler", "request_id", c.requestID, "operation", c.op, "panic", v)
		h.fail(c, &awsproto.Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error.", Status: http.StatusInternalServerError})
	}
}

func (h *Handler) readBody(c *call) ([]byte, *awsproto.Error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, h.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, &awsproto.Error{Code: clientErrorCode(c.svc), Message: fmt.Sprintf("Request body exceeds the maximum size of %d bytes.", h.cfg.MaxBodyBytes), Status: http.StatusRequestEntityTooLarge}
	case err != nil:
		return nil, &awsproto.Error{Code: clientErrorCode(c.svc), Message: "Could not read the request body."}
	}
	return body, nil
}

func clientErrorCode(s *awsproto.Service) string {
	if s == nil || s.ClientError == "" {
		return "ValidationError"
	}
	return s.ClientError
}

func (h *Handler) serveJSON(c *call) {
	target := c.r.Header.Get("X-Amz-Target")
	prefix, op, _ := strings.Cut(target, ".")
	c.svc = h.byTarget[prefix]
	c.op = op
	if c.svc == nil {
		h.fail(c, awsproto.Errorf("UnknownOperationException", "The target %q does not name an operation of any service at this endpoint.", target))
		return
	}
	body, aerr := h.readBody(c)
	if aerr != nil {
		h.fail(c, aerr)
		return
	}
	h.dispatch(c, awsproto.Request{Body: body}, body)
}

// serveCBOR runs a Smithy RPC v2 CBOR call: the path names the service and the operation;
// the body, transcoded to JSON, goes to the operation (the signature covers the CBOR body).
func (h *Handler) serveCBOR(c *call) {
	prefix, op, _ := awsproto.CBORPath(c.r.URL.Path)
	c.svc = h.byCBOR[prefix]
	c.op = op
	if c.svc == nil {
		h.fail(c, awsproto.Errorf("UnknownOperationException", "The path %s does not name an operation of any service at this endpoint.", c.r.URL.Path))
		return
	}
	body, aerr := h.readBody(c)
	if aerr != nil {
		h.fail(c, aerr)
		return
	}
	js, err := awsproto.CBORToJSON(body)
	if err != nil {
		h.fail(c, h.awsError(c, err))
		return
	}
	h.dispatch(c, awsproto.Request{Body: js}, body)
}

func (h *Handler) serveQuery(c *call) {
	var body []byte
	form := c.r.URL.Query()
	if c.r.Method == http.MethodPost {
		b, aerr := h.readBody(c)
		if aerr != nil {
			h.fail(c, aerr)
			return
		}
		body = b
		parsed, err := url.ParseQuery(string(b))
		if err != nil {
			h.fail(c, awsproto.Errorf("MalformedQueryString", "The request body is not a valid query string."))
			return
		}
		form = parsed
	}
	c.op = form.Get("Action")
	c.svc = h.byVer[form.Get("Version")]
	if c.svc == nil {
		h.fail(c, awsproto.Errorf("InvalidAction", "Could not find operation %s for version %s.", c.op, form.Get("Version")))
		return
	}
	h.dispatch(c, awsproto.Request{Form: form}, body)
}

// dispatch authenticates the call and runs its operation.
func (h *Handler) dispatch(c *call, req awsproto.Request, body []byte) {
	caller, root, aerr := h.authenticate(c, body)
	if aerr != nil {
		h.fail(c, aerr)
		return
	}
	c.principal = caller.ARN
	if aerr := h.regional(c, caller.Region); aerr != nil {
		h.fail(c, aerr)
		return
	}
	run := c.svc.Operations[c.op]
	if run == nil {
		h.fail(c, unknownOperation(c))
		return
	}
	if aerr := h.authorize(c, caller, root, req); aerr != nil {
		h.fail(c, aerr)
		return
	}
	c.authorized = true
	out, err := run(awsproto.WithCaller(c.r.Context(), caller), req)
	if err != nil {
		h.fail(c, h.awsError(c, err))
		return
	}
	h.succeed(c, out)
}

func unknownOperation(c *call) *awsproto.Error {
	if c.svc.Protocol == awsproto.ProtocolQuery || c.svc.Protocol == awsproto.ProtocolCBOR {
		return awsproto.Errorf("InvalidAction", "Could not find operation %s for version %s.", c.op, c.svc.Version)
	}
	return awsproto.Errorf("UnknownOperationException", "Unknown operation %s.", c.op)
}

func (h *Handler) awsError(c *call, err error) *awsproto.Error {
	var aerr *awsproto.Error
	if errors.As(err, &aerr) {
		return aerr
	}
	aerr = c.svc.ErrorFor(c.op, err)
	if aerr.Fault() {
		h.deps.Logger.Error("operation failed", "request_id", c.requestID, "service", c.svc.Name, "operation", c.op, "err", err)
	}
	return aerr
}

func (h *Handler) succeed(c *call, out any) {
	var err error
	switch c.svc.Protocol {
	case awsproto.ProtocolQuery:
		err = awsproto.WriteXML(c.w, c.svc.XMLNamespace, c.op, c.requestID, out)
	case awsproto.ProtocolCBOR:
		err = awsproto.WriteCBOR(c.w, out)
	default:
		err = awsproto.WriteJSON(c.w, out)
	}
	if err != nil {
		h.deps.Logger.Error("write response", "request_id", c.requestID, "operation", c.op, "err", err)
	}
	h.metrics.observe(c, http.StatusOK, "", h.deps.Now())
	h.audit(c, "")
}

func (h *Handler) fail(c *call, e *awsproto.Error) {
	switch {
	case c.svc != nil && c.svc.Protocol == awsproto.ProtocolCBOR || c.svc == nil && awsproto.IsCBOR(c.r):
		awsproto.WriteCBORError(c.w, e)
	case c.svc != nil && c.svc.Protocol == awsproto.ProtocolQuery || c.svc == nil && c.r.Header.Get("X-Amz-Target") == "":
		ns := ""
		if c.svc != nil {
			ns = c.svc.XMLNamespace
		}
		awsproto.WriteXMLError(c.w, ns, c.requestID, e)
	default:
		awsproto.WriteJSONError(c.w, e)
	}
	h.metrics.observe(c, e.HTTPStatus(), e.Code, h.deps.Now())
	h.audit(c, e.Code)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out bytes.Buffer
	for i, part := range [][]byte{b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]} {
		if i > 0 {
			out.WriteByte('-')
		}
		out.WriteString(hex.EncodeToString(part))
	}
	return out.String()
}
