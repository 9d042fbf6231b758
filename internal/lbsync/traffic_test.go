package lbsync_test

import (
	"context"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lbsync"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// groupStatsProxy is a fakeProxy whose listeners report the error answers the test sets.
type groupStatsProxy struct {
	fakeProxy
	mu     sync.Mutex
	groups []lb.GroupStats
}

func (p *groupStatsProxy) GroupStats() []lb.GroupStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]lb.GroupStats(nil), p.groups...)
}

func (p *groupStatsProxy) set(groups ...lb.GroupStats) {
	p.mu.Lock()
	p.groups = groups
	p.mu.Unlock()
}

// TestListenerErrorsRecordedForServices checks that the listeners' own error answers for a
// target group are added to the services whose tasks register there (a task set's group
// included), only once each, and that counts that start over (a group the proxy dropped and
// configured anew) add up rather than go back.
func TestListenerErrorsRecordedForServices(t *testing.T) {
	t.Parallel()
	kv, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(kv)
	services := map[string]ecs.Service{
		"web": {Name: "web", ClusterName: "demo", Status: ecs.ServiceActive,
			LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "arn:tg/web"}}},
		"bg": {Name: "bg", ClusterName: "demo", Status: ecs.ServiceActive,
			LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "arn:tg/blue"}},
			TaskSets:      []ecs.TaskSet{{ID: "ecs-svc/1", LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "arn:tg/green"}}}}},
		"quiet": {Name: "quiet", ClusterName: "demo", Status: ecs.ServiceActive,
			LoadBalancers: []ecs.LoadBalancer{{TargetGroupARN: "arn:tg/quiet"}}},
	}
	for name, svc := range services {
		if _, err := st.Services.Create(t.Context(), store.ServiceID("demo", name), svc); err != nil {
			t.Fatal(err)
		}
	}
	p := &groupStatsProxy{fakeProxy: fakeProxy{applied: make(chan lb.Config, 1)}}
	c := lbsync.New(st, p, lbsync.Config{}, nil)
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- c.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("Run = %v", err)
		}
	}()

	steps := []struct {
		name   string
		groups []lb.GroupStats
		want   map[string]ecs.ListenerErrors
	}{
		{"503s with nothing to route to", []lb.GroupStats{{GroupID: "arn:tg/web", NoTarget: 5}},
			map[string]ecs.ListenerErrors{"web": {NoTarget: 5}}},
		{"more, and a task set's group", []lb.GroupStats{{GroupID: "arn:tg/web", NoTarget: 7, BadGateway: 1}, {GroupID: "arn:tg/green", GatewayTimeout: 2}},
			map[string]ecs.ListenerErrors{"web": {NoTarget: 7, BadGateway: 1}, "bg": {GatewayTimeout: 2}}},
		{"counts that start over", []lb.GroupStats{{GroupID: "arn:tg/web", NoTarget: 2}, {GroupID: "arn:tg/green", GatewayTimeout: 2}},
			map[string]ecs.ListenerErrors{"web": {NoTarget: 9, BadGateway: 1}, "bg": {GatewayTimeout: 2}}},
	}
	for _, step := range steps {
		p.set(step.groups...)
		var got map[string]ecs.ListenerErrors
		deadline := time.Now().Add(10 * time.Second)
		for {
			got = map[string]ecs.ListenerErrors{}
			for name := range services {
				it, err := st.Services.Get(t.Context(), store.ServiceID("demo", name))
				if err != nil {
					t.Fatal(err)
				}
				if it.Value.ListenerErrors != (ecs.ListenerErrors{}) {
					got[name] = it.Value.ListenerErrors
				}
			}
			if maps.Equal(got, step.want) || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !maps.Equal(got, step.want) {
			t.Fatalf("%s: services' listener errors %+v, want %+v", step.name, got, step.want)
		}
	}
	// Later rounds with the same counts add nothing.
	time.Sleep(2500 * time.Millisecond)
	it, err := st.Services.Get(t.Context(), store.ServiceID("demo", "web"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ecs.ListenerErrors{NoTarget: 9, BadGateway: 1}); it.Value.ListenerErrors != want {
		t.Fatalf("web's listener errors %+v after rounds without new errors, want %+v", it.Value.ListenerErrors, want)
	}
}
