package console

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/store"
)

// Timings of the event stream: changes that come in a burst make one event, and a comment
// every keepAlive keeps proxies from closing an idle stream and notices a session that ended.
const (
	settle    = 300 * time.Millisecond
	keepAlive = 15 * time.Second
)

func (c *Console) liveRoutes() {
	c.fragment("GET /events", "ecs:DescribeServices", c.events)
	c.fragment("GET /clusters/{cluster}/tasks/{task}/logs", "logs:GetLogEvents", c.taskLogs)
}

// events is a server-sent event stream that says "change" whenever one of the collections
// that ?watch= names changes; the page then fetches itself again and swaps its live regions.
// It reads the store's watches, so it sees every writer: API, console, controllers.
func (c *Console) events(w http.ResponseWriter, r *http.Request, sess *session) error {
	flusher, ok := w.(http.Flusher)
	if !ok {
		return fmt.Errorf("streaming unsupported")
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(c.closing, cancel)
	defer stop()
	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	// The watches start from the revision read before the first event, so that a change made
	// after the page reads that event is never missed, however late a watch starts.
	rev, err := c.deps.Store.Clusters.Revision(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for _, topic := range strings.Split(r.URL.Query().Get("watch"), ",") {
		if watch := c.watchers()[topic]; watch != nil {
			wg.Go(func() { watch(ctx, rev, notify) })
		}
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	return c.stream(ctx, w, flusher, sess, changed)
}

// stream writes one change event at once (the page may have missed a change since it was
// drawn) and one after each settled burst of changes, until ctx ends or the session does.
func (c *Console) stream(ctx context.Context, w http.ResponseWriter, f http.Flusher, sess *session, changed <-chan struct{}) error {
	// A write to a browser that went away fails; ctx ends with the request then.
	send := func(msg string) {
		if _, err := fmt.Fprint(w, msg); err == nil {
			f.Flush()
		}
	}
	send("event: change\ndata: now\n\n")
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if !c.heartbeat(w, f, sess) {
				return nil
			}
		case <-changed:
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(settle):
			}
			send("event: change\ndata: \n\n")
		}
	}
}

// heartbeat keeps an idle stream open (proxies close silent ones) and reports whether its
// session is still signed in; when not, it tells the page so.
func (c *Console) heartbeat(w io.Writer, f http.Flusher, sess *session) bool {
	alive := c.sessions.alive(sess.id)
	msg := ": keep-alive\n\n"
	if !alive {
		msg = "event: signedout\ndata: \n\n"
	}
	if _, err := fmt.Fprint(w, msg); err == nil {
		f.Flush()
	}
	return alive
}

// watchers are the collections a page may watch, by topic; each follows its collection from a
// store revision.
func (c *Console) watchers() map[string]func(context.Context, int64, func()) {
	st := c.deps.Store
	return map[string]func(context.Context, int64, func()){
		"clusters":    func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Clusters, rev, n) },
		"services":    func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Services, rev, n) },
		"tasks":       func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Tasks, rev, n) },
		"taskdefs":    func(ctx context.Context, rev int64, n func()) { follow(ctx, st.TaskDefinitions, rev, n) },
		"targets":     func(ctx context.Context, rev int64, n func()) { follow(ctx, st.TargetRegistrations, rev, n) },
		"groups":      func(ctx context.Context, rev int64, n func()) { follow(ctx, st.TargetGroups, rev, n) },
		"listeners":   func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Listeners, rev, n) },
		"rules":       func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Rules, rev, n) },
		"deployments": func(ctx context.Context, rev int64, n func()) { follow(ctx, st.Deployments, rev, n) },
	}
}

// follow calls notify on every change of coll after revision rev until ctx ends. A watch that
// fails (the store compacted past it) starts again from now after a pause, with one notify for
// what it missed.
func follow[T any](ctx context.Context, coll store.Collection[T], rev int64, notify func()) {
	for ctx.Err() == nil {
		for ev := range coll.Watch(ctx, rev) {
			if ev.Err != nil {
				break
			}
			notify()
		}
		rev = 0
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			notify()
		}
	}
}
