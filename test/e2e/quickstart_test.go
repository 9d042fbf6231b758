package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestQuickstart runs the README's quickstart with the aws CLI against the built binary, then
// restarts the server on the same data dir and checks that everything is still there.
func TestQuickstart(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	s := startServer(t, dataDir)
	taskDef, err := filepath.Abs("testdata/task-definition.json")
	if err != nil {
		t.Fatal(err)
	}

	created := s.awsJSON(t, "ecs", "create-cluster", "--cluster-name", "demo")
	if got := get(created, "cluster", "clusterArn"); got != "arn:aws:ecs:us-east-1:000000000000:cluster/demo" {
		t.Fatalf("clusterArn = %v", got)
	}
	reg := s.awsJSON(t, "ecs", "register-task-definition", "--cli-input-json", "file://"+taskDef)
	if got := get(reg, "taskDefinition", "taskDefinitionArn"); got != "arn:aws:ecs:us-east-1:000000000000:task-definition/hello:1" {
		t.Fatalf("taskDefinitionArn = %v", got)
	}
	desc := s.awsJSON(t, "ecs", "describe-task-definition", "--task-definition", "hello")
	for path, want := range map[string]any{
		"family":      "hello",
		"revision":    float64(1),
		"status":      "ACTIVE",
		"networkMode": "awsvpc",
		"cpu":         "256",
		"memory":      "512",
	} {
		if got := get(desc, "taskDefinition", path); got != want {
			t.Errorf("taskDefinition.%s = %v, want %v", path, got, want)
		}
	}
	if got := get(desc, "taskDefinition", "containerDefinitions", 0, "image"); got != "127.0.0.1:4566/hello:latest" {
		t.Errorf("image = %v", got)
	}

	s.stop(t)
	s = startServer(t, dataDir)
	list := s.awsJSON(t, "ecs", "list-clusters")
	if got := get(list, "clusterArns", 0); got != "arn:aws:ecs:us-east-1:000000000000:cluster/demo" {
		t.Fatalf("after restart, clusterArns = %v", get(list, "clusterArns"))
	}
	desc = s.awsJSON(t, "ecs", "describe-task-definition", "--task-definition", "hello:1")
	if got := get(desc, "taskDefinition", "revision"); got != float64(1) {
		t.Fatalf("after restart, revision = %v", got)
	}
}

// TestBadCredentialsChangeNothing sends a create-cluster with a wrong secret and an unknown key
// and checks the AWS error codes and that no cluster appeared.
func TestBadCredentialsChangeNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	cases := []struct {
		name string
		env  []string
		code string
	}{
		{"wrong secret", []string{"AWS_SECRET_ACCESS_KEY=" + strings.Repeat("x", 40)}, "InvalidSignatureException"},
		{"unknown key", []string{"AWS_ACCESS_KEY_ID=AKIAUNKNOWNUNKNOWN00"}, "UnrecognizedClientException"},
	}
	for _, tc := range cases {
		r := s.aws(t, tc.env, "ecs", "create-cluster", "--cluster-name", "evil")
		if r.err == nil || !strings.Contains(r.stderr, tc.code) {
			t.Errorf("%s: err=%v stderr=%q, want %s", tc.name, r.err, r.stderr, tc.code)
		}
	}
	desc := s.awsJSON(t, "ecs", "describe-clusters", "--clusters", "evil")
	if got := get(desc, "failures", 0, "reason"); got != "MISSING" {
		t.Fatalf("cluster evil exists after rejected calls: %v", desc)
	}
}

// TestCredentialsRotate rotates the key of a running server: the old key stops working and the
// new one works without a restart.
func TestCredentialsRotate(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	s.awsJSON(t, "ecs", "list-clusters")
	old := s.env
	if out, err := runCmd(s.bin, "credentials", "rotate", "--data-dir", s.dataDir); err != nil {
		t.Fatalf("rotate: %v\n%s", err, out)
	}
	if r := s.aws(t, nil, "ecs", "list-clusters"); r.err == nil || !strings.Contains(r.stderr, "UnrecognizedClientException") {
		t.Fatalf("old key still works: %v %s", r.err, r.stderr)
	}
	s.env = s.fargoEnv(t)
	if slices.Equal(old, s.env) {
		t.Fatal("fargo env prints the old key")
	}
	s.awsJSON(t, "ecs", "list-clusters")
	st, err := os.Stat(filepath.Join(s.dataDir, "credentials.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials mode %v, %v", st.Mode().Perm(), err)
	}
}
