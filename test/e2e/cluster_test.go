package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// clusterMember is one `fargo server` of a control plane of several.
type clusterMember struct {
	name  string
	flags []string
	*server
	ecs *ecssdk.Client
}

// startControlPlane starts n `fargo server` processes whose embedded etcd members form one
// cluster on loopback. They share one node directory (one machine: one container instance,
// whose agent runs in one member at a time) and run no data plane; they share the first
// member's keys, as an operator copies them to every member.
func startControlPlane(t *testing.T, n int) []*clusterMember {
	t.Helper()
	bin := fargoBinary(t)
	root := t.TempDir()
	nodeDir := filepath.Join(root, "node")
	t.Cleanup(func() { killTaskProcesses(nodeDir) })
	members := make([]*clusterMember, n)
	var initial []string
	for i := range n {
		members[i] = &clusterMember{name: fmt.Sprintf("m%d", i)}
		initial = append(initial, fmt.Sprintf("%s=http://127.0.0.1:%d", members[i].name, freePort(t)))
	}
	dirs := make([]string, n)
	for i := range n {
		dirs[i] = filepath.Join(root, members[i].name)
	}
	copyKeys(t, dirs)
	for i, m := range members {
		m.flags = []string{"--driver", "process", "--data-plane", "none", "--node-dir", nodeDir,
			"--leader-ttl", "2s", "--etcd-name", m.name, "--etcd-initial-cluster", strings.Join(initial, ",")}
		m.server = launchServer(t, bin, dirs[i], m.flags...)
	}
	for _, m := range members {
		m.waitStarted(t)
		m.ecs, _ = m.sdkClients(t)
	}
	return members
}

// kill ends the member's process with SIGKILL.
func (m *clusterMember) kill(t *testing.T) {
	t.Helper()
	if err := m.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = m.cmd.Wait()
}

// restart starts a killed member again with its flags and data directory.
func (m *clusterMember) restart(t *testing.T) {
	t.Helper()
	m.server = launchServer(t, m.bin, m.dataDir, m.flags...)
	m.waitStarted(t)
	m.ecs, _ = m.sdkClients(t)
}

// runsNode reports whether the member has taken the node directory's lock (its agent runs).
func (m *clusterMember) runsNode() bool {
	return strings.Contains(m.logs.String(), "running this node's agent")
}

var adoptedLine = regexp.MustCompile(`"adopted this node's containers" .*containers=(\d+)`)

