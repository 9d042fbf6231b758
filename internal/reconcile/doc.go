// Package reconcile is the small controller runtime that fargo's controllers (scheduler,
// deployer, agent, lbsync) share: a keyed work queue, workers, retries with backoff, delayed
// requeues and periodic resync.
//
// # The level-triggered contract
//
// A Reconciler is handed a key, never an event. The key (an ARN, a task ID, a target group
// name) is the only input: Reconcile reads the current desired and observed state for that key
// from its own source of truth, works out what differs, applies the difference and returns.
// It must not depend on what happened before or on why it was called, for three reasons:
//
//   - Keys are deduplicated. Ten changes to one object while the key waits in the queue lead to
//     one Reconcile, which must see the result of all ten.
//   - The same key may be reconciled more often than it changed: after an error, after a
//     Result.RequeueAfter, on every resync (Config.ResyncPeriod) and whenever a source sees an
//     unrelated change to a related object. A reconcile that finds nothing to do is normal and
//     must be cheap and harmless.
//   - Events can be lost (a watch is compacted, the process restarts). Because each reconcile
//     reads fresh state, the next reconcile of the key converges anyway.
//
// A key is never reconciled by two workers at once, so a Reconciler needs no per-key locking;
// different keys run concurrently on Config.Workers workers.
//
// # Results and errors
//
// Returning a nil error resets the key's backoff. Result.RequeueAfter asks for another
// reconcile after a delay, for time-driven work (a deadline, a health-check grace period).
// Result.Gone says the key's object no longer exists, so resync stops revisiting it.
//
// Returning an error logs it once and retries the key with per-key exponential backoff
// (Config.BaseBackoff doubling up to Config.MaxBackoff). An error of kind errdefs.ErrConflict
// only says that a concurrent write won the race between the reconcile's read and its commit;
// its retry is logged at debug level, and as an error only once the key keeps losing. Errors
// that a retry cannot fix, such as invalid desired state, should be wrapped with Terminal: they
// are logged and not retried until the key is added again.
//
// # Feeding a controller
//
// Keys arrive through Controller.Add and Controller.AddAfter, usually from a Source registered
// with Controller.Watch: a function that runs for the life of the controller (typically a
// store list followed by a watch, listing again after kv.ErrCompacted) and calls enqueue for
// every key whose state may have changed. Run owns the sources, the workers and the timers;
// it returns once all of them have stopped.
//
// # Running a component
//
// fargo's controllers feed their queues from store informers instead, and a Group runs such a
// component: its caches from the start, then, once every cache has synced, an optional Start
// step, its controllers and its periodic loops. No reconcile plans from a partial view of the
// store, and every part stops when one fails or the context ends.
package reconcile
