package process

import (
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/runtime"
)

// recentPorts is how long a port handed out stays reserved: the container may take a while to
// listen on it, and the kernel may offer the same free port again meanwhile.
const recentPorts = time.Minute

// portPool picks free host ports: it binds port 0, closes, and uses the port the kernel gave.
// Another process may take the port in between; that race is accepted.
type portPool struct {
	mu     sync.Mutex
	recent map[int]time.Time
}

// allocate returns the mappings with a free host port for each that has none.
func (p *portPool) allocate(ip string, mappings []runtime.PortMapping) ([]port, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.recent == nil {
		p.recent = map[int]time.Time{}
	}
	for n, at := range p.recent {
		if now.Sub(at) > recentPorts {
			delete(p.recent, n)
		}
	}
	var out []port
	for _, m := range mappings {
		proto := m.Protocol
		if proto == "" {
			proto = "tcp"
		}
		host := m.HostPort
		if host == 0 {
			var err error
			if host, err = p.free(ip, proto); err != nil {
				return out, fmt.Errorf("pick a host port for container port %d: %w", m.ContainerPort, err)
			}
		}
		p.recent[host] = now
		out = append(out, port{ContainerPort: m.ContainerPort, HostPort: host, Protocol: proto})
	}
	return out, nil
}

func (p *portPool) free(ip, proto string) (int, error) {
	for range 20 {
		n, err := bindZero(ip, proto)
		if err != nil {
			return 0, err
		}
		if _, taken := p.recent[n]; !taken {
			return n, nil
		}
	}
	return 0, fmt.Errorf("no free %s port on %s", proto, ip)
}

func bindZero(ip, proto string) (int, error) {
	addr := net.JoinHostPort(ip, "0")
	switch proto {
	case "udp":
		c, err := net.ListenPacket("udp", addr)
		if err != nil {
			return 0, err
		}
		defer c.Close()
		return c.LocalAddr().(*net.UDPAddr).Port, nil
	case "tcp":
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return 0, err
		}
		defer ln.Close()
		_, portStr, _ := net.SplitHostPort(ln.Addr().String())
		return strconv.Atoi(portStr)
	default:
		return 0, fmt.Errorf("unknown protocol %q", proto)
	}
}
