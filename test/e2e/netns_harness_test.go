package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/daemon"
)

// The machines of a fabric: their namespaces' names end in these, their addresses in host.
var netnsMachines = []struct {
	name string
	host int
}{
	{"m1", 11}, {"m2", 12}, {"m3", 13}, // control-plane members
	{"w1", 21}, {"w2", 22}, // workers
	{"lb", 30},     // the data-plane node
	{"client", 40}, // the load generator and the aws CLI
}

// fabricSeq tells apart the fabrics of one test process.
var fabricSeq atomic.Int32

// fabric is a private network of machines on one host: a namespace holding a bridge, and one
// namespace per machine joined to it by a veth pair, with an address of a private /24 that only
// these namespaces know. Nothing of it is in the root namespace but the namespaces themselves.
type fabric struct {
	prefix string            // namespace names: <prefix>-<machine>
	root   string            // the test's temporary directory, for the machines' data
	addrs  map[string]string // machine → its address
	bin    string

	mu    sync.Mutex
	procs []*nsProc
}

// requireNetns skips the test unless it can create network namespaces (root, `ip netns`, and
// the right to add one: it adds namespace probe and deletes it again), or fails it when
// FARGO_REQUIRE_NETNS=1 (CI) asks that it never be skipped.
func requireNetns(t *testing.T, probe string) {
	t.Helper()
	why := ""
	if os.Geteuid() != 0 {
		why = "network namespaces need root"
	} else if out, err := exec.Command("ip", "netns", "add", probe).CombinedOutput(); err != nil {
		why = fmt.Sprintf("`ip netns add` fails (is iproute2 installed?): %v %s", err, out)
	} else if out, err := exec.Command("ip", "netns", "del", probe).CombinedOutput(); err != nil {
		t.Fatalf("ip netns del %s: %v %s", probe, err, out)
	}
	if why == "" {
		return
	}
	if os.Getenv("FARGO_REQUIRE_NETNS") == "1" {
		t.Fatalf("FARGO_REQUIRE_NETNS=1 but %s", why)
	}
	t.Skipf("%s; run as root with iproute2 (FARGO_REQUIRE_NETNS=1 makes this a failure)", why)
}

// newFabric creates the namespaces, the bridge and the veth pairs, and removes them (after
// killing every process in them) when the test ends, failed or not.
func newFabric(t *testing.T) *fabric {
	t.Helper()
	bin := fargoBinary(t)
	f := &fabric{prefix: fmt.Sprintf("fargo%d-%d", os.Getpid(), fabricSeq.Add(1)), addrs: map[string]string{}, bin: bin}
	requireNetns(t, f.ns("probe"))
	subnet := freeSubnet(t)
	// The temporary directory first: cleanups run last-registered first, so it is removed
	// after the teardown has killed every process that writes into it.
	f.root = t.TempDir()
	t.Cleanup(func() { f.teardown(t) })
	fab := f.ns("fabric")
	f.ip(t, "netns", "add", fab)
	f.ip(t, "-n", fab, "link", "set", "lo", "up")
	f.ip(t, "-n", fab, "link", "add", "br0", "type", "bridge")
	f.ip(t, "-n", fab, "link", "set", "br0", "up")
	for _, m := range netnsMachines {
		ns, addr := f.ns(m.name), fmt.Sprintf("%s.%d", subnet, m.host)
		f.addrs[m.name] = addr
		f.ip(t, "netns", "add", ns)
		// Both ends are created in namespaces: the bridge's end in the fabric, eth0 in the
		// machine's.
		f.ip(t, "-n", fab, "link", "add", m.name, "type", "veth", "peer", "name", "eth0", "netns", ns)
		f.ip(t, "-n", fab, "link", "set", m.name, "master", "br0", "up")
		f.ip(t, "-n", ns, "addr", "add", addr+"/24", "dev", "eth0")
		f.ip(t, "-n", ns, "link", "set", "eth0", "up")
		f.ip(t, "-n", ns, "link", "set", "lo", "up")
	}
	t.Logf("fabric %s: %s.0/24", f.prefix, subnet)
	return f
}

// freeSubnet picks 10.213.X (X from the process id) that no route of the root namespace
// covers, so that the fabric's addresses are unused on this host even if one leaked.
func freeSubnet(t *testing.T) string {
	t.Helper()
	routes, err := exec.Command("ip", "-4", "route", "show", "table", "all").Output()
	if err != nil {
		t.Fatalf("ip route: %v", err)
	}
	for i := range 250 {
		subnet := fmt.Sprintf("10.213.%d", (os.Getpid()+i)%250+1)
		if !strings.Contains(string(routes), subnet+".") && !strings.Contains(string(routes), "10.213.0.0/16") {
			return subnet
		}
	}
	t.Fatal("no free 10.213.X.0/24")
	return ""
}

