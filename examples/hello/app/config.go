package app

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// DefaultPort is the port hello listens on when neither LISTEN_ADDR nor PORT is set: the
// containerPort of the example task definitions.
const DefaultPort = 8080

// Config is hello's settings, read from the environment by loadConfig. The zero value is not
// ready to serve; loadConfig fills in the defaults.
type Config struct {
	// Addr is the address to listen on (LISTEN_ADDR, else 127.0.0.1:$PORT on a host and
	// :$PORT in a container).
	Addr string
	// Version is what / and /version report and X-App-Version carries (VERSION).
	Version string
	// StartupDelay is how long to wait before listening, to simulate a slow start.
	StartupDelay time.Duration
	// ShutdownDelay is how long to keep serving after SIGTERM before closing the listener.
	ShutdownDelay time.Duration
	// ExitImmediately makes SIGTERM end the process at once, abandoning in-flight requests.
	ExitImmediately bool
	// UnhealthyAfter, when positive, makes /health fail from that long after start on.
	UnhealthyAfter time.Duration
	// FailHealthFile, when set, makes /health fail while that file exists.
	FailHealthFile string
	// FailRequests makes / answer 500 while /health still passes: a bad release that health
	// checks do not catch (FAIL_REQUESTS).
	FailRequests bool
}

// loadConfig reads the settings from getenv (os.Getenv in main) and checks them; container
// says whether hello runs in a container (inContainer in main).
func loadConfig(getenv func(string) string, container bool) (Config, error) {
	addr, err := listenAddr(getenv, container)
	cfg := Config{
		Addr:           addr,
		Version:        getenv("VERSION"),
		FailHealthFile: getenv("FAIL_HEALTH_FILE"),
	}
	if cfg.Version == "" {
		cfg.Version = "v1"
	}
	errs := []error{err}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{
		{"STARTUP_DELAY", &cfg.StartupDelay},
		{"SHUTDOWN_DELAY", &cfg.ShutdownDelay},
		{"UNHEALTHY_AFTER", &cfg.UnhealthyAfter},
	} {
		*d.dst, err = parseDuration(d.name, getenv(d.name))
		errs = append(errs, err)
	}
	switch v := getenv("FAIL_REQUESTS"); v {
	case "", "false", "0":
	case "true", "1":
		cfg.FailRequests = true
	default:
		errs = append(errs, fmt.Errorf("FAIL_REQUESTS=%q: want true or false", v))
	}
	switch v := getenv("EXIT_IMMEDIATELY_ON_SIGTERM"); v {
	case "", "false", "0":
	case "true", "1":
		cfg.ExitImmediately = true
	default:
		errs = append(errs, fmt.Errorf("EXIT_IMMEDIATELY_ON_SIGTERM=%q: want true or false", v))
	}
	if err := errors.Join(errs...); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// listenAddr is LISTEN_ADDR if set, else 127.0.0.1:$PORT, else 127.0.0.1:8080. In a
// container it listens on all addresses (:$PORT) instead: there the load balancer reaches it at
// the container's own address, and the container's network is its own, so nothing else on the
// host can reach the port unless it is published. On a host (the process driver) it stays on
// the address the driver bound its port on (FARGO_HOST_IP: a worker's --node-addr, where load
// balancers on other machines reach it), else the loopback, and is not exposed to other
// networks. The health check mode uses it alone, so that a probe does not depend on the other
// settings.
func listenAddr(getenv func(string) string, container bool) (string, error) {
	if addr := getenv("LISTEN_ADDR"); addr != "" {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return "", fmt.Errorf("LISTEN_ADDR=%q: %w", addr, err)
		}
		return addr, nil
	}
	port := DefaultPort
	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return "", fmt.Errorf("PORT=%q: want a port number", v)
		}
		port = p
	}
	host := "127.0.0.1"
	if ip := getenv("FARGO_HOST_IP"); net.ParseIP(ip) != nil {
		host = ip
	}
	if container {
		host = ""
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// inContainer reports whether hello runs as a container's main process: it is PID 1 (pid is
// os.Getpid() in main), as the entrypoint of an image such as examples/hello/Dockerfile's is.
// A marker file such as /.dockerenv would not do: fargo itself may run in a container, and the
// process driver's tasks, which see the same files, must stay on the loopback. (With
// linuxParameters.initProcessEnabled the engine's init is PID 1; set LISTEN_ADDR then.)
func inContainer(pid int) bool {
	return pid == 1
}

// parseDuration parses a non-negative Go duration; empty means zero.
func parseDuration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: %w", name, v, err)
	}
	if d < 0 {
		return 0, fmt.Errorf("%s=%q: must not be negative", name, v)
	}
	return d, nil
}
