package drivertest

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// Program is what a test container does: its Steps in order, then it exits with ExitCode, or
// runs until it is stopped when Forever is set.
type Program struct {
	Steps    []Step
	ExitCode int
	Forever  bool
	// IgnoreTerm makes the program (and its child) ignore SIGTERM, so only SIGKILL ends it.
	IgnoreTerm bool
	// Listen serves TCP on every container port from the start: it accepts connections and
	// writes "ok\n". With Child, a child process of the program listens instead.
	Listen bool
	Child  bool
}

// Step is one action of a Program; exactly one field is set.
type Step struct {
	// Stdout and Stderr write the text and a newline to the stream.
	Stdout string
	Stderr string
	// Env writes "NAME=value" of the environment variable NAME to stdout.
	Env string
	// Cwd writes "cwd=<working directory>" to stdout.
	Cwd bool
	// Sleep pauses the program.
	Sleep time.Duration
}

// Out returns a Step that writes text to stdout.
func Out(text string) Step { return Step{Stdout: text} }

// Err returns a Step that writes text to stderr.
func Err(text string) Step { return Step{Stderr: text} }

// Env returns a Step that writes "NAME=value" of variable name to stdout.
func Env(name string) Step { return Step{Env: name} }

// Cwd returns a Step that writes "cwd=<working directory>" to stdout.
func Cwd() Step { return Step{Cwd: true} }

// Sleep returns a Step that pauses for d.
func Sleep(d time.Duration) Step { return Step{Sleep: d} }

// Duration is how long the steps take, not counting the time to print.
func (p Program) Duration() time.Duration {
	var d time.Duration
	for _, s := range p.Steps {
		d += s.Sleep
	}
	return d
}

// ProgramEnv is the variable through which RunProgram receives its Program.
const ProgramEnv = "FARGO_DRIVERTEST_PROGRAM"

// childEnv marks the listening child process of a Program with Child set.
const childEnv = "FARGO_DRIVERTEST_CHILD"

// EnvVar returns the variable that makes RunProgram run p.
func (p Program) EnvVar() runtime.EnvVar {
	data, err := json.Marshal(p)
	if err != nil {
		panic(err) // a Program always encodes
	}
	return runtime.EnvVar{Name: ProgramEnv, Value: string(data)}
}

// RunProgram runs the Program in $FARGO_DRIVERTEST_PROGRAM, if the variable is set, and returns
// its exit code and true; it returns false when the variable is unset. A test binary calls it
// first thing in TestMain, so that it can serve as the host executable of test containers:
//
//	if code, ok := drivertest.RunProgram(); ok {
//		os.Exit(code)
//	}
//
// A test binary built with -race sleeps a second at exit unless the container's environment
// has GORACE=atexit_sleep_ms=0.
func RunProgram() (int, bool) {
	raw, ok := os.LookupEnv(ProgramEnv)
	if !ok {
		return 0, false
	}
	var p Program
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		fmt.Fprintln(os.Stderr, "drivertest program:", err)
		return 2, true
	}
	if p.IgnoreTerm {
		signal.Ignore(syscall.SIGTERM)
	}
	if os.Getenv(childEnv) == "1" {
		return listenForever(), true
	}
	return p.run(), true
}

func (p Program) run() int {
	if p.Listen && p.Child {
		child := exec.Command(os.Args[0], os.Args[1:]...)
		child.Env = append(os.Environ(), childEnv+"=1")
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, "start child:", err)
			return 2
		}
	} else if p.Listen {
		if err := listen(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	for _, s := range p.Steps {
		s.run()
	}
	if p.Forever {
		for {
			time.Sleep(time.Hour)
		}
	}
	return p.ExitCode
}

func (s Step) run() {
	switch {
	case s.Stdout != "":
		fmt.Fprintln(os.Stdout, s.Stdout)
	case s.Stderr != "":
		fmt.Fprintln(os.Stderr, s.Stderr)
	case s.Env != "":
		fmt.Fprintln(os.Stdout, s.Env+"="+os.Getenv(s.Env))
	case s.Cwd:
		dir, err := os.Getwd()
		if err != nil {
			dir = err.Error()
		}
		fmt.Fprintln(os.Stdout, "cwd="+dir)
	case s.Sleep > 0:
		time.Sleep(s.Sleep)
	}
}

func listenForever() int {
	if err := listen(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for {
		time.Sleep(time.Hour)
	}
}

// listen serves every port in a FARGO_PORT_<containerPort> variable: the process driver's
// host ports.
func listen() error {
	for _, kv := range os.Environ() {
		name, port, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "FARGO_PORT_") {
			continue
		}
		ln, err := net.Listen("tcp", net.JoinHostPort("", port))
		if err != nil {
			return fmt.Errorf("listen on %s: %w", port, err)
		}
		go serve(ln)
	}
	return nil
}

func serve(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte("ok\n"))
		_ = c.Close()
	}
}