func (f *fabric) ns(machine string) string { return f.prefix + "-" + machine }

func (f *fabric) ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// teardown kills the processes the test started (by PID), then every process left in the
// machines' namespaces (tasks, their supervisors), then removes the namespaces, and the veth
// pairs and the bridge with them.
func (f *fabric) teardown(t *testing.T) {
	f.mu.Lock()
	procs := f.procs
	f.mu.Unlock()
	for _, p := range procs {
		p.kill()
		if t.Failed() {
			t.Logf("%s log:\n%s", p.name, p.logs)
		}
	}
	for _, m := range netnsMachines {
		f.killNamespace(f.ns(m.name))
	}
	for _, m := range netnsMachines {
		_ = exec.Command("ip", "netns", "del", f.ns(m.name)).Run()
	}
	_ = exec.Command("ip", "netns", "del", f.ns("fabric")).Run()
}

// killNamespace kills every process of namespace ns with SIGKILL, by PID, and waits a moment
// for them to go. It returns how many it killed.
func (f *fabric) killNamespace(ns string) int {
	out, _ := exec.Command("ip", "netns", "pids", ns).Output()
	var pids []int
	for _, field := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(field); err == nil && pid != os.Getpid() && syscall.Kill(pid, syscall.SIGKILL) == nil {
			pids = append(pids, pid)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for syscall.Kill(pid, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	return len(pids)
}

// nsProc is a process that runs in a machine's namespace.
type nsProc struct {
	name string
	cmd  *exec.Cmd
	logs *syncBuffer
	done chan struct{} // closed once the process was waited for
}

// start runs argv in machine's namespace with binDir first on PATH (where hello is).
func (f *fabric) start(t *testing.T, machine string, argv ...string) *nsProc {
	t.Helper()
	p := &nsProc{name: machine + " " + filepath.Base(argv[0]) + " " + argv[1], logs: &syncBuffer{}, done: make(chan struct{})}
	// ip netns exec execs argv in place: the PID is argv's own.
	p.cmd = exec.Command("ip", append([]string{"netns", "exec", f.ns(machine)}, argv...)...)
	p.cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // owned by p: kill waits for it
		_ = p.cmd.Wait()
		close(p.done)
	}()
	f.mu.Lock()
	f.procs = append(f.procs, p)
	f.mu.Unlock()
	return p
}

// kill ends the process with SIGKILL and waits for it.
func (p *nsProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// The command lines of every role, in one place. etcd is reached over TLS with certificates of
// a CA that `fargo cert` creates (pkiDir): fargo refuses plain http:// and unauthenticated
// clients on addresses other than loopback. Members authenticate their peers and their
// clients; workers and the data-plane node present their own machine's certificate.
const etcdScheme = "https"

// pkiDir is where the fabric's CA and every machine's certificate live.
func (f *fabric) pkiDir() string { return filepath.Join(f.root, "pki") }

// issueCertificates creates the CA and a certificate for every machine, naming its address.
func (f *fabric) issueCertificates(t *testing.T) {
	t.Helper()
	run := func(args ...string) {
		if out, err := exec.Command(f.bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("fargo %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("cert", "init", "--dir", f.pkiDir())
	for _, m := range netnsMachines {
		run("cert", "issue", "--dir", f.pkiDir(), "--name", m.name, "--ip", f.addrs[m.name])
	}
}

// memberTLS are the flags of a member's certificate, for its peers and its clients.
func (f *fabric) memberTLS(name string) []string {
	crt, key, ca := filepath.Join(f.pkiDir(), name+".crt"), filepath.Join(f.pkiDir(), name+".key"), filepath.Join(f.pkiDir(), "ca.crt")
	return []string{"--etcd-peer-cert-file", crt, "--etcd-peer-key-file", key, "--etcd-peer-trusted-ca-file", ca,
		"--etcd-cert-file", crt, "--etcd-key-file", key, "--etcd-trusted-ca-file", ca}
}

// clientTLS are the flags with which machine name connects to the members' etcd.
func (f *fabric) clientTLS(name string) []string {
	return []string{"--etcd-cacert", filepath.Join(f.pkiDir(), "ca.crt"),
		"--etcd-cert", filepath.Join(f.pkiDir(), name+".crt"), "--etcd-key", filepath.Join(f.pkiDir(), name+".key")}
}

func (f *fabric) peerURL(member string) string {
	return etcdScheme + "://" + f.addrs[member] + ":2380"
}

func (f *fabric) clientURL(member string) string {
	return etcdScheme + "://" + f.addrs[member] + ":2379"
}

// etcdEndpoints are the client URLs of every member.
func (f *fabric) etcdEndpoints() string {
	return strings.Join([]string{f.clientURL("m1"), f.clientURL("m2"), f.clientURL("m3")}, ",")
}

// memberArgs is `fargo server` of member name: its embedded etcd member serves clients on its
// address (workers and the data plane reach the store over the fabric), no data plane, a short
// leader lease, and short agent timeouts so that a killed worker's tasks are replaced within
// the test.
func (f *fabric) memberArgs(name, dataDir string) []string {
	var initial []string
	for _, m := range []string{"m1", "m2", "m3"} {
		initial = append(initial, m+"="+f.peerURL(m))
	}
	return append([]string{f.bin, "server", "--data-dir", dataDir, "--api-addr", f.addrs[name] + ":4566",
		"--driver", "process", "--data-plane", "none", "--leader-ttl", "2s",
		"--agent-timeout", "5s", "--lost-instance-grace", "10s",
		"--etcd-name", name, "--etcd-initial-cluster", strings.Join(initial, ","),
		"--etcd-listen-client-urls", f.clientURL(name)}, f.memberTLS(name)...)
}

// workerArgs is `fargo agent` of worker name. Its attribute role=worker is what the services'
// memberOf constraint asks for: the members run agents of their own machines too, which take no
// task of these services.
func (f *fabric) workerArgs(name, dataDir string) []string {
	return append([]string{f.bin, "agent", "--data-dir", dataDir, "--etcd-endpoints", f.etcdEndpoints(),
		"--node-id", name, "--node-addr", f.addrs[name], "--driver", "process",
		"--attribute", "role=worker", "--attribute", "machine=" + name, "--heartbeat-interval", "1s"}, f.clientTLS(name)...)
}

// dataPlaneArgs is `fargo dataplane` of the data-plane node: listeners on its address.
func (f *fabric) dataPlaneArgs(dataDir string) []string {
	return append([]string{f.bin, "dataplane", "--data-dir", dataDir, "--etcd-endpoints", f.etcdEndpoints(), "--lb-addr", f.addrs["lb"]},
		f.clientTLS("lb")...)
}

// netnsCluster is the fabric's fargo: three members, two workers and a data-plane node.
type netnsCluster struct {
	*fabric
	members map[string]*server
	running map[string]*nsProc // the fargo process of each machine
	dirs    map[string]string  // data directories by machine
	loadgen string             // the load generator's binary
}

// newNetnsCluster starts every machine's fargo and waits until the members answer.
func newNetnsCluster(t *testing.T, f *fabric) *netnsCluster {
	t.Helper()
	root := f.root
	c := &netnsCluster{fabric: f, members: map[string]*server{}, running: map[string]*nsProc{}, dirs: map[string]string{}, loadgen: loadgenBinary(t)}
	for _, m := range netnsMachines {
		c.dirs[m.name] = filepath.Join(root, m.name)
	}
	copyKeys(t, []string{c.dirs["m1"], c.dirs["m2"], c.dirs["m3"]})
	f.issueCertificates(t)
	for _, m := range []string{"m1", "m2", "m3"} {
		c.running[m] = f.start(t, m, f.memberArgs(m, c.dirs[m])...)
	}
	for _, m := range []string{"m1", "m2", "m3"} {
		s := &server{bin: f.bin, dataDir: c.dirs[m], cmd: c.running[m].cmd, logs: c.running[m].logs, netns: f.ns("client")}
		s.waitStarted(t)
		c.members[m] = s
	}
	for _, w := range []string{"w1", "w2"} {
		c.running[w] = f.start(t, w, f.workerArgs(w, c.dirs[w])...)
	}
	c.running["lb"] = f.start(t, "lb", f.dataPlaneArgs(c.dirs["lb"])...)
	return c
}

// fetch sends one GET from the client machine and returns the body.
func (c *netnsCluster) fetch(url string) (string, error) {
	return c.fetchFrom("client", url)
}

// fetchFrom sends one GET from machine and returns the body.
func (c *netnsCluster) fetchFrom(machine, url string) (string, error) {
	out, err := exec.Command("ip", "netns", "exec", c.ns(machine), c.loadgen, "-get", "-url", url).Output()
	return string(out), err
}

// clusterStatus reads GET /fargo/cluster of member m on m's own machine: a member answers
// unsigned requests for it only from its own machine, as it does /metrics.
func (c *netnsCluster) clusterStatus(m string) (role, leader string, err error) {
	body, err := c.fetchFrom(m, c.members[m].endpoint()+daemon.ClusterPath)
	if err != nil {
		return "", "", err
	}
	var st struct{ Role, Leader string }
	err = json.Unmarshal([]byte(body), &st)
	return st.Role, st.Leader, err
}

// waitLeader waits until one of members leads and the others name it, and returns it.
func (c *netnsCluster) waitLeader(t *testing.T, members ...string) string {
	t.Helper()
	leader := ""
	waitLong(t, "a leader among "+strings.Join(members, ", "), func() bool {
		named := map[string]bool{}
		leader = ""
		for _, m := range members {
			role, l, err := c.clusterStatus(m)
			if err != nil {
				return false
			}
			named[l] = true
			if role == daemon.RoleLeader {
				leader = m
			}
		}
		return leader != "" && len(named) == 1 && named[leader]
	})
	return leader
}

var (
	loadgenOnce sync.Once
	loadgenErr  error
)

// loadgenBinary builds testdata/loadgen next to the fargo binary, once.
func loadgenBinary(t *testing.T) string {
	t.Helper()
	fargoBinary(t)
	loadgenOnce.Do(func() {
		out, err := exec.Command("go", "build", "-o", binDir+"/", "./testdata/loadgen").CombinedOutput()
		if err != nil {
			loadgenErr = fmt.Errorf("go build loadgen: %w\n%s", err, out)
		}
	})
	if loadgenErr != nil {
		t.Fatal(loadgenErr)
	}
	return filepath.Join(binDir, "loadgen")
}

// loadLine is one report of loadgen: counts since its start.
type loadLine struct {
	At       time.Time        `json:"at"`
	Final    bool             `json:"final"`
	Requests int64            `json:"requests"`
	Failed   int64            `json:"failed"`
	ByKind   map[string]int64 `json:"byKind"`
	Errors   []struct {
		At        time.Time `json:"at"`
		Kind      string    `json:"kind"`
		KeepAlive bool      `json:"keepAlive"`
		Detail    string    `json:"detail"`
	} `json:"errors"`
}

// minus returns the counts of l since before, and the failures before did not list.
func (l loadLine) minus(before loadLine) loadLine {
	d := loadLine{At: l.At, Requests: l.Requests - before.Requests, Failed: l.Failed - before.Failed, ByKind: map[string]int64{}}
	for k, v := range l.ByKind {
		if n := v - before.ByKind[k]; n != 0 {
			d.ByKind[k] = n
		}
	}
	seen := map[string]bool{}
	for _, e := range before.Errors {
		seen[e.At.String()+e.Kind+e.Detail] = true
	}
	for _, e := range l.Errors {
		if !seen[e.At.String()+e.Kind+e.Detail] {
			d.Errors = append(d.Errors, e)
		}
	}
	return d
}

// loadProc is a loadgen process in the client namespace.
type loadProc struct {
	*nsProc
	mu   sync.Mutex
	last loadLine
	read chan struct{} // closed when its output ended
}

// The load generator's clients: each has at most one request in flight.
const loadKeepAlive, loadNewConn = 3, 2

// startLoad runs loadgen against url from the client machine: 100 requests a second.
func (c *netnsCluster) startLoad(t *testing.T, url string) *loadProc {
	t.Helper()
	bin := c.loadgen
	l := &loadProc{read: make(chan struct{})}
	p := &nsProc{name: "client loadgen " + url, logs: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command("ip", "netns", "exec", c.ns("client"), bin, "-url", url,
		"-keep-alive", strconv.Itoa(loadKeepAlive), "-new-conn", strconv.Itoa(loadNewConn), "-rate", "100")
	p.cmd.Stderr = p.logs
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { // owned by l: stop and kill wait for it
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var line loadLine
			if json.Unmarshal(sc.Bytes(), &line) == nil {
				l.mu.Lock()
				l.last = line
				l.mu.Unlock()
			}
		}
		close(l.read)
		_ = p.cmd.Wait()
		close(p.done)
	}()
	l.nsProc = p
	c.mu.Lock()
	c.procs = append(c.procs, p)
	c.mu.Unlock()
	return l
}

// mark returns the counts of a report made after the call: every request that ended before it
// is in them.
func (l *loadProc) mark(t *testing.T) loadLine {
	t.Helper()
	since := time.Now()
	deadline := since.Add(30 * time.Second)
	for {
		l.mu.Lock()
		last := l.last
		l.mu.Unlock()
		if last.At.After(since) {
			return last
		}
		select {
		case <-l.read:
			t.Fatalf("the load generator ended:\n%s", l.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the load generator reported nothing for 30 s:\n%s", l.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the load generator with SIGTERM and returns its final counts.
func (l *loadProc) stop(t *testing.T) loadLine {
	t.Helper()
	_ = l.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-l.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("the load generator did not stop on SIGTERM:\n%s", l.logs)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.last
}
