package h1

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"
)

// responseWriter is the http.ResponseWriter (and http.Flusher) of a Server, one per
// connection, reused for each response. It writes HTTP/1.1 as net/http's server does, less
// what a proxy does not want: no Content-Type sniffing (ALB passes responses through as the
// target sent them) and no header sorting. The head goes out with the first body write, a
// Flush or the end of the response; a body of unknown length is chunked, and an empty
// response without a length gets Content-Length: 0.
type responseWriter struct {
	sc     *conn
	req    *http.Request
	header http.Header // reused: cleared for each response
	status int         // 0 until WriteHeader or the first write

	headWritten bool
	isHead      bool  // the request's method is HEAD: writes are dropped
	bodyAllowed bool  // by the status
	chunked     bool  // the body is sent in chunks
	length      int64 // the declared Content-Length, or -1
	written     int64 // body bytes written
	closeAfter  bool  // close the connection after this response
	trailers    []string
}

var _ http.Flusher = (*responseWriter)(nil)

func (w *responseWriter) reset(req *http.Request) {
	clear(w.header)
	*w = responseWriter{sc: w.sc, req: req, header: w.header, trailers: w.trailers[:0],
		isHead: req.Method == http.MethodHead, closeAfter: req.Close, length: -1}
}

func (w *responseWriter) Header() http.Header { return w.header }

// WriteHeader records the status; informational ones (1xx but 101) go out at once, as in
// net/http.
func (w *responseWriter) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if w.status != 0 {
		return
	}
	if code < 200 && code != http.StatusSwitchingProtocols {
		w.writeInformational(code)
		return
	}
	w.status = code
}

func (w *responseWriter) writeInformational(code int) {
	bw := w.sc.bw
	bw.WriteString(statusLine(code))
	writeHeaderLines(bw, w.header)
	bw.WriteString("\r\n")
	_ = bw.Flush()
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.headWritten {
		w.writeHead(false)
	}
	if !w.bodyAllowed {
		return 0, http.ErrBodyNotAllowed
	}
	if w.isHead {
		return len(p), nil
	}
	if w.length >= 0 && w.written+int64(len(p)) > w.length {
		return 0, http.ErrContentLength
	}
	if len(p) == 0 {
		return 0, nil
	}
	w.written += int64(len(p))
	bw := w.sc.bw
	if w.chunked {
		bw.WriteString(strconv.FormatInt(int64(len(p)), 16))
		bw.WriteString("\r\n")
		n, err := bw.Write(p)
		bw.WriteString("\r\n")
		return n, err
	}
	return bw.Write(p)
}

func (w *responseWriter) Flush() {
	if !w.headWritten {
		w.writeHead(false)
	}
	_ = w.sc.bw.Flush()
}

// finish ends the response: the head if not out yet, the last chunk and trailers, and a
// flush. A body shorter than its Content-Length leaves the connection to be closed, so that
// the client sees it cut short.
func (w *responseWriter) finish() error {
	if !w.headWritten {
		w.writeHead(true)
	}
	bw := w.sc.bw
	if w.chunked {
		bw.WriteString("0\r\n")
		for _, k := range w.trailers {
			for _, v := range w.header[k] {
				WriteHeaderLine(bw, k, v)
			}
		}
		bw.WriteString("\r\n")
	}
	if w.length >= 0 && w.written < w.length && w.bodyAllowed && !w.isHead {
		w.closeAfter = true
	}
	return bw.Flush()
}

// writeHead writes the status line and headers; atEnd: the handler wrote no body.
func (w *responseWriter) writeHead(atEnd bool) {
	w.headWritten = true
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.header
	w.bodyAllowed = bodyAllowedForStatus(w.status)
	delete(h, "Transfer-Encoding")
	if cl := h["Content-Length"]; len(cl) > 0 {
		if n, err := strconv.ParseInt(cl[0], 10, 64); err == nil && n >= 0 && len(cl) == 1 {
			w.length = n
		} else {
			delete(h, "Content-Length")
		}
	}
	switch {
	case !w.bodyAllowed:
		if w.status != http.StatusNotModified {
			delete(h, "Content-Length")
		}
	case w.length >= 0, w.isHead:
	case atEnd:
		h["Content-Length"] = zeroLength
		w.length = 0
	default:
		w.chunked = true
		for _, v := range h["Trailer"] {
			for k := range strings.SplitSeq(v, ",") {
				if k = http.CanonicalHeaderKey(strings.TrimSpace(k)); k != "" {
					w.trailers = append(w.trailers, k)
				}
			}
		}
	}
	if !w.closeAfter && (w.sc.s.closing.Load() || hasToken(h["Connection"], "close")) {
		w.closeAfter = true
	}
	bw := w.sc.bw
	bw.WriteString(statusLine(w.status))
	writeHeaderLines(bw, h)
	if _, ok := h["Date"]; !ok {
		bw.WriteString(dateLine())
	}
	if w.chunked {
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	if w.closeAfter && !hasToken(h["Connection"], "close") {
		bw.WriteString("Connection: close\r\n")
	}
	bw.WriteString("\r\n")
}

var zeroLength = []string{"0"}

// bodyAllowedForStatus is net/http's rule: no body with 1xx, 204 or 304.
func bodyAllowedForStatus(status int) bool {
	switch {
	case status >= 100 && status <= 199, status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}

func hasToken(values []string, token string) bool {
	return len(values) > 0 && httpguts.HeaderValuesContainsToken(values, token)
}

// writeHeaderLines writes h in wire form. Like net/http, it drops fields with invalid names
// and turns line breaks in values into spaces, so that no value can inject a header.
func writeHeaderLines(bw *bufio.Writer, h http.Header) {
	for k, vv := range h {
		if !httpguts.ValidHeaderFieldName(k) {
			continue
		}
		for _, v := range vv {
			WriteHeaderLine(bw, k, v)
		}
	}
}

// WriteHeaderLine writes one header field in wire form, line breaks in v turned into spaces,
// as the Server writes the fields of its responses; a proxy writes the fields of its upstream
// requests with it too.
func WriteHeaderLine(bw *bufio.Writer, k, v string) {
	if strings.ContainsAny(v, "\r\n") {
		v = newlineToSpace.Replace(v)
	}
	bw.WriteString(k)
	bw.WriteString(": ")
	bw.WriteString(v)
	bw.WriteString("\r\n")
}

var newlineToSpace = strings.NewReplacer("\r", " ", "\n", " ")

// statusLines holds the status lines of the codes net/http knows.
var statusLines [600]string

func init() {
	for code := range statusLines {
		if text := http.StatusText(code); text != "" {
			statusLines[code] = "HTTP/1.1 " + strconv.Itoa(code) + " " + text + "\r\n"
		}
	}
}

func statusLine(code int) string {
	if code < len(statusLines) && statusLines[code] != "" {
		return statusLines[code]
	}
	return "HTTP/1.1 " + strconv.Itoa(code) + " status code " + strconv.Itoa(code) + "\r\n"
}

// dateLine returns the Date header line for now, formatted once per second.
func dateLine() string {
	now := time.Now()
	sec := now.Unix()
	if d := cachedDate.Load(); d != nil && d.sec == sec {
		return d.line
	}
	d := &dateHeader{sec: sec, line: "Date: " + now.UTC().Format(http.TimeFormat) + "\r\n"}
	cachedDate.Store(d)
	return d.line
}

type dateHeader struct {
	sec  int64
	line string
}

var cachedDate atomic.Pointer[dateHeader]
