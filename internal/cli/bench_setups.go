package cli

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// benchSetup is one way for the load to reach the targets: straight to one target, or through
// a proxy to both.
type benchSetup struct {
	name  string // direct, fargo, nginx, haproxy, caddy
	label string // how the report describes it
	url   string
	// proxy is the process whose CPU counts as the proxy's (with its descendants); nil for
	// direct.
	proxy *benchProc
}

// benchEnv is what every setup is built from.
type benchEnv struct {
	dir         string // for generated configuration files
	targets     []string
	workers     string // "auto" or a number: nginx's worker_processes, HAProxy's nbthread, fargo's and Caddy's GOMAXPROCS
	connections int
	self        selfExec
}

// startBenchSetup starts the named setup's proxy, if any, and waits until it answers.
func startBenchSetup(ctx context.Context, env benchEnv, name, binary string) (*benchSetup, error) {
	if name == "direct" {
		return &benchSetup{name: name, label: "direct to one target", url: "http://" + env.targets[0] + "/"}, nil
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	var cmd *exec.Cmd
	var label string
	switch name {
	case "fargo":
		cmd = fargoProxyCmd(env, env.self("proxy-server", "--listen", addr, "--targets", strings.Join(env.targets, ",")))
		label = fmt.Sprintf("fargo internal/lb (GOMAXPROCS %s)", env.workers)
	case "nginx":
		conf := filepath.Join(env.dir, "nginx.conf")
		if err := os.WriteFile(conf, []byte(nginxConfig(env, addr)), 0o644); err != nil {
			return nil, err
		}
		cmd = exec.Command(binary, "-p", env.dir, "-c", conf, "-e", "stderr")
		label = fmt.Sprintf("%s (worker_processes %s)", toolVersion(binary, "-v"), env.workers)
	case "haproxy":
		conf := filepath.Join(env.dir, "haproxy.cfg")
		if err := os.WriteFile(conf, []byte(haproxyConfig(env, addr)), 0o644); err != nil {
			return nil, err
		}
		cmd = exec.Command(binary, "-db", "-f", conf)
		label = fmt.Sprintf("%s (nbthread %s)", toolVersion(binary, "-v"), env.workers)
	case "caddy":
		conf := filepath.Join(env.dir, "Caddyfile")
		if err := os.WriteFile(conf, []byte(caddyConfig(env, addr)), 0o644); err != nil {
			return nil, err
		}
		cmd = caddyCmd(env, binary, "run", conf)
		label = fmt.Sprintf("%s (GOMAXPROCS %s)", toolVersion(binary, "version"), env.workers)
	default:
		return nil, fmt.Errorf("unknown setup %q (want direct, fargo, nginx, haproxy or caddy)", name)
	}
	return startBenchProxy(ctx, name, label, addr, cmd)
}

// startCompareSetup starts the load balancer of another fargo build, binary, as setup label
// (fargo bench proxy --compare), configured as the fargo setup.
func startCompareSetup(ctx context.Context, env benchEnv, label, binary string) (*benchSetup, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := fargoProxyCmd(env, exec.Command(binary, "bench", "proxy-server", "--listen", addr, "--targets", strings.Join(env.targets, ",")))
	return startBenchProxy(ctx, label, fmt.Sprintf("fargo %s internal/lb (GOMAXPROCS %s)", label, env.workers), addr, cmd)
}

// fargoProxyCmd gives cmd, a fargo bench proxy-server, the benchmark's parallelism.
func fargoProxyCmd(env benchEnv, cmd *exec.Cmd) *exec.Cmd {
	if env.workers != "auto" {
		cmd.Env = append(cmd.Environ(), "GOMAXPROCS="+env.workers)
	}
	return cmd
}

// startBenchProxy starts cmd, a proxy listening on addr, and waits until it answers.
func startBenchProxy(ctx context.Context, name, label, addr string, cmd *exec.Cmd) (*benchSetup, error) {
	p, err := startBenchProc(name, cmd)
	if err != nil {
		return nil, err
	}
	url := "http://" + addr + "/"
	if err := p.waitReady(ctx, url); err != nil {
		p.stop()
		return nil, err
	}
	return &benchSetup{name: name, label: label + ", 2 targets", url: url, proxy: p}, nil
}

// nginxConfig proxies to the targets round-robin over kept-alive upstream connections, with the
// X-Forwarded-* headers that ALB (and fargo) add, and no access log: as fargo's data plane is
// run by the benchmark.
func nginxConfig(env benchEnv, addr string) string {
	var servers strings.Builder
	for _, t := range env.targets {
		fmt.Fprintf(&servers, "    server %s;\n", t)
	}
	return fmt.Sprintf(`daemon off;
master_process on;
worker_processes %[1]s;
pid %[2]s/nginx.pid;
error_log stderr warn;
events {
  worker_connections 16384;
}
http {
  access_log off;
  client_body_temp_path %[2]s/client_body;
  proxy_temp_path %[2]s/proxy;
  fastcgi_temp_path %[2]s/fastcgi;
  uwsgi_temp_path %[2]s/uwsgi;
  scgi_temp_path %[2]s/scgi;
  upstream targets {
%[3]s    keepalive %[4]d;
  }
  server {
    listen %[5]s;
    location / {
      proxy_pass http://targets;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Port $server_port;
    }
  }
}
`, env.workers, env.dir, servers.String(), env.connections, addr)
}

// haproxyConfig is the HAProxy equivalent of nginxConfig: keep-alive on both sides, upstream
// connections reused by any request, round-robin, X-Forwarded-*, no log. maxconn stays small,
// because HAProxy refuses to start when the open-files limit cannot hold twice as many.
func haproxyConfig(env benchEnv, addr string) string {
	var global, servers strings.Builder
	if env.workers != "auto" {
		fmt.Fprintf(&global, "  nbthread %s\n", env.workers)
	}
	for i, t := range env.targets {
		fmt.Fprintf(&servers, "  server target-%d %s\n", i+1, t)
	}
	return fmt.Sprintf(`global
  maxconn %[4]d
%[1]sdefaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  http-reuse always
frontend bench
  bind %[2]s
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  http-request set-header X-Forwarded-Port %%[dst_port]
  default_backend targets
backend targets
  balance roundrobin
%[3]s`, global.String(), addr, servers.String(), max(4096, 2*env.connections+256))
}

// caddyConfig is the Caddy equivalent of nginxConfig: a Caddyfile with keep-alive to the
// targets (as many idle connections as nginx's keepalive), round robin, HTTP/1.1 only as the
// others, no admin endpoint (it would bind localhost:2019 for every run) and no access log (off
// unless asked for). Caddy sets X-Forwarded-For and -Proto itself; -Port is added.
func caddyConfig(env benchEnv, addr string) string {
	host, port, _ := net.SplitHostPort(addr) // freeAddr's host:port
	return fmt.Sprintf(`{
	admin off
	auto_https off
	grace_period 2s
	servers {
		protocols h1
	}
}

http://:%[1]s {
	bind %[2]s
	reverse_proxy %[3]s {
		lb_policy round_robin
		header_up X-Forwarded-Port {http.request.port}
		transport http {
			keepalive 60s
			keepalive_idle_conns %[4]d
			keepalive_idle_conns_per_host %[4]d
		}
	}
}
`, port, host, strings.Join(env.targets, " "), env.connections)
}

// caddyCmd runs caddy's subcommand (run, validate) on the Caddyfile conf. Caddy keeps its
// state (an autosaved configuration, certificate storage) under the XDG directories, which
// point into the benchmark's own directory.
func caddyCmd(env benchEnv, binary, subcommand, conf string) *exec.Cmd {
	cmd := exec.Command(binary, subcommand, "--config", conf, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+env.dir, "XDG_DATA_HOME="+env.dir)
	if env.workers != "auto" {
		cmd.Env = append(cmd.Env, "GOMAXPROCS="+env.workers)
	}
	return cmd
}

// toolVersion returns the first line a tool prints about its version, shortened to its name
// and version ("nginx/1.22.1", "HAProxy 2.6.12-1+deb12u4", "wrk 4.1.0-3+b2", "Caddy 2.6.2");
// the base name of binary when it prints none.
func toolVersion(binary string, flag string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, binary, flag).CombinedOutput() // wrk -v exits 1
	line, _, _ := strings.Cut(string(bytes.TrimSpace(out)), "\n")
	line = strings.TrimPrefix(line, "nginx version: ")
	f := strings.Fields(line)
	switch {
	case len(f) >= 3 && f[1] == "version": // HAProxy version 2.6.12-1+deb12u4 ...
		return f[0] + " " + f[2]
	case len(f) >= 2 && strings.HasPrefix(f[0], "wrk"): // wrk debian/4.1.0-3+b2 [epoll] ...
		return "wrk " + strings.TrimPrefix(f[1], "debian/")
	case len(f) >= 1 && strings.Contains(filepath.Base(binary), "caddy"): // 2.6.2, or v2.7.6 h1:...
		return "Caddy " + strings.TrimPrefix(f[0], "v")
	case len(f) >= 1:
		return f[0]
	}
	return filepath.Base(binary)
}
