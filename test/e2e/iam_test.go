package e2e

import (
	"strings"
	"testing"
	"time"
)

// TestIAMUserWithAWSCLI gives a CI user a key and a managed policy with the aws CLI, signs
// with the new key, and retires it, as a team hands a key to its GitHub workflow.
func TestIAMUserWithAWSCLI(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	const ecrFull = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"
	user := s.awsJSON(t, "iam", "create-user", "--user-name", "ci")
	if got := get(user, "User", "Arn"); got != "arn:aws:iam::000000000000:user/ci" {
		t.Fatalf("user Arn = %v", got)
	}
	key := s.awsJSON(t, "iam", "create-access-key", "--user-name", "ci")
	id, _ := get(key, "AccessKey", "AccessKeyId").(string)
	secret, _ := get(key, "AccessKey", "SecretAccessKey").(string)
	if !strings.HasPrefix(id, "AKIA") || len(secret) != 40 {
		t.Fatalf("access key %v", key)
	}
	s.awsJSON(t, "iam", "attach-user-policy", "--user-name", "ci", "--policy-arn", ecrFull)
	attached := s.awsJSON(t, "iam", "list-attached-user-policies", "--user-name", "ci")
	if get(attached, "AttachedPolicies", 0, "PolicyName") != "AmazonEC2ContainerRegistryFullAccess" || get(attached, "AttachedPolicies", 0, "PolicyArn") != ecrFull {
		t.Fatalf("attached %v", attached)
	}
	// The CLI decodes the URL-encoded document IAM answers into JSON.
	s.awsJSON(t, "iam", "put-user-policy", "--user-name", "ci", "--policy-name", "read",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}`)
	inline := s.awsJSON(t, "iam", "get-user-policy", "--user-name", "ci", "--policy-name", "read")
	if get(inline, "PolicyDocument", "Statement", 0, "Action") != "ecs:Describe*" {
		t.Fatalf("inline policy %v", inline)
	}

	asCI := []string{"AWS_ACCESS_KEY_ID=" + id, "AWS_SECRET_ACCESS_KEY=" + secret}
	callerARN := func() (string, string) {
		r := s.aws(t, asCI, "sts", "get-caller-identity")
		if r.err != nil {
			return "", r.stderr
		}
		return r.stdout, ""
	}
	waitFor(t, "the new key signs as the user", func() bool {
		out, _ := callerARN()
		return strings.Contains(out, `"arn:aws:iam::000000000000:user/ci"`)
	})
	s.awsJSON(t, "iam", "update-access-key", "--user-name", "ci", "--access-key-id", id, "--status", "Inactive")
	waitFor(t, "the inactive key is refused", func() bool {
		_, stderr := callerARN()
		return strings.Contains(stderr, "InvalidClientTokenId")
	})
	last := s.awsJSON(t, "iam", "get-access-key-last-used", "--access-key-id", id)
	if get(last, "UserName") != "ci" {
		t.Fatalf("last used %v", last)
	}
}

// waitFor polls cond until it holds, for at most 20 s (each poll runs the aws CLI).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
