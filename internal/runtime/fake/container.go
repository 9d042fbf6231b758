package fake

import (
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// container is one fake container. Its fields are guarded by the State's mutex, except the
// listeners, which have their own.
type container struct {
	status   runtime.Status // identity, ports, labels, PID and start time
	script   Script
	startErr string
	lines    []runtime.LogLine // the whole output, with the times the lines appear; read-only
	// exitAt is when the container exits (zero: not planned); exitCode is the code it then has.
	exitAt   time.Time
	exitCode int
	removed  bool
	// changed is closed (and dropped) when exitAt changes or the container is removed; it is
	// made only when someone waits.
	changed chan struct{}

	net *listeners
}

func (c *container) exited(now time.Time) bool {
	return c.startErr != "" || (!c.exitAt.IsZero() && !now.Before(c.exitAt))
}

func (c *container) statusAt(now time.Time) runtime.Status {
	st := c.status
	switch {
	case c.startErr != "":
		st.State, st.ExitCode, st.Error, st.PID = runtime.StateExited, -1, c.startErr, 0
	case c.exited(now):
		st.State, st.ExitCode, st.FinishedAt, st.PID = runtime.StateExited, c.exitCode, c.exitAt, 0
	default:
		st.State = runtime.StateRunning
	}
	return st
}

func (c *container) changedChan() <-chan struct{} {
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	return c.changed
}

func (c *container) notify() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// setExit plans the container's exit at at with code.
func (c *container) setExit(now, at time.Time, code int) {
	c.exitAt, c.exitCode = at, code
	c.notify()
	c.scheduleClose(now)
}

// listeners are the real sockets of a container whose script listens.
type listeners struct {
	mu    sync.Mutex
	lns   []net.Listener
	wg    sync.WaitGroup
	timer *time.Timer
}

// listen opens a listener for each port mapping when the script asks for it, and returns the
// mappings with their host ports (0 where the State will pick a number).
func (c *container) listen(ip string, mappings []runtime.PortMapping) ([]runtime.PortMapping, error) {
	ports := make([]runtime.PortMapping, 0, len(mappings))
	for _, m := range mappings {
		if m.Protocol == "" {
			m.Protocol = "tcp"
		}
		ports = append(ports, m)
	}
	if !c.script.Listen || c.script.StartError != "" {
		return ports, nil
	}
	c.net = &listeners{}
	for i, m := range ports {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(m.HostPort)))
		if err != nil {
			c.closeListeners()
			return nil, err
		}
		ports[i].HostPort = ln.Addr().(*net.TCPAddr).Port
		c.net.lns = append(c.net.lns, ln)
		c.net.wg.Go(func() { serve(ln) })
	}
	return ports, nil
}

func serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = conn.Write([]byte("ok\n"))
		_ = conn.Close()
	}
}

// scheduleClose closes the listeners when the container exits.
func (c *container) scheduleClose(now time.Time) {
	l := c.net
	if l == nil || c.exitAt.IsZero() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timer = time.AfterFunc(c.exitAt.Sub(now), c.closeListeners)
}

// closeListeners closes the sockets and waits for their accept loops.
func (c *container) closeListeners() {
	l := c.net
	if l == nil {
		return
	}
	l.mu.Lock()
	for _, ln := range l.lns {
		_ = ln.Close()
	}
	l.lns = nil
	l.mu.Unlock()
	l.wg.Wait()
}
