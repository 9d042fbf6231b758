package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/dataplane"
	"github.com/fargohq/fargo/internal/loadtest"
)

// TestSeveralDataPlaneNodes runs a server without a data plane of its own (--data-plane none)
// and two `fargo dataplane` processes fed from its etcd member's client URL, each binding the same listener port
// on its own loopback address (127.0.0.2 and 127.0.0.3). Under constant load through both, a
// rolling deployment completes with not one failed request on either node: targets count as
// healthy (DescribeTargetHealth) only once both nodes route to them, and old tasks are stopped
// only once both nodes released them. Then, in a second deployment, the node elected to do the
// nodes' control work is killed with SIGKILL: the other takes over, the dead node drops out,
// and the deployment completes with not one failed request on the surviving node. `fargo ps`
// lists the nodes: the leader, the other serving, then the killed one gone.
func TestSeveralDataPlaneNodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	s := startServer(t, dir, "--data-plane", "none", "--etcd-listen-client-urls", etcdURL)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	nodes := map[string]*dataPlaneNode{
		"a": startDataPlaneNode(t, etcdURL, "a", "127.0.0.2"),
		"b": startDataPlaneNode(t, etcdURL, "b", "127.0.0.3"),
	}
	ecsc, elbc := s.sdkClients(t)
	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc)
	urlOn := func(n *dataPlaneNode) string { return strings.Replace(url, "127.0.0.1", n.addr, 1) }
	for _, n := range nodes {
		if body := httpGet(t, urlOn(n)); !strings.HasPrefix(body, "hello from v0") {
			t.Fatalf("through node %s: %q", n.name, body)
		}
	}
	leaderName := waitOneLeader(t, nodes)

	// A rolling deployment under load through both nodes.
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	loads := map[string]<-chan loadtest.Result{}
	for name, n := range nodes {
		loads[name] = startLoadtest(loadCtx, loadtest.Config{URL: urlOn(n), KeepAliveClients: 2, NewConnectionClients: 1, Rate: 100})
	}
	rev := registerVersion(t, ctx, ecsc, "v1")
	updateService(t, ctx, ecsc, rev)
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	time.Sleep(time.Second)
	stopLoad()
	for name, load := range loads {
		t.Logf("node %s:", name)
		checkNoFailures(t, <-load, 100)
	}
	ps := s.fargo(t, "ps", "--data-dir", dir)
	for _, want := range []string{"DATA-PLANE NODE", "127.0.0.2", "127.0.0.3", "leader", "serving", "3/3"} {
		if !strings.Contains(ps, want) {
			t.Errorf("fargo ps lacks %q:\n%s", want, ps)
		}
	}

	// A second one; the leader dies in the middle of it.
	survivor := nodes["a"]
	if leaderName == "a" {
		survivor = nodes["b"]
	}
	loadCtx, stopLoad = context.WithCancel(ctx)
	defer stopLoad()
	load := startLoadtest(loadCtx, loadtest.Config{URL: urlOn(survivor), KeepAliveClients: 2, NewConnectionClients: 1, Rate: 100})
	rev = registerVersion(t, ctx, ecsc, "v2")
	updateService(t, ctx, ecsc, rev)
	waitDeploymentUnderway(t, ctx, ecsc)
	nodes[leaderName].kill(t)
	t.Logf("killed the leading node %s", leaderName)
	waitDataPlane(t, survivor.dataDir, "the surviving node to lead", func(st dataplane.Status) bool { return st.Leading })
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	time.Sleep(time.Second)
	stopLoad()
	checkNoFailures(t, <-load, 100)
	if body := httpGet(t, urlOn(survivor)); !strings.HasPrefix(body, "hello from v2") {
		t.Errorf("through node %s after the deployment: %q", survivor.name, body)
	}
	waitLong(t, "fargo ps to show the killed node gone", func() bool {
		return strings.Contains(s.fargo(t, "ps", "--data-dir", dir), "gone since")
	})
}

// TestServerDataPlaneIsOneNode runs a server with its own data plane process (the default)
// beside a `fargo dataplane` on 127.0.0.2 fed from the server's member: both are nodes of one
// store. A rolling deployment under load through both completes with not one failed request,
// and `fargo ps` lists both nodes, one of them leading.
func TestServerDataPlaneIsOneNode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	s := startServer(t, dir, "--etcd-listen-client-urls", etcdURL)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	other := startDataPlaneNode(t, etcdURL, "lb2", "127.0.0.2")
	ecsc, elbc := s.sdkClients(t)
	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc)
	urls := []string{url, strings.Replace(url, "127.0.0.1", other.addr, 1)}

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var loads []<-chan loadtest.Result
	for _, u := range urls {
		loads = append(loads, startLoadtest(loadCtx, loadtest.Config{URL: u, KeepAliveClients: 2, NewConnectionClients: 1, Rate: 100}))
	}
	rev := registerVersion(t, ctx, ecsc, "v1")
	updateService(t, ctx, ecsc, rev)
	waitRolledOut(t, ctx, ecsc, elbc, tgARN, rev)
	time.Sleep(time.Second)
	stopLoad()
	for i, load := range loads {
		t.Logf("through %s:", urls[i])
		checkNoFailures(t, <-load, 100)
	}
	own := dataPlaneStatus(t, dir)
	ps := s.fargo(t, "ps", "--data-dir", dir)
	for _, want := range []string{"DATA-PLANE NODE", own.NodeName, "lb2", "leader", "serving"} {
		if !strings.Contains(ps, want) {
			t.Errorf("fargo ps lacks %q:\n%s", want, ps)
		}
	}
}

