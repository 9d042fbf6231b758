package lb

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// copyBufs are the buffers of response copies; without pooling, CPU per request rises by a
// fifth or more (reference/proxy-performance.md).
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// respond passes a target's response to the client.
func (h *handler) respond(w http.ResponseWriter, r *http.Request, res *http.Response, o *outcome) {
	if res.StatusCode == http.StatusSwitchingProtocols {
		o.status = h.upgrade(w, r, res, o)
		return
	}
	dst := w.Header()
	copyHeader(dst, res.Header)
	if o.fg.setCookie != "" {
		dst["Set-Cookie"] = append(dst["Set-Cookie"], o.fg.setCookie)
	}
	if g := o.fg.g; g.sticky {
		dst["Set-Cookie"] = append(dst["Set-Cookie"], g.setCookie[o.idx])
	}
	if len(res.Trailer) > 0 {
		names := make([]string, 0, len(res.Trailer))
		for k := range res.Trailer {
			names = append(names, k)
		}
		dst["Trailer"] = []string{strings.Join(names, ", ")}
	}
	w.WriteHeader(res.StatusCode)
	o.status = res.StatusCode
	var f http.Flusher
	if streaming(res) {
		f, _ = w.(http.Flusher)
	}
	var n int64
	var rerr, werr error
	if hb, p, ok := bufferedBody(res.Body); ok {
		// A body that came with the headers is written from the connection's buffer at
		// once, without a copy through another buffer.
		nw, ew := w.Write(p)
		n, werr = int64(nw), ew
		if ew == nil {
			hb.consumed()
		}
	} else {
		n, rerr, werr = copyBody(w, f, res.Body)
	}
	res.Body.Close()
	o.bytes = n
	for k, vv := range res.Trailer {
		dst[k] = vv
	}
	// A target that broke off mid-body must not look like a complete response to the client.
	o.abort = rerr != nil && werr == nil && r.Context().Err() == nil
}

// bufferedBody returns the whole body of a bodiless client's response when it is in the
// connection's buffer already.
func bufferedBody(body io.ReadCloser) (*h1Body, []byte, bool) {
	hb, ok := body.(*h1Body)
	if !ok {
		return nil, nil, false
	}
	p, ok := hb.buffered()
	return hb, p, ok
}

// streaming tells whether a response should reach the client as it arrives rather than in
// buffer-sized pieces: server-sent events and bodies of unknown length.
func streaming(res *http.Response) bool {
	if res.ContentLength < 0 {
		return true
	}
	ct := res.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "text/event-stream") {
		mt, _, _ := mime.ParseMediaType(ct)
		return mt == "text/event-stream"
	}
	return false
}

// copyBody copies a response body, flushing after every write when f is set. It reports the
// read and the write error apart, because only a read error is the target's fault.
func copyBody(w io.Writer, f http.Flusher, body io.Reader) (n int64, rerr, werr error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	for {
		nr, er := body.Read(buf)
		if nr > 0 {
			nw, ew := w.Write(buf[:nr])
			n += int64(nw)
			if ew != nil {
				return n, nil, ew
			}
			if f != nil {
				f.Flush()
			}
		}
		if er == io.EOF {
			return n, nil, nil
		}
		if er != nil {
			return n, er, nil
		}
	}
}

// copyHeader copies response headers except hop-by-hop ones. The value slices are shared:
// neither side changes them afterwards.
func copyHeader(dst, src http.Header) {
	var named []string
	if c := src["Connection"]; len(c) > 0 {
		named = c
	}
	for k, vv := range src {
		if isHopByHop(k) || (named != nil && connectionNames(named, k)) {
			continue
		}
		dst[k] = vv
	}
}

func connectionNames(conn []string, k string) bool {
	for _, v := range conn {
		for tok := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(tok), k) {
				return true
			}
		}
	}
	return false
}

// ALB's own error pages and the header it sends with them.
var (
	serverHeader = []string{"awselb/2.0"}
	htmlType     = []string{"text/html"}
	errorPages   = map[int][]byte{
		http.StatusBadRequest:         errorPage("400 Bad Request"),
		http.StatusBadGateway:         errorPage("502 Bad Gateway"),
		http.StatusServiceUnavailable: errorPage("503 Service Temporarily Unavailable"),
		http.StatusGatewayTimeout:     errorPage("504 Gateway Time-out"),
	}
	errorLengths = map[int][]string{}
)

func init() {
	for code, page := range errorPages {
		errorLengths[code] = []string{strconv.Itoa(len(page))}
	}
}

func errorPage(title string) []byte {
	return []byte("<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" +
		title + "</h1></center>\r\n</body>\r\n</html>\r\n")
}

// writeError answers with one of ALB's error pages and returns the status.
func writeError(w http.ResponseWriter, code int) int {
	h := w.Header()
	h["Server"] = serverHeader
	h["Content-Type"] = htmlType
	h["Content-Length"] = errorLengths[code]
	w.WriteHeader(code)
	_, _ = w.Write(errorPages[code])
	return code
}

func writeFixed(w http.ResponseWriter, f *fixedResponse) int {
	h := w.Header()
	h["Server"] = serverHeader
	h["Content-Type"] = f.contentType
	h["Content-Length"] = f.length
	w.WriteHeader(f.status)
	_, _ = w.Write(f.body)
	return f.status
}

// writeRedirect answers with ALB's redirect: each part of the new URL is its template with
// #{protocol}, #{host}, #{port}, #{path} (without the leading slash) and #{query} expanded.
func (h *handler) writeRedirect(w http.ResponseWriter, r *http.Request, rd *Redirect) int {
	path := r.URL.EscapedPath()
	vals := [...]string{
		"#{protocol}", h.scheme,
		"#{host}", stripPort(r.Host),
		"#{port}", h.port,
		"#{path}", strings.TrimPrefix(path, "/"),
		"#{query}", r.URL.RawQuery,
	}
	proto := strings.ToLower(expand(rd.Protocol, vals[:]))
	port := expand(rd.Port, vals[:])
	var b strings.Builder
	b.WriteString(proto)
	b.WriteString("://")
	b.WriteString(expand(rd.Host, vals[:]))
	if !(proto == "http" && port == "80") && !(proto == "https" && port == "443") && port != "" {
		b.WriteString(":")
		b.WriteString(port)
	}
	b.WriteString(expand(rd.Path, vals[:]))
	if q := expand(rd.Query, vals[:]); q != "" {
		b.WriteString("?")
		b.WriteString(q)
	}
	hd := w.Header()
	hd["Server"] = serverHeader
	hd["Location"] = []string{b.String()}
	w.WriteHeader(rd.StatusCode)
	return rd.StatusCode
}

// expand replaces the placeholders of s; vals alternates placeholder and value.
func expand(s string, vals []string) string {
	if !strings.Contains(s, "#{") {
		return s
	}
	for i := 0; i < len(vals); i += 2 {
		s = strings.ReplaceAll(s, vals[i], vals[i+1])
	}
	return s
}
