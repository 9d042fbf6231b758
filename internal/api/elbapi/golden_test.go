package elbapi_test

import (
	"context"
	"errors"
	"flag"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// counter is a deterministic source of ids: bytes 0, 1, 2, ...
type counter struct{ n byte }

func (c *counter) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = c.n
		c.n++
	}
	return len(p), nil
}

// goldenService is the ELBv2 service with a fixed clock and deterministic ids.
func goldenService(t testing.TB) awsproto.Service {
	t.Helper()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	now := func() time.Time { return time.Date(2025, 6, 1, 12, 30, 45, 123456789, time.UTC) }
	scope := arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	return elbapi.New(store.New(mem), scope, now, elbapi.Config{Random: &counter{}}).Service()
}

// call runs op with the form query and returns the XML response as the front door writes it.
func call(t *testing.T, svc awsproto.Service, op, query string) string {
	t.Helper()
	form, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	out, err := svc.Operations[op](context.Background(), awsproto.Request{Form: form})
	if err != nil {
		var aerr *awsproto.Error
		if !errors.As(err, &aerr) {
			aerr = svc.ErrorFor(op, err)
		}
		awsproto.WriteXMLError(rec, svc.XMLNamespace, "req-1", aerr)
	} else if err := awsproto.WriteXML(rec, svc.XMLNamespace, op, "req-1", out); err != nil {
		t.Fatal(err)
	}
	return rec.Body.String()
}

// TestGoldenXML pins the exact wire shape of responses: list members with <member> and empty
// lists as empty elements, Rule.Priority as a string, ISO 8601 timestamps, and the error
// envelope.
func TestGoldenXML(t *testing.T) {
	const (
		lb = "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Aloadbalancer%2Fapp%2Fweb%2F0001020304050607"
		tg = "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Atargetgroup%2Fblue%2F08090a0b0c0d0e0f"
		l  = "arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Alistener%2Fapp%2Fweb%2F0001020304050607%2F1011121314151617"
	)
	svc := goldenService(t)
	steps := []struct{ name, op, query string }{
		{"create-load-balancer", "CreateLoadBalancer", "Name=web&Subnets.member.1=subnet-a&SecurityGroups="},
		{"create-target-group", "CreateTargetGroup", "Name=blue&Protocol=HTTP&Port=80&VpcId=vpc-1"},
		{"create-listener", "CreateListener", "LoadBalancerArn=" + lb + "&Protocol=HTTP&Port=80&DefaultActions.member.1.Type=forward&DefaultActions.member.1.TargetGroupArn=" + tg},
		{"create-rule", "CreateRule", "ListenerArn=" + l + "&Priority=10&Conditions.member.1.Field=path-pattern&Conditions.member.1.Values.member.1=%2Fapi%2F%2A" +
			"&Conditions.member.2.Field=http-header&Conditions.member.2.HttpHeaderConfig.HttpHeaderName=X-Canary&Conditions.member.2.HttpHeaderConfig.Values.member.1=true" +
			"&Actions.member.1.Type=fixed-response&Actions.member.1.FixedResponseConfig.StatusCode=503"},
		{"describe-rules", "DescribeRules", "ListenerArn=" + l},
		{"describe-target-groups", "DescribeTargetGroups", ""},
		{"describe-target-health", "DescribeTargetHealth", "TargetGroupArn=" + tg},
		{"delete-target-group-in-use", "DeleteTargetGroup", "TargetGroupArn=" + tg},
	}
	for _, s := range steps {
		got := call(t, svc, s.op, s.query)
		path := filepath.Join("testdata", s.name+".xml")
		if *updateGolden {
			if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got != strings.TrimSuffix(string(want), "\n") {
			t.Errorf("%s:\ngot  %s\nwant %s", s.name, got, want)
		}
	}
}
