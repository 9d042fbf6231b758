package reconcile

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// queue is a keyed work queue with the rules of client-go's workqueue:
//
//   - a key waiting in the queue is queued only once, however often it is added;
//   - a key handed to a worker by get is not handed out again until done;
//   - a key added while a worker holds it is queued again by done ("dirty while processing").
//
// It also holds delayed adds, one per key (the earliest wins), which runDelays moves into the
// queue when they are due.
type queue struct {
	mu   sync.Mutex
	cond *sync.Cond // signalled when ready grows or the queue shuts down

	ready    []string            // keys waiting for a worker, in FIFO order
	waiting  map[string]struct{} // keys that need processing: in ready, or dirty while active
	active   map[string]struct{} // keys held by a worker
	shutdown bool

	due    map[string]time.Time // the deadline of each delayed key
	delays delayHeap            // the entries of due, plus stale ones superseded by an earlier deadline
	wake   chan struct{}        // tells runDelays that the earliest deadline may have changed
}

func newQueue() *queue {
	q := &queue{
		waiting: make(map[string]struct{}),
		active:  make(map[string]struct{}),
		due:     make(map[string]time.Time),
		wake:    make(chan struct{}, 1),
	}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// add queues key unless it is already waiting. A key that a worker holds is only marked, and
// done queues it.
func (q *queue) add(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.addLocked(key)
}

func (q *queue) addLocked(key string) {
	if q.shutdown {
		return
	}
	if _, ok := q.waiting[key]; ok {
		return
	}
	q.waiting[key] = struct{}{}
	if _, ok := q.active[key]; ok {
		return
	}
	q.ready = append(q.ready, key)
	q.cond.Signal()
}

// get blocks until a key is ready and hands it to the caller, who must call done with it. It
// returns false once the queue is shut down; keys still waiting are dropped.
func (q *queue) get() (string, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.ready) == 0 && !q.shutdown {
		q.cond.Wait()
	}
	if q.shutdown {
		return "", false
	}
	key := q.ready[0]
	q.ready[0] = "" // let the string be collected before append reallocates
	q.ready = q.ready[1:]
	delete(q.waiting, key)
	q.active[key] = struct{}{}
	return key, true
}

// done releases a key taken by get, and queues it again if it was added meanwhile.
func (q *queue) done(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.active, key)
	if _, ok := q.waiting[key]; ok && !q.shutdown {
		q.ready = append(q.ready, key)
		q.cond.Signal()
	}
}

// close wakes every worker blocked in get and makes later adds no-ops.
func (q *queue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.shutdown = true
	q.cond.Broadcast()
}

// addAfter adds key once d has passed, or now if d is not positive. If the key already has an
// earlier deadline, that one stands.
func (q *queue) addAfter(key string, d time.Duration) {
	if d <= 0 {
		q.add(key)
		return
	}
	at := time.Now().Add(d)
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.shutdown {
		return
	}
	if cur, ok := q.due[key]; ok && !at.Before(cur) {
		return
	}
	q.due[key] = at
	heap.Push(&q.delays, delayed{at: at, key: key})
	select {
	case q.wake <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// runDelays moves delayed keys into the queue when they are due, until ctx ends.
func (q *queue) runDelays(ctx context.Context) {
	for {
		var fire <-chan time.Time
		var timer *time.Timer
		if next, ok := q.addDue(time.Now()); ok {
			timer = time.NewTimer(time.Until(next))
			fire = timer.C
		}
		select {
		case <-ctx.Done():
		case <-q.wake:
		case <-fire:
		}
		if timer != nil {
			timer.Stop()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// addDue queues every delayed key due at now and returns the next deadline, if any.
func (q *queue) addDue(now time.Time) (time.Time, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.delays) > 0 {
		e := q.delays[0]
		if cur, ok := q.due[e.key]; !ok || !cur.Equal(e.at) {
			heap.Pop(&q.delays) // stale: superseded by an earlier deadline that has fired
			continue
		}
		if e.at.After(now) {
			return e.at, true
		}
		heap.Pop(&q.delays)
		delete(q.due, e.key)
		q.addLocked(e.key)
	}
	return time.Time{}, false
}

type delayed struct {
	at  time.Time
	key string
}

// delayHeap is a min-heap of delayed keys by deadline, for container/heap.
type delayHeap []delayed

func (h delayHeap) Len() int           { return len(h) }
func (h delayHeap) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h delayHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *delayHeap) Push(x any)        { *h = append(*h, x.(delayed)) }
func (h *delayHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
