package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoadBalancedService runs the seed's first steps with the aws CLI: a target group, an
// application load balancer and a listener, then a service whose tasks register in the target
// group. Requests through the listener reach both tasks; scaling the service in under load
// drains the removed task without a failed request.
func TestLoadBalancedService(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	hello, _ := filepath.Abs("../../examples/hello/task-definition.json")
	port := freePort(t)
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+hello)
	tg := s.awsJSON(t, "elbv2", "create-target-group", "--name", "blue", "--protocol", "HTTP", "--port", "80",
		"--target-type", "ip", "--vpc-id", "vpc-local", "--health-check-path", "/health",
		"--health-check-interval-seconds", "5", "--healthy-threshold-count", "2")
	tgARN, _ := get(tg, "TargetGroups", 0, "TargetGroupArn").(string)
	alb := s.awsJSON(t, "elbv2", "create-load-balancer", "--name", "demo-alb", "--type", "application", "--subnets", "subnet-a", "subnet-b")
	albARN, _ := get(alb, "LoadBalancers", 0, "LoadBalancerArn").(string)
	if tgARN == "" || albARN == "" {
		t.Fatalf("create: %v %v", tg, alb)
	}
	s.awsOK(t, "elbv2", "wait", "load-balancer-available", "--load-balancer-arns", albARN)
	s.awsJSON(t, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", "Type=forward,TargetGroupArn="+tgARN)
	s.awsJSON(t, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "hello",
		"--desired-count", "2", "--health-check-grace-period-seconds", "10",
		"--load-balancers", "targetGroupArn="+tgARN+",containerName=web,containerPort=8080")
	s.awsOK(t, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")
	s.awsOK(t, "elbv2", "wait", "target-in-service", "--target-group-arn", tgARN)
	health := s.awsJSON(t, "elbv2", "describe-target-health", "--target-group-arn", tgARN)
	if descs, _ := get(health, "TargetHealthDescriptions").([]any); len(descs) != 2 {
		t.Fatalf("describe-target-health: %v", health)
	}

	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	pids := map[string]bool{}
	for range 40 {
		body := httpGet(t, url)
		_, pid, ok := strings.Cut(body, "pid ")
		if !strings.HasPrefix(body, "hello from v1") || !ok {
			t.Fatalf("through the listener: %q", body)
		}
		pids[pid] = true
	}
	if len(pids) != 2 {
		t.Fatalf("requests reached %d tasks, want 2: %v", len(pids), pids)
	}

	failures, total := loadWhile(t, url, func() {
		s.awsJSON(t, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--desired-count", "1")
		s.awsOK(t, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web")
		waitTargets(t, s, tgARN, 1)
	})
	if failures != 0 || total == 0 {
		t.Fatalf("%d of %d requests failed while a task drained", failures, total)
	}
	t.Logf("%d requests during scale-in, 0 failed", total)

	// fargo deploy with load on the listener: the deployment completes, no request fails, and
	// the summary gives the load balancer's counts per revision.
	out := s.fargo(t, "deploy", "--cluster", "demo", "--service", "web", "--task-definition", hello,
		"--env", "VERSION=v2", "--verify-url", url)
	for _, want := range []string{"deployment completed", "0 failed", "load balancer during the deployment:"} {
		if !strings.Contains(out, want) {
			t.Fatalf("fargo deploy output lacks %q:\n%s", want, out)
		}
	}
	if body := httpGet(t, url); !strings.HasPrefix(body, "hello from v2") {
		t.Fatalf("after fargo deploy: %q", body)
	}
	s.awsJSON(t, "ecs", "delete-service", "--cluster", "demo", "--service", "web", "--force")
	s.awsOK(t, "ecs", "wait", "services-inactive", "--cluster", "demo", "--services", "web")
}

// loadWhile sends requests with fresh connections (no client retries) from 4 goroutines while
// fn runs, and returns how many failed (non-200 or transport error) and how many were sent.
func loadWhile(t *testing.T, url string, fn func()) (failed, total int64) {
	t.Helper()
	var stop atomic.Bool
	var wg sync.WaitGroup
	var nFail, nTotal atomic.Int64
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				nTotal.Add(1)
				resp, err := client.Get(url)
				if err != nil {
					nFail.Add(1)
					t.Logf("request failed: %v", err)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					nFail.Add(1)
					t.Logf("request got %d", resp.StatusCode)
				}
			}
		})
	}
	fn()
	stop.Store(true)
	wg.Wait()
	return nFail.Load(), nTotal.Load()
}

func waitTargets(t *testing.T, s *server, tgARN string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		health := s.awsJSON(t, "elbv2", "describe-target-health", "--target-group-arn", tgARN)
		descs, _ := get(health, "TargetHealthDescriptions").([]any)
		if len(descs) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("target group has %d targets, want %d: %v", len(descs), n, health)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
