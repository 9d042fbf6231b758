package elbapi

import (
	"errors"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

// portReleaseWait is how long a port check waits for a port that is in use to come free: a
// listener deleted or moved a moment ago still holds its port until the data plane applied
// the change.
const portReleaseWait = time.Second

// checkPort refuses a listener port that the data plane can tell at once it could never serve:
// fargo's own API port, and with CheckPorts a port that cannot be bound on ListenerHost. ALB
// answers InvalidConfigurationRequest for a listener configuration it cannot carry out.
func (a *API) checkPort(port int) error {
	if a.isAPIPort(port) {
		return errdefs.Detail(elb.ErrInvalidConfiguration, "Port %d is the port of fargo's own API (%s); choose another port for the listener", port, a.cfg.APIAddr)
	}
	if !a.cfg.CheckPorts {
		return nil
	}
	addr := net.JoinHostPort(a.cfg.ListenerHost, strconv.Itoa(port))
	deadline := time.Now().Add(portReleaseWait)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln.Close()
		}
		if !errors.Is(err, syscall.EADDRINUSE) || time.Now().After(deadline) {
			return errdefs.Detail(elb.ErrInvalidConfiguration, "Port %d cannot be bound on %s, so the listener could never serve: %s (%v)", port, a.cfg.ListenerHost, bindProblem(err), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func bindProblem(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return "another process holds it"
	case errors.Is(err, syscall.EACCES):
		return "fargo is not allowed to bind it (ports below 1024 need privileges)"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "the listener address is not an address of this machine"
	}
	return "it cannot be bound"
}

// isAPIPort reports whether a listener on port would bind where fargo's API listens: the same
// port on the same address, or on all addresses on either side.
func (a *API) isAPIPort(port int) bool {
	host, p, err := net.SplitHostPort(a.cfg.APIAddr)
	if err != nil || p != strconv.Itoa(port) || port == 0 {
		return false
	}
	api, err1 := netip.ParseAddr(host)
	lis, err2 := netip.ParseAddr(a.cfg.ListenerHost)
	if host == "" || err1 == nil && api.IsUnspecified() || err2 == nil && lis.IsUnspecified() {
		return true
	}
	if err1 != nil || err2 != nil {
		return host == a.cfg.ListenerHost
	}
	return api == lis
}
