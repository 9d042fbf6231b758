package store_test

import (
	"context"
	"testing"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestRegionViews: the same name in the home region and another is two objects, each listed
// in its region alone; IAM users and listener ports are one for every region.
func TestRegionViews(t *testing.T) {
	ctx := context.Background()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	home := store.New(mem)
	seoul := home.In("ap-northeast-2")
	if _, err := home.Clusters.Create(ctx, "web", ecs.Cluster{Name: "web", ARN: "home"}); err != nil {
		t.Fatal(err)
	}
	if _, err := seoul.Clusters.Create(ctx, "web", ecs.Cluster{Name: "web", ARN: "seoul"}); err != nil {
		t.Fatalf("the same name in another region: %v", err)
	}
	for name, st := range map[string]*store.Store{"home": home, "seoul": seoul} {
		items, _, err := st.Clusters.List(ctx, "")
		if err != nil || len(items) != 1 || items[0].Value.ARN != name {
			t.Errorf("%s lists %+v, %v; want its own cluster only", name, items, err)
		}
	}
	if err := seoul.Clusters.Delete(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if _, err := home.Clusters.Get(ctx, "web"); err != nil {
		t.Errorf("deleting in one region took the other's: %v", err)
	}

	if _, err := seoul.IAMUsers.Create(ctx, iam.Key("ci"), iam.User{Name: "ci"}); err != nil {
		t.Fatal(err)
	}
	if _, err := home.IAMUsers.Get(ctx, iam.Key("ci")); err != nil {
		t.Errorf("IAM is global: %v", err)
	}
	if _, err := home.ListenerPorts.Create(ctx, store.ListenerPortID(80), elb.PortClaim{Port: 80}); err != nil {
		t.Fatal(err)
	}
	if _, err := seoul.ListenerPorts.Create(ctx, store.ListenerPortID(80), elb.PortClaim{Port: 80}); err == nil {
		t.Error("a port claimed in one region was claimed again in another")
	}
}
