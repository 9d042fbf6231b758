package elb_test

import (
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/elb"
)

func TestValidateTarget(t *testing.T) {
	t.Parallel()
	inst := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80})
	ip := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80, TargetType: "ip"})
	ip6 := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80, TargetType: "ip", IPAddressType: "ipv6"})
	tests := []struct {
		name     string
		tg       elb.TargetGroup
		target   elb.Target
		wantPort int
		want     error
	}{
		{"instance", inst, elb.Target{ID: "i-0123456789abcdef0"}, 80, nil},
		{"instance host", inst, elb.Target{ID: "localhost", Port: 8080}, 8080, nil},
		{"instance with space", inst, elb.Target{ID: "a b"}, 0, elb.ErrInvalidTarget},
		{"empty id", inst, elb.Target{}, 0, elb.ErrInvalidTarget},
		{"port 65536", inst, elb.Target{ID: "i-1", Port: 65536}, 0, elb.ErrInvalidTarget},
		{"negative port", inst, elb.Target{ID: "i-1", Port: -1}, 0, elb.ErrInvalidTarget},
		{"loopback ip", ip, elb.Target{ID: "127.0.0.1", Port: 8080}, 8080, nil},
		{"not an ip", ip, elb.Target{ID: "i-1"}, 0, elb.ErrInvalidTarget},
		{"ipv6 in ipv4 group", ip, elb.Target{ID: "::1"}, 0, elb.ErrInvalidTarget},
		{"ipv6", ip6, elb.Target{ID: "::1"}, 80, nil},
		{"ipv4 in ipv6 group", ip6, elb.Target{ID: "10.0.0.1"}, 0, elb.ErrInvalidTarget},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := elb.ValidateTarget(tt.tg, tt.target)
			wantErr(t, err, tt.want)
			if err == nil && got.Port != tt.wantPort {
				t.Fatalf("port %d, want %d", got.Port, tt.wantPort)
			}
		})
	}
}

func TestRegistrationLifecycle(t *testing.T) {
	t.Parallel()
	tg := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80, TargetType: "ip"})
	a := elb.Target{ID: "10.0.0.1"}
	b := elb.Target{ID: "10.0.0.2", Port: 8080}
	regs, err := elb.Register(tg, nil, []elb.Target{a, b, a}, now)
	if err != nil || len(regs) != 2 {
		t.Fatalf("Register = %+v, %v", regs, err)
	}
	if h := regs[0].Health; h.State != elb.TargetInitial || h.Reason != elb.ReasonRegistrationInProgress || regs[0].Target.Port != 80 {
		t.Fatalf("new registration %+v", regs[0])
	}
	if again, err := elb.Register(tg, regs, []elb.Target{a}, now); err != nil || len(again) != 0 {
		t.Fatalf("registering a registered target must change nothing: %+v %v", again, err)
	}
	if h := regs[0].Reported(false); h.State != elb.TargetUnused || h.Reason != elb.ReasonNotInUse {
		t.Fatalf("unused group: %+v", h)
	}
	regs[0].Health = elb.TargetHealth{State: elb.TargetHealthy}
	if h := regs[0].Reported(true); h.State != elb.TargetHealthy {
		t.Fatalf("in use: %+v", h)
	}

	later := now.Add(time.Minute)
	drain, remove, err := elb.Deregister(tg, regs, []elb.Target{a, {ID: "10.0.0.9"}}, true, later)
	if err != nil || len(drain) != 1 || len(remove) != 0 {
		t.Fatalf("Deregister = %+v %+v %v", drain, remove, err)
	}
	if d := drain[0]; !d.Draining || !d.DeregisteredAt.Equal(later) || d.Reported(true).State != elb.TargetDraining || d.Reported(false).Reason != elb.ReasonDeregistrationInProgress {
		t.Fatalf("draining %+v", d)
	}
	regs[0] = drain[0]
	if drain, _, _ := elb.Deregister(tg, regs, []elb.Target{a}, true, later); len(drain) != 0 {
		t.Fatal("deregistering a draining target must change nothing")
	}
	back, err := elb.Register(tg, regs, []elb.Target{a}, later)
	if err != nil || len(back) != 1 || back[0].Draining || back[0].Health.State != elb.TargetInitial {
		t.Fatalf("registering a draining target again: %+v %v", back, err)
	}
	_, remove, err = elb.Deregister(tg, regs, []elb.Target{b}, false, later)
	if err != nil || len(remove) != 1 {
		t.Fatalf("a group in no load balancer has nothing to drain: %+v %v", remove, err)
	}
	if _, _, err := elb.Deregister(tg, regs, []elb.Target{{ID: "nope"}}, true, later); !errorsIs(err, elb.ErrInvalidTarget) {
		t.Fatalf("invalid target: %v", err)
	}
	if h := elb.NotRegistered(); h.State != elb.TargetUnused || h.Reason != elb.ReasonNotRegistered {
		t.Fatalf("NotRegistered = %+v", h)
	}
}

func TestRegisterLimit(t *testing.T) {
	t.Parallel()
	tg := newTG(t, elb.TargetGroupSpec{Name: "blue", Protocol: "HTTP", Port: 80})
	current := make([]elb.Registration, elb.MaxTargetsPerGroup)
	for i := range current {
		current[i] = elb.Registration{Target: elb.Target{ID: "t", Port: i + 1}}
	}
	if _, err := elb.Register(tg, current, []elb.Target{{ID: "t", Port: 1}}, now); err != nil {
		t.Fatalf("a registered target does not count twice: %v", err)
	}
	if _, err := elb.Register(tg, current, []elb.Target{{ID: "new"}}, now); !errorsIs(err, elb.ErrTooManyTargets) {
		t.Fatalf("over the limit: %v", err)
	}
	if p := elb.HealthCheckPort(tg, elb.Target{Port: 8080}); p != "8080" {
		t.Fatalf("traffic port = %s", p)
	}
}