// waitAdopted waits until one of members has adopted the node's containers, and returns how
// many it adopted.
func waitAdopted(t *testing.T, members []*clusterMember) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range members {
			if match := adoptedLine.FindStringSubmatch(m.logs.String()); match != nil {
				return match[1]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no member adopted the node")
	return ""
}

// copyKeys creates the first directory's credentials and secrets key and copies them to the
// others.
func copyKeys(t *testing.T, dirs []string) {
	t.Helper()
	for _, dir := range dirs {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := credentials.Ensure(dirs[0], time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.EnsureSecretsKey(dirs[0]); err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs[1:] {
		for _, name := range []string{credentials.FileName, credentials.SecretsKeyFileName} {
			data, err := os.ReadFile(filepath.Join(dirs[0], name))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// status reads the member's GET /fargo/cluster.
func (m *clusterMember) status() (daemon.ClusterStatus, error) {
	var st daemon.ClusterStatus
	resp, err := http.Get(m.endpoint() + daemon.ClusterPath)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// waitLeader polls the members until exactly one leads and the others name it.
func waitLeader(t *testing.T, members []*clusterMember) *clusterMember {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var leader *clusterMember
		named := map[string]bool{}
		for _, m := range members {
			st, err := m.status()
			if err != nil {
				continue
			}
			if st.Role == daemon.RoleLeader {
				if leader != nil {
					t.Fatalf("%s and %s both lead", leader.name, m.name)
				}
				leader = m
			}
			named[st.Leader] = true
		}
		if leader != nil && len(named) == 1 && named[leader.name] {
			return leader
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no member leads")
	return nil
}

// TestControlPlaneFailover runs three members on loopback. A client creates resources through
// a follower and reads them through every member while the leader is up; then it starts a
// rolling deployment of a 3-task service on the process driver, the leader is killed with
// SIGKILL in the middle of it, and another member takes over: the deployment completes (one
// COMPLETED deployment) with every task of the service replaced.
func TestControlPlaneFailover(t *testing.T) {
	t.Parallel()
	members := startControlPlane(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	leader := waitLeader(t, members)
	var follower *clusterMember
	for _, m := range members {
		if m != leader {
			follower = m
		}
	}
	st, err := follower.status()
	if err != nil || st.Role != daemon.RoleFollower || len(st.Members) != 3 {
		t.Fatalf("a follower's status: %+v, %v", st, err)
	}
	ps, err := exec.Command(follower.bin, "ps", "--data-dir", follower.dataDir).CombinedOutput()
	if err != nil || !regexp.MustCompile(`(?m)^`+leader.name+`\s+leader\s`).Match(ps) || !regexp.MustCompile(`(?m)^`+follower.name+`\s+follower\s.*yes$`).Match(ps) {
		t.Fatalf("fargo ps of a follower does not show the members' roles: %v\n%s", err, ps)
	}

	// Written through a follower, read at once through every member.
	if _, err := follower.ecs.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("demo")}); err != nil {
		t.Fatal(err)
	}
	v1 := registerProbedVersion(t, ctx, follower.ecs, "v1")
	for _, m := range members {
		out, err := m.ecs.DescribeTaskDefinition(ctx, &ecssdk.DescribeTaskDefinitionInput{TaskDefinition: aws.String(v1)})
		if err != nil || aws.ToString(out.TaskDefinition.TaskDefinitionArn) != v1 {
			t.Fatalf("%s does not see %s: %v", m.name, v1, err)
		}
	}
	if _, err := follower.ecs.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("demo"), ServiceName: aws.String("web"), TaskDefinition: aws.String(v1), DesiredCount: aws.Int32(3),
	}); err != nil {
		t.Fatal(err)
	}
	firstTasks := waitServiceRolledOut(t, ctx, follower.ecs, v1)

	v2 := registerProbedVersion(t, ctx, follower.ecs, "v2")
	if _, err := follower.ecs.UpdateService(ctx, &ecssdk.UpdateServiceInput{
		Cluster: aws.String("demo"), Service: aws.String("web"), TaskDefinition: aws.String(v2),
	}); err != nil {
		t.Fatal(err)
	}
	waitNewTaskStarted(t, ctx, follower.ecs, v2)
	// A new task is healthy only seconds after it starts: the deployment is under way.
	out, err := follower.ecs.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
	if err != nil || len(out.Services[0].Deployments) != 2 {
		t.Fatalf("the deployment is not under way before the kill: %v %v", out, err)
	}
	leader.kill(t)
	killedAt := time.Now()
	t.Logf("killed the leader %s in the middle of the deployment", leader.name)

	var rest []*clusterMember
	for _, m := range members {
		if m != leader {
			rest = append(rest, m)
		}
	}
	next := waitLeader(t, rest)
	t.Logf("%s leads %s after the kill", next.name, time.Since(killedAt).Round(time.Millisecond))
	lastTasks := waitServiceRolledOut(t, ctx, next.ecs, v2)
	for arn := range lastTasks {
		if firstTasks[arn] {
			t.Fatalf("task %s of the first revision still runs", arn)
		}
	}
	// Every surviving member tells the same outcome.
	for _, m := range rest {
		waitServiceRolledOut(t, ctx, m.ecs, v2)
	}

	// The killed member rejoins with its data; then the member that runs the node's agent is
	// killed, and another one adopts the node's running containers: the tasks stay.
	leader.restart(t)
	waitLeader(t, members)
	var holder *clusterMember
	for _, m := range members {
		if m.runsNode() {
			holder = m
		}
	}
	if holder == nil || holder == leader {
		t.Fatalf("the node's agent runs in %v, want one of the members that were not restarted", holder)
	}
	holder.kill(t)
	t.Logf("killed %s, which ran the node's agent", holder.name)
	var others []*clusterMember
	for _, m := range members {
		if m != holder {
			others = append(others, m)
		}
	}
	if n := waitAdopted(t, others); n != "3" {
		t.Fatalf("the node's new agent adopted %s containers, want the 3 of the running tasks", n)
	}
	waitLeader(t, others)
	kept := waitServiceRolledOut(t, ctx, others[0].ecs, v2)
	if !maps.Equal(kept, lastTasks) {
		t.Fatalf("the service's tasks changed when the node's agent moved: %v, were %v", kept, lastTasks)
	}
}

// registerProbedVersion registers the example app as revision version with a container health
// check: a new task counts only once it is healthy (a few seconds), so that a rolling
// deployment of 3 tasks lasts long enough to kill the leader in its middle.
func registerProbedVersion(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, version string) string {
	t.Helper()
	out, err := ecsc.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("web"), NetworkMode: ecstypes.NetworkModeAwsvpc, RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("hello"), Command: []string{"hello"}, StopTimeout: aws.Int32(5),
			Environment: []ecstypes.KeyValuePair{
				{Name: aws.String("VERSION"), Value: aws.String(version)},
				{Name: aws.String("STARTUP_DELAY"), Value: aws.String("2s")},
				{Name: aws.String("EXIT_IMMEDIATELY_ON_SIGTERM"), Value: aws.String("true")},
			},
			PortMappings: []ecstypes.PortMapping{{ContainerPort: aws.Int32(8080)}},
			HealthCheck: &ecstypes.HealthCheck{
				Command: []string{"CMD", "hello", "-healthcheck"}, Interval: aws.Int32(5), Timeout: aws.Int32(2), Retries: aws.Int32(3),
			},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// waitNewTaskStarted waits until a task of revision rev exists: the deployment is under way.
func waitNewTaskStarted(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, rev string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		for _, task := range serviceTasks(t, ctx, ecsc) {
			if aws.ToString(task.TaskDefinitionArn) == rev {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no task of %s started", rev)
}

// waitServiceRolledOut waits until service web runs only revision rev (one COMPLETED
// deployment, 3 running tasks, all of rev) and returns its tasks' ARNs.
func waitServiceRolledOut(t *testing.T, ctx context.Context, ecsc *ecssdk.Client, rev string) map[string]bool {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	var last string
	for time.Now().Before(deadline) {
		out, err := ecsc.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		s := out.Services[0]
		last = deployments(s)
		if len(s.Deployments) == 1 && aws.ToString(s.Deployments[0].TaskDefinition) == rev &&
			s.Deployments[0].RolloutState == ecstypes.DeploymentRolloutStateCompleted && s.RunningCount == 3 {
			running := map[string]bool{}
			for _, task := range serviceTasks(t, ctx, ecsc) {
				if aws.ToString(task.LastStatus) == "RUNNING" && aws.ToString(task.TaskDefinitionArn) == rev {
					running[aws.ToString(task.TaskArn)] = true
				}
			}
			if len(running) == 3 {
				return running
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("revision %s did not roll out; deployments: %s", rev, last)
	return nil
}

// deployments renders a service's deployments for a failure message.
func deployments(s ecstypes.Service) string {
	var parts []string
	for _, d := range s.Deployments {
		parts = append(parts, fmt.Sprintf("%s %s %d/%d %s", aws.ToString(d.Status), aws.ToString(d.TaskDefinition), d.RunningCount, d.DesiredCount, d.RolloutState))
	}
	return strings.Join(parts, ", ")
}

// serviceTasks returns the described tasks of service web that are not stopped.
func serviceTasks(t *testing.T, ctx context.Context, ecsc *ecssdk.Client) []ecstypes.Task {
	t.Helper()
	list, err := ecsc.ListTasks(ctx, &ecssdk.ListTasksInput{Cluster: aws.String("demo"), ServiceName: aws.String("web")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.TaskArns) == 0 {
		return nil
	}
	out, err := ecsc.DescribeTasks(ctx, &ecssdk.DescribeTasksInput{Cluster: aws.String("demo"), Tasks: list.TaskArns})
	if err != nil {
		t.Fatal(err)
	}
	return out.Tasks
}
