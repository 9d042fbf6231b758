package lbsync

import (
	"testing"

	"github.com/fargohq/fargo/internal/lb"
)

// recordingProxy keeps the configuration applied last.
type recordingProxy struct{ cfg lb.Config }

func (p *recordingProxy) Apply(cfg lb.Config) error     { p.cfg = cfg; return nil }
func (p *recordingProxy) Health() []lb.TargetHealth     { return nil }
func (p *recordingProxy) TargetStats() []lb.TargetStats { return nil }
func (p *recordingProxy) GroupStats() []lb.GroupStats {
	return []lb.GroupStats{{GroupID: seoulGroup}, {GroupID: homeGroup}}
}

const (
	homeListener  = "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/1/1"
	seoulListener = "arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:listener/app/web/2/2"
	homeGroup     = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/api/1"
	seoulGroup    = "arn:aws:elasticloadbalancing:ap-northeast-2:000000000000:targetgroup/api/2"
)

// TestUnionKeepsEachRegionsPart: a region's controller replaces its own part of the proxy's
// configuration only; a region's part of the saved configuration stays until its controller
// applies; each region sees the reports of its own target groups.
func TestUnionKeepsEachRegionsPart(t *testing.T) {
	proxy := &recordingProxy{}
	saved := lb.Config{
		Listeners:    []lb.Listener{{ID: homeListener}, {ID: seoulListener}},
		TargetGroups: []lb.TargetGroup{{ID: homeGroup}, {ID: seoulGroup}},
	}
	u := newUnion(proxy, saved)
	u.claim("ap-northeast-2")
	if err := u.part("").Apply(lb.Config{}); err != nil {
		t.Fatal(err)
	}
	if len(proxy.cfg.Listeners) != 1 || proxy.cfg.Listeners[0].ID != seoulListener {
		t.Fatalf("after the home region applied nothing: %+v; want ap-northeast-2's saved listener", proxy.cfg.Listeners)
	}
	if got := u.part("ap-northeast-2").GroupStats(); len(got) != 1 || got[0].GroupID != seoulGroup {
		t.Errorf("ap-northeast-2's reports: %+v", got)
	}
	if err := u.part("").Apply(lb.Config{Listeners: []lb.Listener{{ID: homeListener}}, TargetGroups: []lb.TargetGroup{{ID: homeGroup}}}); err != nil {
		t.Fatal(err)
	}
	if err := u.part("ap-northeast-2").Apply(lb.Config{}); err != nil {
		t.Fatal(err)
	}
	if len(proxy.cfg.Listeners) != 1 || proxy.cfg.Listeners[0].ID != homeListener {
		t.Fatalf("after ap-northeast-2 removed its listener: %+v; want the home region's", proxy.cfg.Listeners)
	}
	if got := u.part("").GroupStats(); len(got) != 1 || got[0].GroupID != homeGroup {
		t.Errorf("the home region's reports: %+v", got)
	}
}
