package loadtest

import (
	"net/http"
	"net/url"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

// Defaults of Config's zero fields.
const (
	DefaultRevisionHeader   = "X-App-Version"
	DefaultTimeout          = 10 * time.Second
	DefaultProgressInterval = time.Second
	DefaultMaxErrorSamples  = 10
)

// defaultPostBody is the body of POST requests when Config.PostBody is empty.
var defaultPostBody = []byte(`{"message":"hello from fargo loadtest"}`)

// Config describes one run. A URL is all it needs: the rest of its zero value means one
// keep-alive client sending GETs as fast as it can until ctx ends.
type Config struct {
	// URL is where requests go: http:// or https://, host, port, path and query.
	URL string
	// Duration bounds the run; zero runs until ctx ends. When it elapses no new request starts
	// and those in flight finish (each bounded by Timeout) and are counted. When ctx ends,
	// requests in flight are abandoned and counted only as Aborted.
	Duration time.Duration
	// MaxRequests stops starting requests after this many (0: no limit).
	MaxRequests int64
	// KeepAliveClients each send one request after another on one reused connection, and open
	// a new connection only after an error or a response that closes the connection. When
	// both client counts are zero, one keep-alive client runs.
	KeepAliveClients int
	// NewConnectionClients each open a new connection for every request (which says
	// Connection: close) and close it after the response.
	NewConnectionClients int
	// Rate is the target of requests per second over all clients together; zero sends as fast
	// as the clients can. A client that falls behind does not burst to catch up.
	Rate float64
	// PostPercent of the requests (0–100) are POSTs of PostBody to PostPath; the rest are GETs
	// of URL. The mix is deterministic: every client sends POSTs evenly spread among its GETs.
	PostPercent int
	// PostPath is the path and query of POSTs, for example /echo; URL's when empty.
	PostPath string
	// PostBody is what POSTs send, as application/json unless Header names a Content-Type; a
	// small JSON document when empty.
	PostBody []byte
	// Host overrides the Host header (URL's host when empty).
	Host string
	// Header holds extra headers sent with every request.
	Header http.Header
	// RevisionHeader names the response header whose value says which revision answered;
	// responses are counted by it (default X-App-Version).
	RevisionHeader string
	// Timeout bounds each request from the start of its connect to the end of its response
	// body (default 10 s).
	Timeout time.Duration
	// InsecureSkipVerify accepts any certificate of an https:// URL.
	InsecureSkipVerify bool
	// Progress, when set, receives a snapshot of the counts every ProgressInterval (default
	// 1 s) and the final result, on Run's goroutine. It must return quickly.
	Progress         func(Result)
	ProgressInterval time.Duration
	// MaxErrorSamples is how many failed requests Result.Errors describes, the earliest first
	// (default 10).
	MaxErrorSamples int
}

// Validate reports the first setting that cannot work, as an errdefs.ErrInvalidArgument.
func (c Config) Validate() error {
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		return errdefs.InvalidArgument("loadtest: a URL is required")
	case err != nil:
		return errdefs.InvalidArgument("loadtest: URL %q: %v", c.URL, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return errdefs.InvalidArgument("loadtest: URL %q: scheme must be http or https", c.URL)
	case u.Host == "":
		return errdefs.InvalidArgument("loadtest: URL %q has no host", c.URL)
	case c.Duration < 0 || c.Timeout < 0 || c.ProgressInterval < 0:
		return errdefs.InvalidArgument("loadtest: durations must not be negative")
	case c.MaxRequests < 0 || c.MaxErrorSamples < 0:
		return errdefs.InvalidArgument("loadtest: counts must not be negative")
	case c.KeepAliveClients < 0 || c.NewConnectionClients < 0:
		return errdefs.InvalidArgument("loadtest: client counts must not be negative")
	case c.Rate < 0:
		return errdefs.InvalidArgument("loadtest: rate must not be negative")
	case c.PostPercent < 0 || c.PostPercent > 100:
		return errdefs.InvalidArgument("loadtest: post percent %d is not within 0–100", c.PostPercent)
	case c.PostPath != "" && c.PostPath[0] != '/':
		return errdefs.InvalidArgument("loadtest: post path %q must start with /", c.PostPath)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.KeepAliveClients == 0 && c.NewConnectionClients == 0 {
		c.KeepAliveClients = 1
	}
	if c.RevisionHeader == "" {
		c.RevisionHeader = DefaultRevisionHeader
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.ProgressInterval == 0 {
		c.ProgressInterval = DefaultProgressInterval
	}
	if c.MaxErrorSamples == 0 {
		c.MaxErrorSamples = DefaultMaxErrorSamples
	}
	if len(c.PostBody) == 0 {
		c.PostBody = defaultPostBody
	}
	return c
}
