package api

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// Authorization is one call to authorize, after its request is authenticated and before its
// operation runs.
type Authorization struct {
	Caller awsproto.Caller
	// Service is the service's name, as awsproto.Service.Name ("ecs", "elasticloadbalancing").
	Service   string
	Operation string
	// Target is what the request names: the resources and the roles it passes.
	Target   awsproto.Target
	SourceIP netip.Addr
	// Secure reports whether the request came over TLS.
	Secure bool
}

// authorize runs Deps.Authorize for c: a denial answers the service's AccessDenied with the
// authorizer's message, before the operation runs, so nothing changes.
func (h *Handler) authorize(c *call, caller awsproto.Caller, root bool, req awsproto.Request) *awsproto.Error {
	if h.deps.Authorize == nil || root {
		return nil
	}
	a := Authorization{Caller: caller, Service: c.svc.Name, Operation: c.op, SourceIP: sourceIP(c.r), Secure: c.r.TLS != nil}
	if c.svc.Targets != nil {
		in := req.Input()
		a.Target = c.svc.Targets(c.op, in)
		if name := in.Duplicate(); name != "" {
			// The operation would act on the last of them; refuse rather than authorize one.
			return awsproto.Errorf(awsproto.CodeSerialization, "The request has the member %s more than once.", name)
		}
	}
	err := h.deps.Authorize(c.r.Context(), a)
	c.resources = a.Target.Resources
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errdefs.ErrPermissionDenied):
		// As AWS answers: AccessDeniedException with HTTP 400 from the JSON services,
		// AccessDenied with HTTP 403 from the Query ones.
		if c.svc.Protocol == awsproto.ProtocolQuery || c.svc.Protocol == awsproto.ProtocolCBOR {
			return &awsproto.Error{Code: "AccessDenied", Message: errdefs.Message(err), Status: http.StatusForbidden}
		}
		return &awsproto.Error{Code: "AccessDeniedException", Message: errdefs.Message(err)}
	default:
		h.deps.Logger.Error("authorize", "request_id", c.requestID, "service", c.svc.Name, "operation", c.op, "err", err)
		return &awsproto.Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error.", Status: http.StatusInternalServerError}
	}
}

// sourceIP is the address the request came from.
func sourceIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// Record is one API call as the audit log keeps it.
type Record struct {
	Time      time.Time  `json:"time"`
	RequestID string     `json:"requestId"`
	Principal string     `json:"principal,omitempty"`
	Service   string     `json:"service,omitempty"`
	Operation string     `json:"operation,omitempty"`
	Resources [][]string `json:"resources,omitempty"`
	// Allowed is false for a call that authentication or authorization refused.
	Allowed   bool   `json:"allowed"`
	ErrorCode string `json:"errorCode,omitempty"`
	SourceIP  string `json:"sourceIp,omitempty"`
}

// audit hands the record of c, answered with code (empty on success), to Deps.Audit.
func (h *Handler) audit(c *call, code string) {
	if h.deps.Audit == nil {
		return
	}
	rec := Record{
		Time: c.start.UTC(), RequestID: c.requestID, Principal: c.principal, Operation: c.op,
		Resources: c.resources, Allowed: c.authorized, ErrorCode: code,
	}
	if c.svc != nil {
		rec.Service = c.svc.Name
	}
	if ip := sourceIP(c.r); ip.IsValid() {
		rec.SourceIP = ip.String()
	}
	h.deps.Audit(rec)
}