// dataPlaneNode is a `fargo dataplane` process that the test started.
type dataPlaneNode struct {
	name, addr, dataDir string
	cmd                 *exec.Cmd
	logs                *syncBuffer
}

// startDataPlaneNode runs `fargo dataplane` as node name on addr, fed from the etcd client
// URL of the server's member, and waits until it serves.
func startDataPlaneNode(t *testing.T, etcdURL, name, addr string) *dataPlaneNode {
	t.Helper()
	n := &dataPlaneNode{name: name, addr: addr, dataDir: filepath.Join(t.TempDir(), name), logs: &syncBuffer{}}
	n.cmd = exec.Command(fargoBinary(t), "dataplane", "--data-dir", n.dataDir,
		"--etcd-endpoints", etcdURL, "--lb-addr", addr,
		"--node-name", name, "--node-timeout", "5s")
	n.cmd.Stdout, n.cmd.Stderr = n.logs, n.logs
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.stop(t) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("data plane node %s log:\n%s", name, n.logs)
		}
	})
	waitDataPlane(t, n.dataDir, "data plane node "+name, func(st dataplane.Status) bool { return st.StoreConnected })
	return n
}

func (n *dataPlaneNode) stop(t *testing.T) {
	t.Helper()
	if n.cmd.ProcessState != nil {
		return
	}
	_ = n.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- n.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = n.cmd.Process.Kill()
		<-done
		t.Errorf("data plane node %s did not stop on SIGINT", n.name)
	}
}

func (n *dataPlaneNode) kill(t *testing.T) {
	t.Helper()
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = n.cmd.Wait()
}

// waitOneLeader waits until exactly one of the nodes leads, and returns its name.
func waitOneLeader(t *testing.T, nodes map[string]*dataPlaneNode) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var leading []string
		for name, n := range nodes {
			if _, st, err := dataplane.Query(context.Background(), n.dataDir); err == nil && st.Leading {
				leading = append(leading, name)
			}
		}
		if len(leading) == 1 {
			return leading[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the data plane nodes leading: %v, want exactly one", leading)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func updateService(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, rev string) {
	t.Helper()
	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(rev)}); err != nil {
		t.Fatal(err)
	}
}

// waitDeploymentUnderway waits until the service's new deployment runs a task while the old
// one still runs some.
func waitDeploymentUnderway(t *testing.T, ctx context.Context, ecsc *ecssdk.Client) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		out, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		deps := out.Services[0].Deployments
		if len(deps) == 2 && aws.ToString(deps[0].Status) == "PRIMARY" && deps[0].RunningCount >= 1 &&
			deps[0].RolloutState == ecstypes.DeploymentRolloutStateInProgress {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the deployment did not get under way")
}

// TestDataPlaneNodeReachesWorkerTasks runs the tasks of a service on the server's node and on
// a worker (`fargo agent --node-addr 127.0.0.4`), and the listeners on a `fargo dataplane` of
// its own on 127.0.0.2: the worker's tasks bind their ports on the worker's address, their
// targets are 127.0.0.4 (not the loopback address the data plane would reach on its own
// machine), the data plane's checks find them healthy (DescribeTargetHealth) and it serves them
// under load with not one failed request.
func TestDataPlaneNodeReachesWorkerTasks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	s := startServer(t, dir, "--data-plane", "none", "--etcd-listen-client-urls", etcdURL, "--driver", "process")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ecsc, elbc := s.sdkClients(t)
	if _, err := ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	const workerAddr = "127.0.0.4"
	startWorkerOn(t, filepath.Join(t.TempDir(), "worker"), etcdURL, workerAddr)
	waitWorkerInstance(t, ecsc, func(ci ecstypes.ContainerInstance) bool { return ci.AgentConnected })
	node := startDataPlaneNode(t, etcdURL, "lb", "127.0.0.2")
	url, tgARN := setupBalancedService(t, ctx, ecsc, elbc)
	url = strings.Replace(url, "127.0.0.1", node.addr, 1)

	th, err := elbc.DescribeTargetHealth(ctx, &elbsdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
	if err != nil {
		t.Fatal(err)
	}
	onWorker := 0
	for _, d := range th.TargetHealthDescriptions {
		if aws.ToString(d.Target.Id) == workerAddr && d.TargetHealth.State == elbtypes.TargetHealthStateEnumHealthy {
			onWorker++
		}
	}
	if onWorker == 0 {
		t.Fatalf("no healthy target on the worker's address %s: %+v", workerAddr, th.TargetHealthDescriptions)
	}
	loadCtx, stopLoad := context.WithTimeout(ctx, 3*time.Second)
	defer stopLoad()
	checkNoFailures(t, <-startLoadtest(loadCtx, loadtest.Config{URL: url, KeepAliveClients: 2, NewConnectionClients: 1, Rate: 100}), 100)
}

// startWorkerOn runs `fargo agent` on dataDir against the store at etcdURL, its tasks on
// nodeAddr.
func startWorkerOn(t *testing.T, dataDir, etcdURL, nodeAddr string) *workerProc {
	t.Helper()
	w := &workerProc{dataDir: dataDir, logs: &syncBuffer{}}
	w.cmd = exec.Command(fargoBinary(t), "agent", "--data-dir", dataDir, "--etcd-endpoints", etcdURL,
		"--driver", "process", "--node-id", "worker-1", "--node-addr", nodeAddr, "--attribute", "rack=r1",
		"--heartbeat-interval", "500ms")
	w.cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	w.cmd.Stdout, w.cmd.Stderr = w.logs, w.logs
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { killTaskProcesses(dataDir) })
	t.Cleanup(func() { w.kill(t) })
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("worker log:\n%s", w.logs)
		}
	})
	return w
}
