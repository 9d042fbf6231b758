package e2e

import (
	"os/exec"
	"strings"
	"testing"
)

// TestIAMEnforcedWithAWSCLI mirrors the least-privilege check with the aws CLI: a read-only
// user describes but cannot create, a scoped CI key updates its service only, denied calls
// change nothing, a malformed policy is refused, and `fargo audit` shows the denials.
func TestIAMEnforcedWithAWSCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "other")
	s.awsJSON(t, "ecs", "register-task-definition", "--family", "hello",
		"--container-definitions", `[{"name":"web","image":"hello","memory":64,"essential":true}]`)
	for _, c := range []string{"demo", "other"} {
		s.awsJSON(t, "ecs", "create-service", "--cluster", c, "--service-name", "web", "--task-definition", "hello", "--desired-count", "0")
	}
	key := func(user string) []string {
		k := s.awsJSON(t, "iam", "create-access-key", "--user-name", user)
		id, _ := get(k, "AccessKey", "AccessKeyId").(string)
		secret, _ := get(k, "AccessKey", "SecretAccessKey").(string)
		env := []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret}
		waitFor(t, user+"'s key works", func() bool {
			return s.aws(t, env, "sts", "get-caller-identity").err == nil
		})
		return env
	}

	s.awsJSON(t, "iam", "create-user", "--user-name", "reader")
	s.awsJSON(t, "iam", "attach-user-policy", "--user-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	reader := key("reader")
	if r := s.aws(t, reader, "ecs", "describe-clusters", "--clusters", "demo"); r.err != nil {
		t.Fatalf("read-only user cannot describe: %s", r.stderr)
	}
	r := s.aws(t, reader, "ecs", "create-cluster", "--cluster-name", "sneaky")
	if r.err == nil || !strings.Contains(r.stderr, "AccessDeniedException") ||
		!strings.Contains(r.stderr, "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: ecs:CreateCluster on resource: arn:aws:ecs:us-east-1:000000000000:cluster/sneaky") {
		t.Fatalf("read-only user creating a cluster: %v %s", r.err, r.stderr)
	}
	if n := get(s.awsJSON(t, "ecs", "describe-clusters", "--clusters", "sneaky"), "clusters"); n != nil && len(n.([]any)) != 0 {
		t.Fatalf("a denied call created a cluster: %v", n)
	}

	s.awsJSON(t, "iam", "create-user", "--user-name", "ci")
	s.awsJSON(t, "iam", "put-user-policy", "--user-name", "ci", "--policy-name", "deploy", "--policy-document", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:DescribeTaskDefinition","ecs:DescribeServices"],"Resource":"*"},
 {"Effect":"Allow","Action":["ecs:UpdateService"],"Resource":"arn:aws:ecs:us-east-1:000000000000:service/demo/web"}]}`)
	ci := key("ci")
	if r := s.aws(t, ci, "ecs", "update-service", "--cluster", "demo", "--service", "web", "--desired-count", "0"); r.err != nil {
		t.Fatalf("scoped CI key cannot update its service: %s", r.stderr)
	}
	for _, args := range [][]string{
		{"ecs", "update-service", "--cluster", "other", "--service", "web", "--desired-count", "2"},
		{"ecs", "delete-cluster", "--cluster", "other"},
		{"iam", "create-user", "--user-name", "evil"},
	} {
		r := s.aws(t, ci, args...)
		if r.err == nil || !strings.Contains(r.stderr, "AccessDenied") {
			t.Errorf("CI key: aws %s: %v %s", strings.Join(args, " "), r.err, r.stderr)
		}
	}
	if got := get(s.awsJSON(t, "ecs", "describe-services", "--cluster", "other", "--services", "web"), "services", 0, "desiredCount"); got != float64(0) {
		t.Errorf("a denied update changed the service: desiredCount %v", got)
	}
	// The simulator agrees with what enforcement just did, and fargo iam explain says it in words.
	sim := s.awsJSON(t, "iam", "simulate-principal-policy", "--policy-source-arn", "arn:aws:iam::000000000000:user/ci",
		"--action-names", "ecs:UpdateService", "--resource-arns",
		"arn:aws:ecs:us-east-1:000000000000:service/demo/web", "arn:aws:ecs:us-east-1:000000000000:service/other/web")
	if a, d := get(sim, "EvaluationResults", 0, "EvalDecision"), get(sim, "EvaluationResults", 1, "EvalDecision"); a != "allowed" || d != "implicitDeny" {
		t.Errorf("simulate-principal-policy: demo/web %v (allowed by the call above), other/web %v (denied by the call above)", a, d)
	}
	if id := get(sim, "EvaluationResults", 0, "MatchedStatements", 0, "SourcePolicyId"); id != "deploy" {
		t.Errorf("the allowed result's statement is of policy %v, want deploy", id)
	}
	out, err := exec.Command(s.bin, "iam", "explain", "--data-dir", dir, "--user", "ci", "ecs:UpdateService", "arn:aws:ecs:us-east-1:000000000000:service/demo/web").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ALLOWED") || !strings.Contains(string(out), `"Resource":"arn:aws:ecs:us-east-1:000000000000:service/demo/web"`) {
		t.Errorf("fargo iam explain: %v\n%s", err, out)
	}
	r = s.aws(t, nil, "iam", "put-user-policy", "--user-name", "ci", "--policy-name", "bad", "--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*"`)
	if r.err == nil || !strings.Contains(r.stderr, "MalformedPolicyDocument") {
		t.Errorf("malformed policy: %v %s", r.err, r.stderr)
	}

	waitFor(t, "fargo audit shows the CI key's denied UpdateService", func() bool {
		out, err := exec.Command(s.bin, "audit", "--data-dir", dir, "--user", "ci", "--operation", "ecs:UpdateService").Output()
		return err == nil && strings.Contains(string(out), `"allowed":false`) && strings.Contains(string(out), `"allowed":true`) &&
			strings.Contains(string(out), `"errorCode":"AccessDeniedException"`)
	})
}
