package daemon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
	"github.com/fargohq/fargo/internal/embedetcd"
	"github.com/fargohq/fargo/internal/runtime/fake"
)

// member is one server of a test cluster.
type member struct {
	name   string
	dir    string
	srv    *daemon.Server
	cancel context.CancelFunc
	ecs    *ecssdk.Client
}

// shareCredentials creates the first member's keys and copies them to the others, as an
// operator copies them to every member: a client signs for any member with one key.
func shareCredentials(t testing.TB, dirs []string) {
	t.Helper()
	if err := os.MkdirAll(dirs[0], 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.Ensure(dirs[0], time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := credentials.EnsureSecretsKey(dirs[0]); err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs[1:] {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
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

// startCluster starts n servers whose embedded members form one etcd cluster on loopback.
func startCluster(t testing.TB, n int) []*member {
	return startClusterWith(t, n, nil)
}

// startClusterWith is startCluster with tweak applied to each member's configuration.
func startClusterWith(t testing.TB, n int, tweak func(i int, cfg *daemon.Config)) []*member {
	t.Helper()
	members := make([]*member, n)
	var initial []string
	peers := make([]url.URL, n)
	dirs := make([]string, n)
	root := t.TempDir()
	for i := range n {
		peers[i] = freeURL(t)
		dirs[i] = filepath.Join(root, fmt.Sprintf("m%d", i))
		members[i] = &member{name: fmt.Sprintf("m%d", i), dir: dirs[i]}
		initial = append(initial, members[i].name+"="+peers[i].String())
	}
	shareCredentials(t, dirs)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Go(func() {
			ctx, cancel := context.WithCancel(context.Background())
			m.cancel = cancel
			cfg := daemon.Config{
				DataDir: m.dir, APIAddr: "127.0.0.1:0", Runtime: fake.New(fake.Config{}),
				EtcdName:    m.name,
				EtcdCluster: embedetcd.Cluster{InitialCluster: strings.Join(initial, ","), ListenPeerURLs: []url.URL{peers[i]}},
				LeaderTTL:   2 * time.Second,
			}
			if tweak != nil {
				tweak(i, &cfg)
			}
			m.srv, errs[i] = daemon.Start(ctx, cfg, nil)
		})
	}
	wg.Wait()
	for i, m := range members {
		if errs[i] != nil {
			t.Fatalf("member %s: %v", m.name, errs[i])
		}
		t.Cleanup(func() { m.stop(t) })
		m.ecs = clientFor(t, m.srv, m.dir)
	}
	return members
}

func (m *member) stop(t testing.TB) {
	t.Helper()
	m.cancel()
	if err := m.srv.Wait(); err != nil {
		t.Errorf("member %s: %v", m.name, err)
	}
}

// waitLeader polls until one of the members leads and every one of them names it.
func waitLeader(t testing.TB, members []*member) *member {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var leaders []*member
		agreed := true
		for _, m := range members {
			st := m.srv.ClusterStatus(t.Context())
			if st.Role == daemon.RoleLeader {
				leaders = append(leaders, m)
			}
			if len(leaders) == 1 && st.Leader != leaders[0].name {
				agreed = false
			}
		}
		if len(leaders) > 1 {
			t.Fatalf("%d members lead at once", len(leaders))
		}
		if len(leaders) == 1 && agreed && members[0].srv.ClusterStatus(t.Context()).Leader == leaders[0].name {
			return leaders[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no member leads")
	return nil
}

// TestClusterMembersShareOneView: three servers form one cluster; what a client creates
// through one, it reads at once through the others (reads are linearizable), the followers
// answer while the leader is up, and every member names the same leader and lists the members.
func TestClusterMembersShareOneView(t *testing.T) {
	t.Parallel()
	members := startCluster(t, 3)
	leader := waitLeader(t, members)
	ctx := t.Context()
	for i, writer := range members {
		name := fmt.Sprintf("c%d", i)
		if _, err := writer.ecs.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
		for _, reader := range members {
			out, err := reader.ecs.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{Clusters: []string{name}})
			if err != nil || len(out.Clusters) != 1 || len(out.Failures) != 0 {
				t.Fatalf("%s does not see cluster %s created through %s: %+v %v", reader.name, name, writer.name, out, err)
			}
		}
	}
	for _, m := range members {
		if m == leader {
			continue
		}
		if m.srv.ClusterStatus(ctx).Role != daemon.RoleFollower {
			t.Fatalf("%s is not a follower while %s leads", m.name, leader.name)
		}
		st := clusterOverHTTP(t, m.srv.Endpoint())
		if st.Member != m.name || st.Role != daemon.RoleFollower || st.Leader != leader.name || len(st.Members) != 3 {
			t.Fatalf("GET %s of %s = %+v", daemon.ClusterPath, m.name, st)
		}
	}
	for _, m := range members {
		want := "0"
		if m == leader {
			want = "1"
		}
		metrics := getMetrics(t, m.srv.Endpoint())
		for _, line := range []string{`fargo_leader{member="` + m.name + `"} ` + want, "fargo_cluster_members 3"} {
			if !strings.Contains(metrics, "\n"+line+"\n") {
				t.Fatalf("/metrics of %s lacks %q", m.name, line)
			}
		}
	}
}

func getMetrics(t *testing.T, endpoint string) string {
	t.Helper()
	resp, err := http.Get(endpoint + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// TestClusterLeaderHandsOver: when the leader stops, another member leads, and the
// controllers run there: a service created afterwards through a follower gets its task.
func TestClusterLeaderHandsOver(t *testing.T) {
	t.Parallel()
	members := startCluster(t, 3)
	first := waitLeader(t, members)
	first.stop(t)
	var rest []*member
	for _, m := range members {
		if m != first {
			rest = append(rest, m)
		}
	}
	second := waitLeader(t, rest)
	if second == first {
		t.Fatal("the stopped member leads")
	}
	// The new leader's scheduler places the task of a service created through a follower.
	var follower *member
	for _, m := range rest {
		if m != second {
			follower = m
		}
	}
	ctx := t.Context()
	c := follower.ecs
	if _, err := c.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("after")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("app"), ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("example/app:1"), Memory: aws.Int32(64),
		}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateService(ctx, &ecssdk.CreateServiceInput{
		Cluster: aws.String("after"), ServiceName: aws.String("web"), TaskDefinition: aws.String("app"), DesiredCount: aws.Int32(1),
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		out, err := c.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("after"), Services: []string{"web"}})
		if err == nil && len(out.Services) == 1 && out.Services[0].RunningCount == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service's task does not run after the leader changed: %+v %v", out, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func clusterOverHTTP(t *testing.T, endpoint string) daemon.ClusterStatus {
	t.Helper()
	resp, err := http.Get(endpoint + daemon.ClusterPath)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st daemon.ClusterStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}
