package dataplane

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
)

// sockets opens the listeners' sockets for the proxy (lb.ProxyConfig.Listen) and keeps them
// by address, so that a handover can give them to a successor. A socket inherited from a
// predecessor is used for its address instead of binding anew: both processes then accept from
// the same queue, and no connection is refused while one replaces the other.
type sockets struct {
	mu        sync.Mutex
	inherited map[string]net.Listener // by the address asked for, not used yet
	open      map[string]*trackedListener
}

func newSockets() *sockets {
	return &sockets{inherited: map[string]net.Listener{}, open: map[string]*trackedListener{}}
}

// listen is lb.ProxyConfig.Listen.
func (s *sockets) listen(network, addr string) (net.Listener, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ln, ok := s.inherited[addr]
	if ok {
		delete(s.inherited, addr)
	} else {
		var err error
		if ln, err = net.Listen(network, addr); err != nil {
			return nil, err
		}
	}
	tl := &trackedListener{Listener: ln, s: s, addr: addr}
	s.open[addr] = tl
	return tl, nil
}

// files duplicates the open sockets' descriptors for a successor, with their addresses.
func (s *sockets) files() ([]string, []*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var addrs []string
	var files []*os.File
	for addr, tl := range s.open {
		tcp, ok := tl.Listener.(*net.TCPListener)
		if !ok {
			continue
		}
		f, err := tcp.File()
		if err != nil {
			closeFiles(files)
			return nil, nil, fmt.Errorf("dataplane: socket of %s: %w", addr, err)
		}
		addrs = append(addrs, addr)
		files = append(files, f)
	}
	return addrs, files, nil
}

// adopt takes sockets a predecessor handed over; listen uses them for their addresses.
func (s *sockets) adopt(addrs []string, files []*os.File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for i, f := range files {
		ln, err := net.FileListener(f)
		_ = f.Close() // FileListener made its own copy
		if err != nil {
			errs = append(errs, fmt.Errorf("dataplane: inherited socket of %s: %w", addrs[i], err))
			continue
		}
		s.inherited[addrs[i]] = ln
	}
	return errors.Join(errs...)
}

// closeUnused closes inherited sockets that no listener of the configuration took.
func (s *sockets) closeUnused() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for addr, ln := range s.inherited {
		_ = ln.Close()
		delete(s.inherited, addr)
	}
}

type trackedListener struct {
	net.Listener
	s    *sockets
	addr string
	once sync.Once
}

func (l *trackedListener) Close() error {
	l.once.Do(func() {
		l.s.mu.Lock()
		if l.s.open[l.addr] == l {
			delete(l.s.open, l.addr)
		}
		l.s.mu.Unlock()
	})
	return l.Listener.Close()
}

func closeFiles(files []*os.File) {
	for _, f := range files {
		_ = f.Close()
	}
}

// sendFiles writes data with the descriptors of files attached (SCM_RIGHTS).
func sendFiles(c *net.UnixConn, data []byte, files []*os.File) error {
	fds := make([]int, len(files))
	for i, f := range files {
		fds[i] = int(f.Fd())
	}
	var oob []byte
	if len(fds) > 0 {
		oob = syscall.UnixRights(fds...)
	}
	n, oobn, err := c.WriteMsgUnix(data, oob, nil)
	if err == nil && (n != len(data) || oobn != len(oob)) {
		err = errors.New("short write")
	}
	return err
}

// recvFiles reads up to len(buf) bytes and the descriptors attached to them.
func recvFiles(c *net.UnixConn, buf []byte, maxFiles int) (int, []*os.File, error) {
	oob := make([]byte, syscall.CmsgSpace(4*maxFiles))
	n, oobn, _, _, err := c.ReadMsgUnix(buf, oob)
	if err != nil {
		return 0, nil, err
	}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return 0, nil, err
	}
	var files []*os.File
	for _, m := range msgs {
		fds, err := syscall.ParseUnixRights(&m)
		if err != nil {
			return 0, nil, err
		}
		for _, fd := range fds {
			syscall.CloseOnExec(fd)
			files = append(files, os.NewFile(uintptr(fd), "inherited-socket"))
		}
	}
	return n, files, nil
}
