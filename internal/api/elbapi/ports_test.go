package elbapi_test

import (
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

// apiAddr is where the API of portsEnv says fargo's API listens, as fargo server's default.
const apiAddr = "127.0.0.1:4566"

// portsEnv is an ELBv2 API that checks listener ports as fargo server does, and a load
// balancer to add listeners to.
func portsEnv(t *testing.T) (env *apitest.Env, lbARN string) {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	srv := apitest.Start(t, func(st *store.Store) awsproto.Service {
		return elbapi.New(st, scope, time.Now, elbapi.Config{CheckPorts: true, APIAddr: apiAddr}).Service()
	})
	env = &apitest.Env{Server: srv, ELBV2: elbv2.NewFromConfig(srv.AWS)}
	out, err := env.ELBV2.CreateLoadBalancer(apitest.Context(t), &elbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	return env, aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
}

// heldPort binds a port on 127.0.0.1 until the test ends, as another process would.
func heldPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// freeListenerPort returns a port nothing listens on right now.
func freeListenerPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestListenerPortThatCannotServe checks that CreateListener and ModifyListener refuse, with
// InvalidConfigurationRequest and nothing stored, a port that another process holds and the
// port of fargo's own API: such a listener would be accepted and never serve.
func TestListenerPortThatCannotServe(t *testing.T) {
	t.Parallel()
	env, lbARN := portsEnv(t)
	ctx := apitest.Context(t)
	held := heldPort(t)
	heldMsg := "Port " + strconv.Itoa(held) + " cannot be bound on 127.0.0.1, so the listener could never serve: another process holds it (listen tcp 127.0.0.1:" +
		strconv.Itoa(held) + ": bind: address already in use)"
	apiMsg := "Port 4566 is the port of fargo's own API (127.0.0.1:4566); choose another port for the listener"
	unchanged(t, env, func() {
		_, err := env.ELBV2.CreateListener(ctx, fixedListener(lbARN, held))
		apitest.WantError(t, err, "InvalidConfigurationRequest", heldMsg, http.StatusBadRequest)
		_, err = env.ELBV2.CreateListener(ctx, fixedListener(lbARN, 4566))
		apitest.WantError(t, err, "InvalidConfigurationRequest", apiMsg, http.StatusBadRequest)
	})

	free := freeListenerPort(t)
	created, err := env.ELBV2.CreateListener(ctx, fixedListener(lbARN, free))
	if err != nil {
		t.Fatalf("a free port: %v", err)
	}
	lARN := created.Listeners[0].ListenerArn
	unchanged(t, env, func() {
		_, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: lARN, Port: aws.Int32(int32(held))})
		apitest.WantError(t, err, "InvalidConfigurationRequest", heldMsg, http.StatusBadRequest)
	})

	// The data plane binds the listener's port: asking for the same listener again, or
	// changing something else, must not trip over it.
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(free))
	if err != nil {
		t.Skipf("port %d was taken meanwhile: %v", free, err)
	}
	defer ln.Close()
	if _, err := env.ELBV2.CreateListener(ctx, fixedListener(lbARN, free)); err != nil {
		t.Fatalf("CreateListener again for the listener that holds the port: %v", err)
	}
	if _, err := env.ELBV2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: lARN, Port: aws.Int32(int32(free)),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("204")}}}}); err != nil {
		t.Fatalf("ModifyListener keeping the port it holds: %v", err)
	}
}
