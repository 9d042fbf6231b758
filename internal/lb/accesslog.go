package lb

import (
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// accessLog writes one line per request, built by appending into a pooled buffer (no fmt, no
// JSON):
//
//	time listener client target_group target status duration_seconds bytes "METHOD host request-uri PROTO" "user agent"
//
// Fields without a value are "-".
type accessLog struct {
	mu sync.Mutex
	w  io.Writer
}

var logBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func (a *accessLog) write(start, end time.Time, r *http.Request, listener string, o *outcome) {
	bp := logBufs.Get().(*[]byte)
	b := (*bp)[:0]
	b = start.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000Z")
	b = appendField(b, listener)
	b = appendField(b, r.RemoteAddr)
	group, target := "", ""
	if o.t != nil {
		group, target = o.fg.g.id, o.t.key.addr
	}
	b = appendField(b, group)
	b = appendField(b, target)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(o.status), 10)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, end.Sub(start).Seconds(), 'f', 6, 64)
	b = append(b, ' ')
	b = strconv.AppendInt(b, o.bytes, 10)
	b = append(b, ` "`...)
	b = append(b, r.Method...)
	b = append(b, ' ')
	b = append(b, r.Host...)
	b = append(b, r.RequestURI...) // as sent: unlike the decoded path, it has no spaces or newlines
	b = append(b, ' ')
	b = append(b, r.Proto...)
	b = append(b, `" `...)
	b = strconv.AppendQuote(b, r.UserAgent())
	b = append(b, '\n')
	a.mu.Lock()
	_, _ = a.w.Write(b)
	a.mu.Unlock()
	*bp = b
	logBufs.Put(bp)
}

func appendField(b []byte, s string) []byte {
	b = append(b, ' ')
	if s == "" {
		return append(b, '-')
	}
	return append(b, s...)
}
