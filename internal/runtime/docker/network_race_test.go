package docker_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/moby/moby/client"

	"github.com/fargohq/fargo/internal/runtime/drivertest"
)

// TestDriversRaceForTheNetwork: drivers of several processes (here, of one) that start their
// first awsvpc containers at one moment may each create the network; the engine may then hold
// two of one name for a moment, and refuses to start a container on an ambiguous name. Every
// start must succeed all the same (a full CI run failed TestMapping so), and one network stays.
func TestDriversRaceForTheNetwork(t *testing.T) {
	t.Parallel()
	engine, image := testImage(t)
	network := fmt.Sprintf("fargo-race-%s", scopeOf(t.Name()))
	t.Cleanup(func() {
		res, err := engine.NetworkList(ctxFor(t), client.NetworkListOptions{Filters: client.Filters{}.Add("name", network)})
		if err == nil {
			for _, n := range res.Items {
				_, _ = engine.NetworkRemove(ctxFor(t), n.ID, client.NetworkRemoveOptions{})
			}
		}
	})
	const drivers = 4
	var wg sync.WaitGroup
	errs := make([]error, drivers)
	for i := range drivers {
		cfg := testConfig(scopeOf(fmt.Sprintf("%s-%d", t.Name(), i)))
		cfg.Network = network
		cleanupScope(t, cfg)
		d := newDriver(t, cfg)
		wg.Go(func() {
			spec := images(image).Run(drivertest.Program{Forever: true})
			spec.ID, spec.TaskID, spec.Name = fmt.Sprintf("race%d-app", i), fmt.Sprintf("race%d", i), "app"
			_, errs[i] = d.Start(ctxFor(t), spec)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("driver %d: %v", i, err)
		}
	}
	res, err := engine.NetworkList(ctxFor(t), client.NetworkListOptions{Filters: client.Filters{}.Add("name", network)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Items) != 1 {
		t.Errorf("%d networks named %s, want 1", len(res.Items), network)
	}
}
