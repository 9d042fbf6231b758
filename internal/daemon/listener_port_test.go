package daemon_test

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// TestListenerPortTakenWhileDown creates a listener, stops the server, lets another process
// take the listener's port and starts the server again: the load balancer reports failed with
// the reason instead of a listener that silently never serves, and turns active and serves
// once the port is free again.
func TestListenerPortTakenWhileDown(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	srv, _ := startServer(t, ctx, dir)
	elbc := elbClientFor(t, srv, dir)
	out, err := elbc.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	if _, err := elbc.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: out.LoadBalancers[0].LoadBalancerArn,
		Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(int32(port)), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
			FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200")}}}}); err != nil {
		t.Fatal(err)
	}
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	eventually(t, "the listener serves", func() bool { return answers(url) })
	cancel()
	if err := srv.Wait(); err != nil {
		t.Fatal(err)
	}

	held, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		t.Skipf("port %d was taken by someone else meanwhile: %v", port, err)
	}
	defer held.Close()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer func() {
		cancel2()
		if err := srv.Wait(); err != nil {
			t.Error(err)
		}
	}()
	srv, _ = startServer(t, ctx2, dir)
	elbc = elbClientFor(t, srv, dir)
	state := func() elbtypes.LoadBalancerState {
		d, err := elbc.DescribeLoadBalancers(ctx2, &elbsdk.DescribeLoadBalancersInput{Names: []string{"web"}})
		if err != nil {
			t.Fatal(err)
		}
		return *d.LoadBalancers[0].State
	}
	eventually(t, "the load balancer reported failed", func() bool {
		s := state()
		return s.Code == elbtypes.LoadBalancerStateEnumFailed && strings.Contains(aws.ToString(s.Reason), "listener HTTP:"+strconv.Itoa(port)+" cannot serve") &&
			strings.Contains(aws.ToString(s.Reason), "address already in use")
	})
	held.Close()
	eventually(t, "the load balancer active and serving once the port is free", func() bool {
		return state().Code == elbtypes.LoadBalancerStateEnumActive && answers(url)
	})
}

func elbClientFor(t *testing.T, srv *daemon.Server, dir string) *elbsdk.Client {
	t.Helper()
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return elbsdk.NewFromConfig(apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func answers(url string) bool {
	res, err := http.Get(url)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
