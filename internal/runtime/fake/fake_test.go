package fake_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
	"github.com/fargohq/fargo/internal/runtime/drivertest"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// programs maps the images the conformance adapter makes up to their scripts.
type programs struct {
	mu      sync.Mutex
	scripts map[string]fake.Script
	states  map[string]*fake.State
}

func (p *programs) image(s fake.Script) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	name := "program-" + strconv.Itoa(len(p.scripts))
	p.scripts[name] = s
	return name
}

func (p *programs) scriptFor(spec runtime.ContainerSpec) (fake.Script, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.scripts[spec.Image]
	return s, ok
}

// state returns the State of a conformance state directory: drivers on the same directory
// share it.
func (p *programs) state(dir string) *fake.State {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.states[dir] == nil {
		p.states[dir] = fake.NewState()
	}
	return p.states[dir]
}

// script turns a drivertest Program into a Script.
func script(p drivertest.Program) fake.Script {
	s := fake.Script{Listen: p.Listen, Exec: execCommand}
	var at time.Duration
	for _, step := range p.Steps {
		switch {
		case step.Stdout != "":
			s.Output = append(s.Output, fake.Line{After: at, Text: step.Stdout})
		case step.Stderr != "":
			s.Output = append(s.Output, fake.Line{After: at, Stream: "stderr", Text: step.Stderr})
		case step.Env != "":
			s.Output = append(s.Output, fake.Line{After: at, Text: step.Env + "=${" + step.Env + "}"})
		case step.Cwd:
			s.Output = append(s.Output, fake.Line{After: at, Text: "cwd=$PWD"})
		default:
			at += step.Sleep
		}
	}
	if !p.Forever {
		s.ExitAfter, s.ExitCode = max(at, time.Millisecond), p.ExitCode
	}
	if p.IgnoreTerm {
		s.IgnoreStop = time.Hour
	}
	return s
}

// execCommand runs the commands of the adapter's ExecPrint and ExecSleep.
func execCommand(ctx context.Context, cmd []string) (runtime.ExecResult, error) {
	switch {
	case len(cmd) == 3 && cmd[0] == "print":
		code, err := strconv.Atoi(cmd[2])
		return runtime.ExecResult{ExitCode: code, Output: cmd[1] + "\n"}, err
	case len(cmd) == 2 && cmd[0] == "sleep":
		d, err := time.ParseDuration(cmd[1])
		if err != nil {
			return runtime.ExecResult{}, err
		}
		select {
		case <-ctx.Done():
			return runtime.ExecResult{ExitCode: -1}, ctx.Err()
		case <-time.After(d):
			return runtime.ExecResult{}, nil
		}
	}
	return runtime.ExecResult{}, fmt.Errorf("unknown command %q", cmd)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	p := &programs{scripts: map[string]fake.Script{}, states: map[string]*fake.State{}}
	drivertest.Run(t, func(t *testing.T, stateDir string) runtime.Driver {
		return fake.New(fake.Config{
			Scripts:   map[string]fake.Script{"missing": {StartError: "image missing not found"}},
			ScriptFor: p.scriptFor,
			State:     p.state(stateDir),
		})
	}, drivertest.Images{
		Run: func(prog drivertest.Program) runtime.ContainerSpec {
			return runtime.ContainerSpec{Image: p.image(script(prog))}
		},
		Missing:   func() runtime.ContainerSpec { return runtime.ContainerSpec{Image: "missing"} },
		ExecPrint: func(out string, code int) []string { return []string{"print", out, strconv.Itoa(code)} },
		ExecSleep: func(d time.Duration) []string { return []string{"sleep", d.String()} },
		WorkDir:   "/app",
		PortEnv:   true,
	})
}
