package daemon_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/daemon"
)

// enforceEnv is a running server with root clients, for the enforcement tests.
type enforceEnv struct {
	srv *daemon.Server
	dir string
	ecs *ecssdk.Client
	iam *iamsdk.Client
}

func newEnforceEnv(t *testing.T) *enforceEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	srv, ecsc := startServer(t, ctx, dir)
	t.Cleanup(func() { cancel(); _ = srv.Wait() })
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return &enforceEnv{srv: srv, dir: dir, ecs: ecsc, iam: iamsdk.NewFromConfig(apitest.Config(srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))}
}

// user creates an IAM user with the inline policy doc (and the managed policy arn, when set)
// and returns ECS and IAM clients signing with its new key, once the key works.
func (e *enforceEnv) user(t *testing.T, name, doc, managed string) (*ecssdk.Client, *iamsdk.Client) {
	t.Helper()
	cfg := e.userConfig(t, name, doc, managed)
	return ecssdk.NewFromConfig(cfg), iamsdk.NewFromConfig(cfg)
}

// userConfig is user's, returning the SDK configuration of the key.
func (e *enforceEnv) userConfig(t *testing.T, name, doc, managed string) aws.Config {
	t.Helper()
	ctx := context.Background()
	if _, err := e.iam.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	if doc != "" {
		if _, err := e.iam.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("p"), PolicyDocument: aws.String(doc)}); err != nil {
			t.Fatal(err)
		}
	}
	if managed != "" {
		if _, err := e.iam.AttachUserPolicy(ctx, &iamsdk.AttachUserPolicyInput{UserName: aws.String(name), PolicyArn: aws.String(managed)}); err != nil {
			t.Fatal(err)
		}
	}
	key, err := e.iam.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := apitest.Config(e.srv.Endpoint(), *key.AccessKey.AccessKeyId, *key.AccessKey.SecretAccessKey)
	ecsc := ecssdk.NewFromConfig(cfg)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := ecsc.ListClusters(ctx, &ecssdk.ListClustersInput{})
		if code := errorCode(err); code != "UnrecognizedClientException" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the key of %s never worked: %v", name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cfg
}

