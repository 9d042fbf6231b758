package placement

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/fargohq/fargo/internal/ecs"
)

// TestPlaceKeepsItsPromises places random tasks on random clusters and checks what every
// placement must hold: an EC2 task fits what was left, its static ports were free, its
// constraints hold, and a failure names an instance that really could not take it.
func TestPlaceKeepsItsPromises(t *testing.T) {
	t.Parallel()
	zones := []string{"a", "b", "c"}
	fields := []ecs.PlacementStrategy{
		spread("instanceId"), spread("attribute:ecs.availability-zone"), binpack("cpu"), binpack("memory"), {Type: ecs.PlacementRandom},
	}
	rapid.Check(t, func(t *rapid.T) {
		var instances []ecs.ContainerInstance
		for i := range rapid.IntRange(0, 6).Draw(t, "instances") {
			in := node(fmt.Sprintf("i%d", i), rapid.SampledFrom(zones).Draw(t, "zone"))
			in.CPU, in.Memory = rapid.IntRange(0, 4096).Draw(t, "cpu"), rapid.IntRange(0, 8192).Draw(t, "memory")
			in.AgentConnected = rapid.Float64Range(0, 1).Draw(t, "connected") < 0.9
			instances = append(instances, in)
		}
		var constraints []ecs.PlacementConstraint
		if rapid.Bool().Draw(t, "distinct") {
			constraints = append(constraints, distinct)
		}
		if rapid.Bool().Draw(t, "memberOf") {
			constraints = append(constraints, memberOf("attribute:ecs.availability-zone != "+rapid.SampledFrom(zones).Draw(t, "not zone")))
		}
		compiled, err := Compile(constraints)
		if err != nil {
			t.Fatal(err)
		}
		strategy := rapid.SliceOfN(rapid.SampledFrom(fields), 0, 3).Draw(t, "strategy")
		c := NewCluster(instances, nil, now, func(n int) int { return rapid.IntRange(0, n-1).Draw(t, "pick") })
		for i := range rapid.IntRange(1, 20).Draw(t, "tasks") {
			r := Request{
				Group:       rapid.SampledFrom([]string{"g", "h"}).Draw(t, "group"),
				Needs:       ecs.Resources{CPU: rapid.IntRange(0, 1024).Draw(t, "task cpu"), Memory: rapid.IntRange(0, 2048).Draw(t, "task memory")},
				Constraints: compiled, Strategy: strategy,
			}
			if rapid.Bool().Draw(t, "port") {
				r.Ports = []ecs.HostPort{tcp(8080)}
			}
			before := snapshot(c)
			got, failure, ok := c.Place(r)
			if !ok {
				if failure.NoInstance() != (len(c.instances) == 0) {
					t.Fatalf("task %d: failure %+v with %d active instances", i, failure, len(c.instances))
				}
				for _, in := range c.instances {
					if _, reason := c.check(in, r); reason == "" {
						t.Fatalf("task %d: no placement, but %s could take it", i, in.ID)
					}
				}
				continue
			}
			was := before[got.ID]
			switch {
			case r.Needs.CPU > was.left.CPU || r.Needs.Memory > was.left.Memory:
				t.Fatalf("task %d needs %+v, placed on %s with %+v left", i, r.Needs, got.ID, was.left)
			case len(r.Ports) > 0 && was.ports[r.Ports[0]]:
				t.Fatalf("task %d placed on %s whose port 8080 was taken", i, got.ID)
			case !got.AgentConnected:
				t.Fatalf("task %d placed on %s, whose agent is disconnected", i, got.ID)
			}
			for _, k := range compiled {
				if k.Type == ecs.PlacementDistinctInstance && was.groups[r.Group] > 0 {
					t.Fatalf("task %d of %s placed on %s, which runs one already", i, r.Group, got.ID)
				}
				if k.Type == ecs.PlacementMemberOf && !k.Query.Match(was) {
					t.Fatalf("task %d placed on %s against %s", i, got.ID, k.Query)
				}
			}
		}
	})
}

// snapshot copies what each instance had before a placement.
func snapshot(c *Cluster) map[string]*instance {
	out := map[string]*instance{}
	for _, in := range c.instances {
		cp := *in
		cp.ports, cp.groups = map[ecs.HostPort]bool{}, map[string]int{}
		for k, v := range in.ports {
			cp.ports[k] = v
		}
		for k, v := range in.groups {
			cp.groups[k] = v
		}
		out[in.ID] = &cp
	}
	return out
}
