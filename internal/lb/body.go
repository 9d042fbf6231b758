package lb

import (
	"io"
	"net/http"
)

// replayBody lets a request body be sent twice: to the target that failed before answering
// and then to another one. It records what the first attempt read, up to a limit, and the
// second attempt replays that record before it reads on from the client. A body that grew
// past the limit before the failure cannot be replayed, and the request is not retried.
//
// The transport has stopped using the first attempt's body by the time RoundTrip returns an
// error (it waits for its write loop), so the two never read concurrently.
type replayBody struct {
	src       io.ReadCloser
	rec       []byte
	pos       int
	max       int64
	overflow  bool
	replaying bool
}

// newReplayBody wraps the body of r, or returns nil when r has none.
func newReplayBody(r *http.Request, limit int64) *replayBody {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b := &replayBody{src: r.Body, max: limit}
	if r.ContentLength > 0 && r.ContentLength <= limit {
		b.rec = make([]byte, 0, r.ContentLength)
	}
	return b
}

func (b *replayBody) Read(p []byte) (int, error) {
	if b.replaying && b.pos < len(b.rec) {
		n := copy(p, b.rec[b.pos:])
		b.pos += n
		return n, nil
	}
	n, err := b.src.Read(p)
	if n > 0 && !b.replaying && !b.overflow {
		if int64(len(b.rec)+n) > b.max {
			b.overflow, b.rec = true, nil
		} else {
			b.rec = append(b.rec, p[:n]...)
		}
	}
	return n, err
}

// Close does not close the client's body: net/http does that when the handler returns, and
// a retry may still need it.
func (b *replayBody) Close() error { return nil }

// replay returns the body for a second attempt, or false if it cannot be replayed.
func (b *replayBody) replay() (*replayBody, bool) {
	if b == nil {
		return nil, true
	}
	if b.overflow {
		return nil, false
	}
	return &replayBody{src: b.src, rec: b.rec, replaying: true}, true
}
