package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/store"
)

// rows returns the lines of out with runs of blanks collapsed to one space.
func rows(out string) []string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return lines
}

func TestPs(t *testing.T) {
	t.Parallel()
	srv := demo(t)
	now := func() time.Time { return t0.Add(5 * time.Minute) }
	tests := []struct {
		name    string
		opts    psOptions
		want    []string
		notWant []string
	}{
		{
			name: "every cluster",
			opts: psOptions{output: "table"},
			want: []string{
				"CLUSTER SERVICE STATUS DESIRED RUNNING PENDING DEPLOYMENTS",
				"demo web ACTIVE 2 1 0 PRIMARY web:1 1/2 IN_PROGRESS",
				"CLUSTER TASK SERVICE/GROUP LAST DESIRED HEALTH PORTS AGE",
				"demo aaaaaaaa web RUNNING RUNNING HEALTHY 127.0.0.1:32768->80/tcp 5m",
				"other cccccccc family:batch RUNNING RUNNING UNKNOWN - 3h",
			},
			notWant: []string{"bbbbbbbb"},
		},
		{
			name:    "one cluster",
			opts:    psOptions{output: "table", cluster: "other"},
			want:    []string{"other cccccccc family:batch RUNNING RUNNING UNKNOWN - 3h"},
			notWant: []string{"demo", "SERVICE STATUS"},
		},
		{
			name: "stopped tasks too",
			opts: psOptions{output: "table", cluster: "demo", all: true},
			want: []string{"demo bbbbbbbb web STOPPED STOPPED UNKNOWN - 1h", "demo aaaaaaaa web RUNNING"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := runPs(logsapitest.Context(t), tt.opts, srv.clients, &out, now); err != nil {
				t.Fatal(err)
			}
			got := strings.Join(rows(out.String()), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("output has %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestPsJSON(t *testing.T) {
	t.Parallel()
	srv := demo(t)
	var out bytes.Buffer
	if err := runPs(logsapitest.Context(t), psOptions{output: "json", cluster: "demo"}, srv.clients, &out, time.Now); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Clusters []struct {
			Cluster  string
			Services []struct{ ServiceName string }
			Tasks    []struct{ TaskArn string }
		}
		LoadBalancers []any
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := doc.Clusters
	if len(got) != 1 || got[0].Cluster != "demo" || len(got[0].Services) != 1 || got[0].Services[0].ServiceName != "web" ||
		len(got[0].Tasks) != 1 || !strings.HasSuffix(got[0].Tasks[0].TaskArn, taskA) || doc.LoadBalancers == nil {
		t.Fatalf("%+v", doc)
	}
}

func TestPsErrors(t *testing.T) {
	t.Parallel()
	srv := demo(t)
	ctx := logsapitest.Context(t)
	if err := runPs(ctx, psOptions{output: "yaml"}, srv.clients, &bytes.Buffer{}, time.Now); err == nil {
		t.Fatal("-o yaml accepted")
	}
	if err := runPs(ctx, psOptions{output: "table", cluster: "ghost"}, srv.clients, &bytes.Buffer{}, time.Now); err == nil {
		t.Fatal("unknown cluster accepted")
	}
}

func TestPsEmpty(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var out bytes.Buffer
	if err := runPs(logsapitest.Context(t), psOptions{output: "table"}, srv.clients, &out, time.Now); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(out.String()); got != "no services or tasks" {
		t.Fatalf("output %q", got)
	}
}

// TestPsDeployments checks the DEPLOYMENTS column: deployments, or task sets for services of
// the EXTERNAL and CODE_DEPLOY controllers.
func TestPsDeployments(t *testing.T) {
	td := func(n string) *string {
		return aws.String("arn:aws:ecs:us-east-1:000000000000:task-definition/web:" + n)
	}
	for _, tc := range []struct {
		svc  ecstypes.Service
		want string
	}{
		{ecstypes.Service{}, "-"},
		{ecstypes.Service{Deployments: []ecstypes.Deployment{
			{Status: aws.String("PRIMARY"), TaskDefinition: td("3"), RunningCount: 1, DesiredCount: 2, RolloutState: ecstypes.DeploymentRolloutStateInProgress},
			{Status: aws.String("ACTIVE"), TaskDefinition: td("2"), RunningCount: 1, DesiredCount: 1},
		}}, "PRIMARY web:3 1/2 IN_PROGRESS, ACTIVE web:2 1/1"},
		{ecstypes.Service{TaskSets: []ecstypes.TaskSet{
			{Status: aws.String("PRIMARY"), TaskDefinition: td("2"), RunningCount: 2, ComputedDesiredCount: 2, StabilityStatus: ecstypes.StabilityStatusSteadyState},
			{Status: aws.String("ACTIVE"), TaskDefinition: td("3"), RunningCount: 1, ComputedDesiredCount: 2, StabilityStatus: ecstypes.StabilityStatusStabilizing},
		}}, "PRIMARY web:2 2/2 STEADY_STATE, ACTIVE web:3 1/2 STABILIZING"},
	} {
		if got := deployments(tc.svc); got != tc.want {
			t.Errorf("deployments = %q, want %q", got, tc.want)
		}
	}
}

// TestPsFailedListener checks that `fargo ps` shows a load balancer whose listener the data
// plane cannot serve as failed, with the reason, next to a healthy one.
func TestPsFailedListener(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	ctx := logsapitest.Context(t)
	listenerOn := func(name string, port int32) string {
		t.Helper()
		lb, err := srv.clients.elb.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{Name: aws.String(name), Subnets: []string{"a", "b"}})
		if err != nil {
			t.Fatal(err)
		}
		l, err := srv.clients.elb.CreateListener(ctx, &elbsdk.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
			Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(port), DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse,
				FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200")}}}})
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(l.Listeners[0].ListenerArn)
	}
	listenerOn("fine", 18090)
	ref, err := elb.ParseListenerARN(listenerOn("taken", 18091))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store.Listeners.Update(ctx, store.ListenerID(ref), func(l *elb.Listener) error {
		l.Failure = "listen tcp 127.0.0.1:18091: bind: address already in use"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runPs(ctx, psOptions{output: "table"}, srv.clients, &out, time.Now); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(rows(out.String()), "\n")
	for _, want := range []string{
		"LOAD BALANCER STATE LISTENERS REASON",
		"fine active HTTP:18090 -",
		"taken failed HTTP:18091 listener HTTP:18091 cannot serve: listen tcp 127.0.0.1:18091: bind: address already in use",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
