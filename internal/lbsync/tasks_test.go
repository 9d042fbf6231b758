package lbsync

import (
	"testing"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestTaskTarget checks which address an ip target of a task gets: the one its port is bound
// on or, when bound on every address, its container instance's, which every data-plane node
// reaches; a data-plane node's own listener address only when the instance says none.
func TestTaskTarget(t *testing.T) {
	t.Parallel()
	kvs, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c := New(store.New(kvs), nil, Config{Settings: Settings{BindHost: "127.0.0.2"}}, nil)
	c.instances.Upsert(store.Item[ecs.ContainerInstance]{ID: store.ContainerInstanceID("demo", "worker"),
		Value: ecs.ContainerInstance{ID: "worker", ClusterName: "demo", Address: "10.0.0.5"}, Revision: 1})
	lbe := ecs.LoadBalancer{ContainerName: "web", ContainerPort: 8080}
	group := elb.TargetGroup{TargetType: elb.TargetTypeIP}
	tests := []struct {
		name, bindIP, instance string
		want                   elb.Target
	}{
		{"bound on one address", "10.0.0.7", "worker", elb.Target{ID: "10.0.0.7", Port: 32768}},
		{"bound on every address", "0.0.0.0", "worker", elb.Target{ID: "10.0.0.5", Port: 32768}},
		{"bound on every address, unknown instance", "", "gone", elb.Target{ID: "127.0.0.2", Port: 32768}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			task := ecs.Task{ClusterName: "demo", ContainerInstanceID: tt.instance, Containers: []ecs.Container{{Name: "web",
				NetworkBindings: []ecs.NetworkBinding{{BindIP: tt.bindIP, ContainerPort: 8080, HostPort: 32768}}}}}
			got, ok := c.taskTarget(task, lbe, group)
			if !ok || got != tt.want {
				t.Errorf("taskTarget = %+v, %v; want %+v", got, ok, tt.want)
			}
		})
	}
}
