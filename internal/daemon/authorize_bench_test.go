package daemon

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/benchtest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// benchCIPolicy is a least-privilege deploy policy of the size CI users get.
const benchCIPolicy = `{"Version":"2012-10-17","Statement":[
 {"Sid":"RegisterTaskDefinition","Effect":"Allow","Action":["ecs:RegisterTaskDefinition","ecs:DescribeTaskDefinition"],"Resource":"*"},
 {"Sid":"PassRoles","Effect":"Allow","Action":["iam:PassRole"],"Resource":["arn:aws:iam::000000000000:role/web-task","arn:aws:iam::000000000000:role/ecsTaskExecutionRole"]},
 {"Sid":"DeployService","Effect":"Allow","Action":["ecs:UpdateService","ecs:DescribeServices"],"Resource":["arn:aws:ecs:us-east-1:000000000000:service/prod/web"]},
 {"Sid":"GetAuthorizationToken","Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":"*"},
 {"Sid":"PushImage","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:BatchCheckLayerAvailability","ecr:CompleteLayerUpload","ecr:GetDownloadUrlForLayer","ecr:InitiateLayerUpload","ecr:PutImage","ecr:UploadLayerPart"],
  "Resource":"arn:aws:ecr:us-east-1:000000000000:repository/web"}]}`

// BenchmarkAuthorizeUpdateService is the authorization of one API call of an IAM user as the
// front door makes it: the request's names read from its body by ECS's Targets, the caller's
// policies from the identity directory, the ARN built and authz.Check run; under the
// least-privilege deploy policy above (5 statements) and under the 20-statement policy of
// iampolicy's benchmark, whose 15th statement allows the call after every deny is checked.
func BenchmarkAuthorizeUpdateService(b *testing.B) {
	twenty, err := os.ReadFile("../iampolicy/testdata/twenty-statements.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []struct{ name, doc string }{
		{"5-statements", benchCIPolicy},
		{"20-statements", strings.ReplaceAll(string(twenty), "123456789012", "000000000000")},
	} {
		b.Run(p.name, func(b *testing.B) { benchmarkAuthorize(b, p.doc) })
	}
}

// newTestAuthorizer returns the authorizer of a server over an in-memory store with one IAM
// user, ci (key AKIACI), whose inline policy is policy; and the store.
func newTestAuthorizer(tb testing.TB, policy string) (*authorizer, *store.Store) {
	tb.Helper()
	ctx := context.Background()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	box, err := credentials.NewBox(make([]byte, 32))
	if err != nil {
		tb.Fatal(err)
	}
	u := iam.User{Name: "ci", Path: "/", ID: "AIDACI", AccessKeys: []string{"AKIACI"},
		Policies: iam.Policies{Inline: []iam.InlinePolicy{{Name: "deploy", Document: policy}}}}
	if _, err := st.IAMUsers.Create(ctx, "ci", u); err != nil {
		tb.Fatal(err)
	}
	sealed, err := box.Seal([]byte("ci-secret"), []byte("AKIACI"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.IAMAccessKeys.Create(ctx, "AKIACI", iam.AccessKey{ID: "AKIACI", UserName: "ci", Status: iam.KeyActive, SealedSecret: sealed}); err != nil {
		tb.Fatal(err)
	}
	dir := identity.New(identity.Config{}, identity.Deps{Store: st, Secrets: box, Now: time.Now})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- dir.Run(runCtx) }()
	tb.Cleanup(func() { cancel(); <-done })
	<-dir.Synced()
	az := newAuthorizer(dir, testScope)
	az.deployment = storeDeployments(st, testScope.Region)
	az.iamPath = storeIAMPath(st)
	az.resourceTags = storeResourceTags(st, testScope.Region)
	return az, st
}

var testScope = arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}

// ciCaller is the caller of ci's key.
var ciCaller = awsproto.Caller{AccessKeyID: "AKIACI", ARN: "arn:aws:iam::000000000000:user/ci", UserName: "ci", AccountID: "000000000000", Region: "us-east-1"}

func benchmarkAuthorize(b *testing.B, policy string) {
	ctx := context.Background()
	az, _ := newTestAuthorizer(b, policy)
	scope := testScope
	ecs := newConsoleAPIs(nil, scope, elbapi.Config{}, ecrapi.New(scope, ecrapi.Config{}, ecrapi.Deps{}), nil, nil).services["ecs"]
	req := awsproto.Request{Body: []byte(`{"cluster":"prod","service":"web","desiredCount":3,"forceNewDeployment":true}`)}
	caller := ciCaller
	// names: the names read from the body, then authorized; authorize: authorized only.
	b.Run("names", func(b *testing.B) {
		benchtest.PerCall(b, 100, "p50-ns/call", func() {
			a := api.Authorization{Caller: caller, Service: "ecs", Operation: "UpdateService", Target: ecs.Targets("UpdateService", req.Input()), Secure: true}
			if err := az.API(ctx, a); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("authorize", func(b *testing.B) {
		a := api.Authorization{Caller: caller, Service: "ecs", Operation: "UpdateService", Target: ecs.Targets("UpdateService", req.Input()), Secure: true}
		benchtest.PerCall(b, 100, "p50-ns/call", func() {
			if err := az.API(ctx, a); err != nil {
				b.Fatal(err)
			}
		})
	})
}
