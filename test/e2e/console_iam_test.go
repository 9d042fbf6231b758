package e2e

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
)

// TestConsoleFollowsIAMPolicies signs into the console with an IAM user's access key whose
// policy allows reading ECS only: the clusters page shows, the target groups page and the
// create-cluster form are refused with AWS's AccessDenied message naming the IAM action, and
// nothing is created. The console decides as the API does, from the same policies.
func TestConsoleFollowsIAMPolicies(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	s.awsJSON(t, "iam", "create-user", "--user-name", "viewer")
	r := s.aws(t, nil, "iam", "put-user-policy", "--user-name", "viewer", "--policy-name", "read-ecs", "--policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecs:List*","ecs:Describe*"],"Resource":"*"}]}`)
	if r.err != nil {
		t.Fatalf("put-user-policy: %v\n%s", r.err, r.stderr)
	}
	key := s.awsJSON(t, "iam", "create-access-key", "--user-name", "viewer")
	id, _ := get(key, "AccessKey", "AccessKeyId").(string)
	secret, _ := get(key, "AccessKey", "SecretAccessKey").(string)

	c := newFormClient(t, s.endpoint())
	if resp, _ := c.post("/signin", map[string]string{"accessKeyId": id, "secretAccessKey": secret}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as viewer: status %d", resp.StatusCode)
	}
	if resp, body := c.get("/"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Clusters") {
		t.Fatalf("clusters page for viewer: status %d", resp.StatusCode)
	}
	resp, body := c.get("/target-groups")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "elasticloadbalancing:DescribeTargetGroups") || !strings.Contains(body, "(AccessDenied)") {
		t.Fatalf("target groups page for viewer: status %d:\n%s", resp.StatusCode, body)
	}
	resp, body = c.post("/clusters", map[string]string{"clusterName": "nope", "csrf": c.csrf(t, "/")})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "ecs:CreateCluster") {
		t.Fatalf("create cluster as viewer: status %d:\n%s", resp.StatusCode, body)
	}
	clusters := s.awsJSON(t, "ecs", "describe-clusters", "--clusters", "nope")
	if got, _ := get(clusters, "clusters").([]any); len(got) != 0 {
		t.Fatalf("a refused console action created a cluster: %v", clusters)
	}
}

// formClient is a browser without a browser: cookies, no redirects followed, multipart forms.
type formClient struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newFormClient(t *testing.T, base string) *formClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &formClient{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (f *formClient) get(path string) (*http.Response, string) {
	f.t.Helper()
	resp, err := f.c.Get(f.base + path)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, f.read(resp)
}

func (f *formClient) post(path string, fields map[string]string) (*http.Response, string) {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.Close()
	resp, err := f.c.Post(f.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, f.read(resp)
}

func (f *formClient) read(resp *http.Response) string {
	f.t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	return string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the session's CSRF token from the page at path.
func (f *formClient) csrf(t *testing.T, path string) string {
	t.Helper()
	_, body := f.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}
