package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// awsIn runs the aws CLI signing for region (AWS_DEFAULT_REGION, as a user of that region sets
// it, and AWS_REGION, which `fargo env` sets to the home region) and returns its result.
func (s *server) awsIn(t *testing.T, region string, args ...string) awsResult {
	t.Helper()
	return s.aws(t, []string{"AWS_REGION=" + region, "AWS_DEFAULT_REGION=" + region}, args...)
}

// awsJSONIn runs the aws CLI signing for region, fails the test on error and decodes the output.
func (s *server) awsJSONIn(t *testing.T, region string, args ...string) map[string]any {
	t.Helper()
	r := s.awsIn(t, region, args...)
	if r.err != nil {
		t.Fatalf("aws %s (%s): %v\n%s\nserver log:\n%s", strings.Join(args, " "), region, r.err, r.stderr, s.logs)
	}
	var out map[string]any
	if strings.TrimSpace(r.stdout) != "" {
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("aws %s: bad JSON %q", strings.Join(args, " "), r.stdout)
		}
	}
	return out
}

// TestRegions runs the seed's service behind a load balancer in ap-northeast-2, where its
// users sit, and gets traffic through its listener while a us-east-1 listener on another port
// serves too; a region outside --regions is refused with AWS's error.
func TestRegions(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir(), "--regions", "us-east-1,ap-northeast-2")
	const seoul = "ap-northeast-2"
	hello, _ := filepath.Abs("../../examples/hello/task-definition.json")
	port, homePort := freePort(t), freePort(t)

	s.awsJSONIn(t, seoul, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSONIn(t, seoul, "ecs", "register-task-definition", "--cli-input-json", "file://"+hello)
	tg := s.awsJSONIn(t, seoul, "elbv2", "create-target-group", "--name", "blue", "--protocol", "HTTP", "--port", "80",
		"--target-type", "ip", "--vpc-id", "vpc-local", "--health-check-path", "/health",
		"--health-check-interval-seconds", "5", "--healthy-threshold-count", "2")
	tgARN, _ := get(tg, "TargetGroups", 0, "TargetGroupArn").(string)
	alb := s.awsJSONIn(t, seoul, "elbv2", "create-load-balancer", "--name", "demo-alb", "--subnets", "subnet-a", "subnet-b")
	albARN, _ := get(alb, "LoadBalancers", 0, "LoadBalancerArn").(string)
	if !strings.HasPrefix(tgARN, "arn:aws:elasticloadbalancing:"+seoul+":") || !strings.HasPrefix(albARN, "arn:aws:elasticloadbalancing:"+seoul+":") {
		t.Fatalf("ARNs not of %s: %q %q", seoul, tgARN, albARN)
	}
	s.awsJSONIn(t, seoul, "elbv2", "create-listener", "--load-balancer-arn", albARN, "--protocol", "HTTP", "--port", fmt.Sprint(port),
		"--default-actions", "Type=forward,TargetGroupArn="+tgARN)
	svc := s.awsJSONIn(t, seoul, "ecs", "create-service", "--cluster", "demo", "--service-name", "web", "--task-definition", "hello",
		"--desired-count", "1", "--load-balancers", "targetGroupArn="+tgARN+",containerName=web,containerPort=8080")
	if arn, _ := get(svc, "service", "serviceArn").(string); arn != "arn:aws:ecs:"+seoul+":000000000000:service/demo/web" {
		t.Fatalf("service ARN %q", arn)
	}
	if r := s.awsIn(t, seoul, "ecs", "wait", "services-stable", "--cluster", "demo", "--services", "web"); r.err != nil {
		t.Fatalf("services-stable: %v\n%s\nserver log:\n%s", r.err, r.stderr, s.logs)
	}
	if r := s.awsIn(t, seoul, "elbv2", "wait", "target-in-service", "--target-group-arn", tgARN); r.err != nil {
		t.Fatalf("target-in-service: %v\n%s", r.err, r.stderr)
	}

	// us-east-1 has a load balancer of the same name, on another port, and none of Seoul's.
	home := s.awsJSONIn(t, "us-east-1", "elbv2", "create-load-balancer", "--name", "demo-alb", "--subnets", "subnet-a", "subnet-b")
	homeARN, _ := get(home, "LoadBalancers", 0, "LoadBalancerArn").(string)
	s.awsJSONIn(t, "us-east-1", "elbv2", "create-listener", "--load-balancer-arn", homeARN, "--protocol", "HTTP", "--port", fmt.Sprint(homePort),
		"--default-actions", "Type=fixed-response,FixedResponseConfig={StatusCode=200,MessageBody=home}")
	if clusters := s.awsJSONIn(t, "us-east-1", "ecs", "list-clusters"); len(get(clusters, "clusterArns").([]any)) != 0 {
		t.Fatalf("us-east-1 lists %v", clusters)
	}

	for range 10 {
		if body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/", port)); !strings.HasPrefix(body, "hello from v1") {
			t.Fatalf("through %s's listener: %q", seoul, body)
		}
	}
	if body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/", homePort)); body != "home" {
		t.Fatalf("through us-east-1's listener: %q", body)
	}

	r := s.awsIn(t, "eu-west-1", "ecs", "create-cluster", "--cluster-name", "refused")
	if r.err == nil || !strings.Contains(r.stderr, "UnrecognizedClientException") {
		t.Fatalf("eu-west-1 outside --regions: %v\n%s", r.err, r.stderr)
	}
}
