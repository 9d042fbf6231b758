package lbsync_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestListenerFailureRecorded runs the controller over the real data plane with a listener
// whose port another process holds: the listener records why it cannot serve, and once the
// port comes free the data plane binds it and the failure is cleared.
func TestListenerFailureRecorded(t *testing.T) {
	t.Parallel()
	kv, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(kv)
	held, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	port := held.Addr().(*net.TCPAddr).Port
	id := storeListenerOn(t, st, port)
	proxy := lbtest.Start(t, lb.ProxyConfig{})
	c := lbsync.New(st, proxy, lbsync.Config{Settings: lbsync.Settings{BindHost: "127.0.0.1"}, ListenerRetry: 100 * time.Millisecond}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- c.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()
	failure := func() string {
		it, err := st.Listeners.Get(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return it.Value.Failure
	}
	lbtest.Eventually(t, 10*time.Second, "the listener's failure recorded", func() bool {
		return strings.Contains(failure(), "address already in use")
	})
	held.Close()
	lbtest.Eventually(t, 10*time.Second, "the listener bound once its port came free", func() bool {
		return failure() == "" && proxy.ListenerAddr("arn:listener/1") != ""
	})
}

// storeListenerOn stores a load balancer with an HTTP listener on port and its default rule,
// and returns the listener's store id.
func storeListenerOn(t *testing.T, st *store.Store, port int) string {
	t.Helper()
	ctx := t.Context()
	lbal, err := elb.NewLoadBalancer(scope, elb.LoadBalancerSpec{Name: "demo"}, "00112233445566aa", time.Unix(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	listener := elb.Listener{ID: "l1", ARN: "arn:listener/1", LoadBalancerARN: lbal.ARN, Port: port, Protocol: "HTTP"}
	rule := elb.Rule{ARN: "arn:rule/default", ListenerARN: listener.ARN, IsDefault: true,
		Actions: []elb.Action{{Type: "fixed-response", FixedResponse: elb.FixedResponse{StatusCode: "200"}}}}
	const id = "demo/00112233445566aa/l1"
	if _, err := st.LoadBalancers.Create(ctx, "demo", lbal); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Listeners.Create(ctx, id, listener); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Rules.Create(ctx, "demo/00112233445566aa/l1/default", rule); err != nil {
		t.Fatal(err)
	}
	return id
}
