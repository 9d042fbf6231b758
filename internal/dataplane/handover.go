package dataplane

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/fargohq/fargo/internal/lb"
)

// The handover, on the old data plane's handover socket:
//
//	new → old  "handover\n"
//	old → new  4-byte length + JSON {addrs}, with the listening sockets attached (SCM_RIGHTS);
//	           the old one has saved its state and saves no more
//	new        serves on the sockets, starting from the saved state
//	new → old  "go\n"
//	old        stops accepting, drains its connections (Connection: close), stops
//	old → new  JSON lb.Memory: its final counters; then it exits
//	new        adds what the old one counted after its save
//
// Should the new one go away before "go", the old one serves on as if nothing happened.

const (
	handoverHello = "handover\n"
	handoverGo    = "go\n"
	// maxSockets bounds the descriptors one handover carries.
	maxSockets = 1024
	// drainWait bounds how long a successor waits for the old data plane's final counts.
	drainWait = lb.DefaultShutdownTimeout + 15*time.Second
)

type handoverHeader struct {
	Addrs []string `json:"addrs"`
}

// handover is the new data plane's side of a handover in progress.
type handover struct {
	conn *net.UnixConn
	br   *bufio.Reader
	from Record
}

// takeOver asks the data plane of rec for its sockets and puts them into socks.
func takeOver(ctx context.Context, rec Record, socks *sockets) (*handover, error) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", rec.Handover)
	if err != nil {
		return nil, fmt.Errorf("dataplane: reach pid %d for a handover: %w", rec.PID, err)
	}
	conn := c.(*net.UnixConn)
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, handoverHello); err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("dataplane: handover: %w", err)
	}
	var size [4]byte
	n, files, err := recvFiles(conn, size[:], maxSockets)
	if err == nil && n < len(size) {
		_, err = io.ReadFull(conn, size[n:])
	}
	if err != nil {
		closeFiles(files)
		_ = conn.Close()
		return nil, fmt.Errorf("dataplane: handover: receive sockets: %w", err)
	}
	body := make([]byte, binary.BigEndian.Uint32(size[:]))
	var hdr handoverHeader
	if _, err = io.ReadFull(conn, body); err == nil {
		err = json.Unmarshal(body, &hdr)
	}
	if err == nil && len(hdr.Addrs) != len(files) {
		err = fmt.Errorf("%d addresses for %d sockets", len(hdr.Addrs), len(files))
	}
	if err == nil {
		err = socks.adopt(hdr.Addrs, files)
	} else {
		closeFiles(files)
	}
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("dataplane: handover: %w", err)
	}
	return &handover{conn: conn, br: bufio.NewReader(conn), from: rec}, nil
}

// finish tells the old data plane to drain and returns its final counters.
func (h *handover) finish() (lb.Memory, error) {
	defer func() { _ = h.conn.Close() }()
	_ = h.conn.SetDeadline(time.Now().Add(drainWait))
	if _, err := io.WriteString(h.conn, handoverGo); err != nil {
		return lb.Memory{}, fmt.Errorf("dataplane: handover: %w", err)
	}
	var m lb.Memory
	if err := json.NewDecoder(h.br).Decode(&m); err != nil {
		return lb.Memory{}, fmt.Errorf("dataplane: handover: final counts of pid %d: %w", h.from.PID, err)
	}
	return m, nil
}

// handoverServer is the old data plane's side: it answers one successor at a time.
type handoverServer struct {
	socks *sockets
	// prepare saves the state and stops saving; resume saves again after a failed handover.
	prepare func() error
	resume  func()
	// drain stops accepting and serving and returns the final counters.
	drain func() lb.Memory
}

// serve answers successors on ln until one took over (it returns nil then: the data plane
// exits) or ctx ends.
func (s *handoverServer) serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("dataplane: handover socket: %w", err)
		}
		done, err := s.answer(c.(*net.UnixConn))
		c.Close()
		if done {
			return errTakenOver
		}
		if err != nil && ctx.Err() == nil {
			s.resume()
		}
	}
}

// errTakenOver ends a data plane whose successor took over.
var errTakenOver = errors.New("dataplane: a successor took over")

// answer runs one handover; done reports whether the successor took over.
func (s *handoverServer) answer(c *net.UnixConn) (done bool, err error) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	if line, err := br.ReadString('\n'); err != nil || line != handoverHello {
		return false, fmt.Errorf("dataplane: handover: bad hello %q: %w", line, err)
	}
	if err := s.prepare(); err != nil {
		return false, err
	}
	addrs, files, err := s.socks.files()
	if err != nil {
		return false, err
	}
	body, _ := json.Marshal(handoverHeader{Addrs: addrs})
	msg := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	err = sendFiles(c, append(msg, body...), files)
	closeFiles(files)
	if err != nil {
		return false, fmt.Errorf("dataplane: handover: send sockets: %w", err)
	}
	// The successor starts serving now; it may take a while to load its state.
	_ = c.SetDeadline(time.Now().Add(drainWait))
	if line, err := br.ReadString('\n'); err != nil || line != handoverGo {
		return false, fmt.Errorf("dataplane: handover: the successor went away: %w", err)
	}
	final := s.drain()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	_ = json.NewEncoder(c).Encode(final)
	return true, nil
}
