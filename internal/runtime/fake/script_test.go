package fake_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

func start(t *testing.T, d *fake.Driver, id, image string) runtime.Status {
	t.Helper()
	st, err := d.Start(t.Context(), runtime.ContainerSpec{ID: id, Image: image})
	if err != nil {
		t.Fatalf("start %s: %v", id, err)
	}
	return st
}

func state(t *testing.T, d *fake.Driver, id string) runtime.Status {
	t.Helper()
	st, err := d.Inspect(t.Context(), id)
	if err != nil {
		t.Fatalf("inspect %s: %v", id, err)
	}
	return st
}

// TestScripts runs each behaviour on a fake clock: the test takes no real time.
func TestScripts(t *testing.T) {
	t.Parallel()
	scripts := map[string]fake.Script{
		"crash":    {ExitAfter: 10 * time.Second, ExitCode: 2},
		"degrades": {UnhealthyAfter: time.Minute},
		"slow":     {IgnoreStop: 20 * time.Second},
		"broken":   {StartError: "no such image"},
	}
	tests := []struct {
		name string
		run  func(t *testing.T, d *fake.Driver)
	}{
		{"runs until stopped", func(t *testing.T, d *fake.Driver) {
			start(t, d, "a", "anything")
			time.Sleep(time.Hour)
			if st := state(t, d, "a"); st.State != runtime.StateRunning {
				t.Fatalf("after an hour: %q", st.State)
			}
			if err := d.Stop(t.Context(), "a", time.Minute); err != nil {
				t.Fatal(err)
			}
			if st := state(t, d, "a"); st.ExitCode != 143 {
				t.Fatalf("stopped with code %d, want 143", st.ExitCode)
			}
		}},
		{"exits after a while", func(t *testing.T, d *fake.Driver) {
			begin := time.Now()
			start(t, d, "a", "crash")
			st, err := d.Wait(t.Context(), "a")
			if err != nil || st.ExitCode != 2 || time.Since(begin) != 10*time.Second {
				t.Fatalf("wait: %+v, %v after %v; want code 2 after 10s", st, err, time.Since(begin))
			}
		}},
		{"becomes unhealthy", func(t *testing.T, d *fake.Driver) {
			start(t, d, "a", "degrades")
			if res, _ := d.Exec(t.Context(), "a", []string{"CMD-SHELL", "true"}, time.Second); res.ExitCode != 0 {
				t.Fatalf("healthy at first: code %d", res.ExitCode)
			}
			time.Sleep(time.Minute)
			if res, _ := d.Exec(t.Context(), "a", []string{"CMD-SHELL", "true"}, time.Second); res.ExitCode != 1 {
				t.Fatalf("after a minute: code %d, want 1", res.ExitCode)
			}
		}},
		{"ignores stop for a while", func(t *testing.T, d *fake.Driver) {
			start(t, d, "short", "slow")
			start(t, d, "long", "slow")
			begin := time.Now()
			if err := d.Stop(t.Context(), "short", 5*time.Second); err != nil {
				t.Fatal(err)
			}
			if took, st := time.Since(begin), state(t, d, "short"); took != 5*time.Second || st.ExitCode != 137 {
				t.Fatalf("grace 5s: stopped after %v with %d, want 5s and 137", took, st.ExitCode)
			}
			begin = time.Now()
			if err := d.Stop(t.Context(), "long", time.Minute); err != nil {
				t.Fatal(err)
			}
			if took, st := time.Since(begin), state(t, d, "long"); took != 20*time.Second || st.ExitCode != 143 {
				t.Fatalf("grace 1m: stopped after %v with %d, want 20s and 143", took, st.ExitCode)
			}
		}},
		{"fails to start", func(t *testing.T, d *fake.Driver) {
			_, err := d.Start(t.Context(), runtime.ContainerSpec{ID: "a", Image: "broken"})
			if !errors.Is(err, errdefs.ErrInvalidArgument) {
				t.Fatalf("start: %v", err)
			}
			if st := state(t, d, "a"); st.State != runtime.StateExited || st.Error != "no such image" {
				t.Fatalf("after the failed start: %+v", st)
			}
		}},
		{"exit on demand", func(t *testing.T, d *fake.Driver) {
			start(t, d, "a", "anything")
			done := make(chan runtime.Status)
			go func() {
				st, _ := d.Wait(context.Background(), "a")
				done <- st
			}()
			synctest.Wait()
			if err := d.Exit("a", 9); err != nil {
				t.Fatal(err)
			}
			if st := <-done; st.ExitCode != 9 {
				t.Fatalf("wait: code %d, want 9", st.ExitCode)
			}
		}},
		{"shared state", func(t *testing.T, d *fake.Driver) {
			state := fake.NewState()
			a := fake.New(fake.Config{State: state})
			start(t, a, "x", "anything")
			b := fake.New(fake.Config{State: state})
			if st, err := b.Inspect(t.Context(), "x"); err != nil || st.State != runtime.StateRunning {
				t.Fatalf("the second driver sees %+v, %v", st, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				tt.run(t, fake.New(fake.Config{Scripts: scripts}))
			})
		})
	}
}

func TestFollowOnFakeClock(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := fake.New(fake.Config{ScriptFor: func(runtime.ContainerSpec) (fake.Script, bool) {
			return fake.Script{Output: []fake.Line{
				{Text: "port $PORT"}, {After: time.Hour, Text: "late"}, {After: 3 * time.Hour, Text: "never"},
			}, ExitAfter: 2 * time.Hour}, true
		}})
		st, err := d.Start(t.Context(), runtime.ContainerSpec{ID: "a", PortMappings: []runtime.PortMapping{{ContainerPort: 80}}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := d.Logs(t.Context(), "a", runtime.LogOptions{Follow: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, want := range []string{fmt.Sprintf("port %d", st.Ports[0].HostPort), "late"} {
			if l, err := r.Next(t.Context()); err != nil || l.Text != want {
				t.Fatalf("next: %+v, %v; want %q", l, err, want)
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Hour)
		defer cancel()
		if l, err := r.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("a line after the exit: %+v, %v", l, err)
		}
	})
}

// BenchmarkNode measures a node of 1,000 services with 10 tasks each: start them all, list,
// inspect each, and stop them.
func BenchmarkNode(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		d := fake.New(fake.Config{})
		for i := range 10000 {
			spec := runtime.ContainerSpec{
				ID: fmt.Sprintf("task%05d-app", i), Image: "web",
				PortMappings: []runtime.PortMapping{{ContainerPort: 8080}},
				Labels:       map[string]string{"service": fmt.Sprintf("svc%04d", i/10)},
			}
			if _, err := d.Start(ctx, spec); err != nil {
				b.Fatal(err)
			}
		}
		all, err := d.List(ctx)
		if err != nil || len(all) != 10000 {
			b.Fatalf("list: %d, %v", len(all), err)
		}
		for _, st := range all {
			if _, err := d.Inspect(ctx, st.ID); err != nil {
				b.Fatal(err)
			}
			if err := d.Stop(ctx, st.ID, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}
