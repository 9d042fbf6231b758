package lb_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/fargohq/fargo/internal/lb"
	"github.com/fargohq/fargo/internal/lb/lbtest"
)

func TestSmoke(t *testing.T) {
	t.Parallel()
	a := lbtest.NewBackend(t, "a")
	p := lbtest.Start(t, lb.ProxyConfig{})
	err := p.Apply(lb.Config{
		Listeners:    []lb.Listener{lbtest.Listener("l", lbtest.Forward("g"))},
		TargetGroups: []lb.TargetGroup{lbtest.Group("g", a)},
	})
	if err != nil {
		t.Fatal(err)
	}
	lbtest.WaitState(t, p, "g", "a", lb.StateHealthy)
	res, err := http.Get("http://" + p.ListenerAddr("l") + "/x")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	t.Log(res.Status, string(b), res.Header)
}
