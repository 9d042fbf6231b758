package lbsync

import (
	"context"
	"errors"
	"fmt"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/store"
)

// listenerFailures returns why each listener of the config cannot serve, by listener ARN: the
// listeners Compile left out, and those the proxy could not bind (Apply's *lb.ListenerError
// values, joined).
func listenerFailures(problems []Problem, applyErr error) map[string]string {
	out := map[string]string{}
	for _, p := range problems {
		out[p.Object] = p.Reason
	}
	errs := []error{applyErr}
	if j, ok := applyErr.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, err := range errs {
		var le *lb.ListenerError
		if errors.As(err, &le) {
			out[le.ListenerID] = le.Err.Error()
		}
	}
	return out
}

// listenerFailing reports whether a listener of the store is among failures.
func (c *Controller) listenerFailing(failures map[string]string) bool {
	return len(c.listeners.Filter(func(it store.Item[elb.Listener]) bool { return failures[it.Value.ARN] != "" })) > 0
}

// recordListenerFailures writes on each listener why it cannot serve, or clears what it said
// once it serves: DescribeLoadBalancers and `fargo ps` report it. It reports whether a
// listener cannot serve.
func (c *Controller) recordListenerFailures(ctx context.Context, st *store.Store, failures map[string]string) (bool, error) {
	failing := false
	for _, it := range c.listeners.Filter(func(store.Item[elb.Listener]) bool { return true }) {
		want := failures[it.Value.ARN]
		failing = failing || want != ""
		if it.Value.Failure == want {
			continue
		}
		_, err := st.Listeners.Update(ctx, it.ID, func(l *elb.Listener) error {
			l.Failure = want
			return nil
		})
		if err != nil && !errors.Is(err, errdefs.ErrNotFound) {
			return failing, fmt.Errorf("record the failure of listener %s: %w", it.ID, err)
		}
	}
	return failing, nil
}
