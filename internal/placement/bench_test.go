package placement

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/fargohq/fargo/internal/ecs"
)

// BenchmarkPlace1000Over20 places 1000 tasks over 20 instances in three zones, each placement
// seeing the ones before, under each kind of strategy.
func BenchmarkPlace1000Over20(b *testing.B) {
	var instances []ecs.ContainerInstance
	for i := range 20 {
		in := node(fmt.Sprintf("i%02d", i), fmt.Sprintf("us-east-1%c", 'a'+i%3), ecs.Attribute{Name: "ecs.os-type", Value: "linux"})
		in.CPU, in.Memory = 16384, 65536
		instances = append(instances, in)
	}
	constraints, err := Compile([]ecs.PlacementConstraint{memberOf("attribute:ecs.os-type == linux and attribute:ecs.availability-zone in [us-east-1a, us-east-1b, us-east-1c]")})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name        string
		constraints []Constraint
		strategy    []ecs.PlacementStrategy
	}{
		{"none", nil, nil},
		{"spread-zone-instance", nil, []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone"), spread("instanceId")}},
		{"binpack-memory", nil, []ecs.PlacementStrategy{binpack("memory")}},
		{"random", nil, []ecs.PlacementStrategy{{Type: ecs.PlacementRandom}}},
		{"memberOf-distinct-spread", append(constraints, Constraint{Type: ecs.PlacementDistinctInstance}), []ecs.PlacementStrategy{spread("attribute:ecs.availability-zone")}},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			rnd := rand.New(rand.NewPCG(1, 2))
			for b.Loop() {
				c := NewCluster(instances, nil, now, rnd.IntN)
				for i := range 1000 {
					// distinctInstance is per group: give each task a group of 20 so that it fits.
					r := Request{Group: fmt.Sprintf("g%d", i/20), Needs: ecs.Resources{CPU: 256, Memory: 512}, Constraints: bc.constraints, Strategy: bc.strategy}
					if _, f, ok := c.Place(r); !ok {
						b.Fatalf("task %d: %s", i, f.Reason)
					}
				}
			}
			b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}