func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func (e *enforceEnv) cluster(t *testing.T, name string) {
	t.Helper()
	if _, err := e.ecs.CreateCluster(context.Background(), &ecssdk.CreateClusterInput{ClusterName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func (e *enforceEnv) clusters(t *testing.T, names ...string) int {
	t.Helper()
	out, err := e.ecs.DescribeClusters(context.Background(), &ecssdk.DescribeClustersInput{Clusters: names})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range out.Clusters {
		if aws.ToString(c.Status) == "ACTIVE" {
			n++
		}
	}
	return n
}

func TestReadOnlyUserCanDescribeButNotCreate(t *testing.T) {
	t.Parallel()
	e := newEnforceEnv(t)
	e.cluster(t, "demo")
	ecsc, _ := e.user(t, "reader", "", "arn:aws:iam::aws:policy/ReadOnlyAccess")
	ctx := context.Background()
	out, err := ecsc.DescribeClusters(ctx, &ecssdk.DescribeClustersInput{Clusters: []string{"demo"}})
	if err != nil || len(out.Clusters) != 1 {
		t.Fatalf("describe as reader: %v %v", out, err)
	}
	_, err = ecsc.CreateCluster(ctx, &ecssdk.CreateClusterInput{ClusterName: aws.String("sneaky")})
	if errorCode(err) != "AccessDeniedException" {
		t.Fatalf("create as reader: %v", err)
	}
	want := "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: ecs:CreateCluster on resource: arn:aws:ecs:us-east-1:000000000000:cluster/sneaky because no identity-based policy allows the ecs:CreateCluster action"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %v, want %q", err, want)
	}
	if n := e.clusters(t, "sneaky"); n != 0 {
		t.Fatalf("a denied call created a cluster")
	}
}

// ciPolicy is the least-privilege deploy policy of the seed, scoped to one service.
const ciPolicy = `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:DescribeTaskDefinition","ecs:DescribeServices"],"Resource":"*"},
 {"Effect":"Allow","Action":["ecs:UpdateService"],"Resource":"arn:aws:ecs:us-east-1:000000000000:service/demo/web"},
 {"Effect":"Allow","Action":["iam:PassRole"],"Resource":"arn:aws:iam::000000000000:role/web-task"},
 {"Effect":"Deny","Action":["ecs:UpdateService"],"Resource":"arn:aws:ecs:us-east-1:000000000000:service/demo/frozen"},
 {"Effect":"Allow","Action":["ecs:UpdateService"],"Resource":"arn:aws:ecs:us-east-1:000000000000:service/demo/frozen"}]}`

func TestScopedCIPolicy(t *testing.T) {
	t.Parallel()
	e := newEnforceEnv(t)
	ctx := context.Background()
	e.cluster(t, "demo")
	e.cluster(t, "other")
	if _, err := e.ecs.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
		Family: aws.String("web"), ContainerDefinitions: testContainers(),
	}); err != nil {
		t.Fatal(err)
	}
	for _, s := range [][2]string{{"demo", "web"}, {"other", "web"}, {"demo", "frozen"}} {
		if _, err := e.ecs.CreateService(ctx, &ecssdk.CreateServiceInput{
			Cluster: aws.String(s[0]), ServiceName: aws.String(s[1]), TaskDefinition: aws.String("web"), DesiredCount: aws.Int32(0),
		}); err != nil {
			t.Fatal(err)
		}
	}
	ecsc, iamc := e.user(t, "ci", ciPolicy, "")

	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web"), DesiredCount: aws.Int32(2)}); err != nil {
		t.Fatalf("the CI key cannot update its service: %v", err)
	}
	// By ARN too.
	if _, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("arn:aws:ecs:us-east-1:000000000000:cluster/demo"), Service: aws.String("web"), DesiredCount: aws.Int32(1)}); err != nil {
		t.Fatalf("the CI key cannot update its service by cluster ARN: %v", err)
	}
	_, err := ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("other"), Service: aws.String("web"), DesiredCount: aws.Int32(2)})
	if errorCode(err) != "AccessDeniedException" {
		t.Fatalf("the CI key updated another service: %v", err)
	}
	out, err := e.ecs.DescribeServices(ctx, &ecssdk.DescribeServicesInput{Cluster: aws.String("other"), Services: []string{"web"}})
	if err != nil || out.Services[0].DesiredCount != 0 {
		t.Fatalf("a denied update changed the service: %v %v", out, err)
	}
	// An explicit deny wins over an allow of the same action and resource.
	_, err = ecsc.UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("frozen"), DesiredCount: aws.Int32(2)})
	if errorCode(err) != "AccessDeniedException" || !strings.Contains(err.Error(), "with an explicit deny in an identity-based policy") {
		t.Fatalf("explicit deny: %v", err)
	}
	if _, err := ecsc.DeleteCluster(ctx, &ecssdk.DeleteClusterInput{Cluster: aws.String("other")}); errorCode(err) != "AccessDeniedException" {
		t.Fatalf("the CI key deleted a cluster: %v", err)
	}
	if n := e.clusters(t, "other"); n != 1 {
		t.Fatal("a denied delete removed the cluster")
	}
	_, err = iamc.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("evil")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("the CI key created a user: %v", err)
	}
	if _, err := e.iam.GetUser(ctx, &iamsdk.GetUserInput{UserName: aws.String("evil")}); errorCode(err) != "NoSuchEntity" {
		t.Fatalf("a denied CreateUser created the user: %v", err)
	}
	// iam:PassRole: the task role it may pass, not another.
	td := func(role string) error {
		_, err := ecsc.RegisterTaskDefinition(ctx, &ecssdk.RegisterTaskDefinitionInput{
			Family: aws.String("web"), ContainerDefinitions: testContainers(), TaskRoleArn: aws.String(role),
		})
		return err
	}
	if err := td("arn:aws:iam::000000000000:role/web-task"); err != nil {
		t.Fatalf("register with the allowed role: %v", err)
	}
	if err := td("arn:aws:iam::000000000000:role/admin"); errorCode(err) != "AccessDeniedException" || !strings.Contains(err.Error(), "iam:PassRole") {
		t.Fatalf("register passing another role: %v", err)
	}

	// The policy simulator says what enforcement did above, with the statement that decided.
	sim, err := e.iam.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::000000000000:user/ci"), ActionNames: []string{"ecs:UpdateService"},
		ResourceArns: []string{"arn:aws:ecs:us-east-1:000000000000:service/demo/web", "arn:aws:ecs:us-east-1:000000000000:service/other/web", "arn:aws:ecs:us-east-1:000000000000:service/demo/frozen"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var decisions []string
	for _, r := range sim.EvaluationResults {
		decisions = append(decisions, string(r.EvalDecision))
	}
	if want := []string{"allowed", "implicitDeny", "explicitDeny"}; !slices.Equal(decisions, want) {
		t.Errorf("simulated decisions %v, enforced %v", decisions, want)
	}
	if st := sim.EvaluationResults[2].MatchedStatements; len(st) != 1 || aws.ToString(st[0].SourcePolicyId) != "p" || st[0].StartPosition.Line != 5 {
		t.Errorf("the explicit deny's statements: %+v", st)
	}

	// A malformed policy is refused.
	_, err = e.iam.PutUserPolicy(ctx, &iamsdk.PutUserPolicyInput{UserName: aws.String("ci"), PolicyName: aws.String("bad"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*"`)})
	if errorCode(err) != "MalformedPolicyDocument" {
		t.Fatalf("malformed policy: %v", err)
	}

	// The audit log keeps allowed and denied calls.
	e.auditHas(t, `"operation":"UpdateService"`, `"allowed":false`, `"errorCode":"AccessDeniedException"`, "user/ci")
}

// auditHas waits until a record of the audit log holds every part.
func (e *enforceEnv) auditHas(t *testing.T, parts ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, _ := os.ReadFile(filepath.Join(e.dir, daemon.AuditFile))
		for _, line := range strings.Split(string(b), "\n") {
			ok := true
			for _, p := range parts {
				ok = ok && strings.Contains(line, p)
			}
			if ok && line != "" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no audit record with %q in:\n%s", parts, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func testContainers() []ecstypes.ContainerDefinition {
	return []ecstypes.ContainerDefinition{{Name: aws.String("web"), Image: aws.String("app"), Essential: aws.Bool(true), Memory: aws.Int32(64)}}
}

// TestRegistryFollowsECRPolicies pulls with the ECR token of a user whose policy allows one
// repository: the registry lets it list that repository's tags and refuses another's.
func TestRegistryFollowsECRPolicies(t *testing.T) {
	t.Parallel()
	e := newEnforceEnv(t)
	ctx := context.Background()
	creds, err := credentials.Load(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	root := ecrsdk.NewFromConfig(apitest.Config(e.srv.Endpoint(), creds.AccessKeyID, creds.SecretAccessKey))
	for _, name := range []string{"web", "other"} {
		if _, err := root.CreateRepository(ctx, &ecrsdk.CreateRepositoryInput{RepositoryName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := e.userConfig(t, "puller", `{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},
 {"Effect":"Allow","Action":["ecr:ListImages","ecr:BatchGetImage"],"Resource":"arn:aws:ecr:us-east-1:000000000000:repository/web"}]}`, "")
	tok, err := ecrsdk.NewFromConfig(cfg).GetAuthorizationToken(ctx, &ecrsdk.GetAuthorizationTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	// An empty repository has no tags: distribution answers NAME_UNKNOWN, past authorization.
	for repo, denied := range map[string]bool{"web": false, "other": true} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.srv.Endpoint()+"/v2/"+repo+"/tags/list", nil)
		req.Header.Set("Authorization", "Basic "+aws.ToString(tok.AuthorizationData[0].AuthorizationToken))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if got := resp.StatusCode == http.StatusForbidden && strings.Contains(string(body), "DENIED"); got != denied {
			t.Errorf("tags of %s: %d %s, denied %v", repo, resp.StatusCode, body, denied)
		}
	}
	// The audit log keeps registry requests as it keeps API calls.
	e.auditHas(t, `"service":"ecr"`, `"operation":"ListImages"`, `"resources":[["other"]]`, `"allowed":false`, `"errorCode":"DENIED"`, "user/puller")
	e.auditHas(t, `"service":"ecr"`, `"operation":"ListImages"`, `"resources":[["web"]]`, `"allowed":true`, "user/puller", `"sourceIp":"127.0.0.1"`)
}
