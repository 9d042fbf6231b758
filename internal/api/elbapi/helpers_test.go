package elbapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/store"
)

const arnPrefix = "arn:aws:elasticloadbalancing:us-east-1:000000000000:"

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return "not an API error: " + err.Error()
	}
	return ""
}

// wantCode fails the test unless err carries the ELBv2 error code want ("" for success).
func wantCode(t *testing.T, err error, want string) {
	t.Helper()
	if got := errorCode(err); got != want {
		t.Fatalf("error code %q, want %q (err: %v)", got, want, err)
	}
}

// snapshot lists every ELB object in the store as "id@revision" by collection, so a test can
// check that a failed call changed nothing.
func snapshot(t *testing.T, env *apitest.Env) map[string][]string {
	t.Helper()
	ctx := apitest.Context(t)
	st := env.Store
	lists := map[string]func() ([]string, error){
		"load balancers": func() ([]string, error) { return ids(st.LoadBalancers.List(ctx, "")) },
		"listeners":      func() ([]string, error) { return ids(st.Listeners.List(ctx, "")) },
		"ports":          func() ([]string, error) { return ids(st.ListenerPorts.List(ctx, "")) },
		"rules":          func() ([]string, error) { return ids(st.Rules.List(ctx, "")) },
		"target groups":  func() ([]string, error) { return ids(st.TargetGroups.List(ctx, "")) },
		"targets":        func() ([]string, error) { return ids(st.TargetRegistrations.List(ctx, "")) },
	}
	out := map[string][]string{}
	for name, list := range lists {
		got, err := list()
		if err != nil {
			t.Fatal(err)
		}
		out[name] = got
	}
	return out
}

func ids[T any](items []store.Item[T], _ int64, err error) ([]string, error) {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s@%d", it.ID, it.Revision))
	}
	return out, err
}

// unchanged runs calls that must fail and checks that the store is as before.
func unchanged(t *testing.T, env *apitest.Env, calls func()) {
	t.Helper()
	before := snapshot(t, env)
	calls()
	if diff := cmp.Diff(before, snapshot(t, env)); diff != "" {
		t.Fatalf("a failed call changed the store (-before +after):\n%s", diff)
	}
}

func createLB(t *testing.T, env *apitest.Env, name string) types.LoadBalancer {
	t.Helper()
	out, err := env.ELBV2.CreateLoadBalancer(apitest.Context(t), &elbv2.CreateLoadBalancerInput{
		Name: aws.String(name), Subnets: []string{"subnet-a", "subnet-b"}, SecurityGroups: []string{"sg-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.LoadBalancers[0]
}

func createTG(t *testing.T, env *apitest.Env, name string, mods ...func(*elbv2.CreateTargetGroupInput)) types.TargetGroup {
	t.Helper()
	in := &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String("vpc-1")}
	for _, m := range mods {
		m(in)
	}
	out, err := env.ELBV2.CreateTargetGroup(apitest.Context(t), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.TargetGroups[0]
}

func forward(tgARN string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tgARN)}}
}

func createListener(t *testing.T, env *apitest.Env, lbARN string, port int32, tgARN string) types.Listener {
	t.Helper()
	out, err := env.ELBV2.CreateListener(apitest.Context(t), &elbv2.CreateListenerInput{
		LoadBalancerArn: aws.String(lbARN), Protocol: types.ProtocolEnumHttp, Port: aws.Int32(port), DefaultActions: forward(tgARN),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Listeners[0]
}

func pathRule(path string) []types.RuleCondition {
	return []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{path}}}
}

func createRule(t *testing.T, env *apitest.Env, listenerARN string, priority int32, tgARN string) types.Rule {
	t.Helper()
	out, err := env.ELBV2.CreateRule(apitest.Context(t), &elbv2.CreateRuleInput{
		ListenerArn: aws.String(listenerARN), Priority: aws.Int32(priority),
		Conditions: pathRule(fmt.Sprintf("/p%d/*", priority)), Actions: forward(tgARN),
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Rules[0]
}

// rawQuery sends a hand-made ELBv2 Query request, signed as the SDKs sign it, and returns the
// status and body: for what the SDK refuses to send (missing required members) and for wire
// shapes.
func rawQuery(t *testing.T, env *apitest.Env, form url.Values) (int, string) {
	t.Helper()
	form.Set("Version", "2015-12-01")
	body := []byte(form.Encode())
	req, err := http.NewRequest(http.MethodPost, env.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	env.Sign(t, req, "elasticloadbalancing", body, time.Now())
	resp, b := apitest.Do(t, req)
	return resp.StatusCode, string(b)
}
