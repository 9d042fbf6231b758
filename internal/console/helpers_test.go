package console_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	codedeploysdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecrsdk "github.com/aws/aws-sdk-go-v2/service/ecr"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/console"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/store"
)

// env is a front door with the console behind it, as the daemon builds them, over one
// in-memory store, with SDK clients of the same server.
type env struct {
	URL        string
	Store      *store.Store
	Creds      credentials.Credentials
	ECS        *ecssdk.Client
	ELB        *elbv2sdk.Client
	CodeDeploy *codedeploysdk.Client
	ECR        *ecrsdk.Client
	clock      *clock
}

// clock is a settable clock for idle expiry.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// start builds the server; opts change the console's dependencies (an Authorizer, say).
func start(t *testing.T, opts ...func(*console.Deps)) *env {
	t.Helper()
	clk := &clock{now: time.Now()}
	srv := apitest.StartSetup(t, func(st *store.Store, keys func(string) (string, bool)) ([]awsproto.Service, http.Handler) {
		web := newConsole(t, st, keys, clk, opts)
		return web.services, web
	})
	cfg := srv.AWS
	return &env{
		URL: srv.URL, Store: srv.Store, Creds: srv.Credentials, clock: clk,
		ECS: ecssdk.NewFromConfig(cfg), ELB: elbv2sdk.NewFromConfig(cfg), CodeDeploy: codedeploysdk.NewFromConfig(cfg), ECR: ecrsdk.NewFromConfig(cfg),
	}
}

// testConsole is the console with the API services whose objects it acts through.
type testConsole struct {
	*console.Console
	services []awsproto.Service
}

// newConsole builds the API objects over st and the console over them, as the daemon does.
func newConsole(t *testing.T, st *store.Store, keys func(string) (string, bool), clk *clock, opts []func(*console.Deps)) testConsole {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	reg, err := registry.New(registry.Config{RootDir: t.TempDir()}, registry.Deps{Store: st, Credentials: keys, RegistryID: apitest.AccountID})
	if err != nil {
		t.Fatal(err)
	}
	ecsAPI, elbAPI, cdAPI := ecsapi.New(st, scope, time.Now), elbapi.New(st, scope, time.Now, elbapi.Config{}), codedeployapi.New(st, scope, time.Now)
	ecrAPI := ecrapi.New(scope, ecrapi.Config{RegistryHost: "127.0.0.1:1"}, ecrapi.Deps{Store: st, Images: reg, Credentials: keys})
	services := map[string]awsproto.Service{"ecs": ecsAPI.Service(), "elb": elbAPI.Service(), "codedeploy": cdAPI.Service(), "ecr": ecrAPI.Service()}
	deps := console.Deps{
		Store: st, Keys: console.RootKeys(apitest.AccountID, keys), Now: clk.Now, Images: reg,
		Actions:   console.Actions{ECS: ecsAPI, ELB: elbAPI, CodeDeploy: cdAPI, ECR: ecrAPI},
		ErrorCode: func(s string, err error) string { return services[s].ErrorFor("", err).Code },
		WithPrincipal: func(ctx context.Context, p console.Principal) context.Context {
			return awsproto.WithCaller(ctx, awsproto.Caller{AccessKeyID: p.AccessKeyID, ARN: p.ARN, AccountID: apitest.AccountID})
		},
	}
	for _, o := range opts {
		o(&deps)
	}
	web, err := console.New(console.Config{Scope: scope}, deps)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(web.Close)
	return testConsole{Console: web, services: []awsproto.Service{services["ecs"], services["elb"], services["codedeploy"], services["ecr"]}}
}

// runTask runs a task of taskDefinition in cluster demo through the API and returns its ARN
// and id.
func (e *env) runTask(t *testing.T, taskDefinition string) (arn, id string) {
	t.Helper()
	run, err := e.ECS.RunTask(ctx(t), &ecssdk.RunTaskInput{Cluster: aws.String("demo"), TaskDefinition: aws.String(taskDefinition), LaunchType: ecstypes.LaunchTypeFargate})
	if err != nil {
		t.Fatal(err)
	}
	arn = aws.ToString(run.Tasks[0].TaskArn)
	return arn, arn[strings.LastIndex(arn, "/")+1:]
}

// browser is an HTTP client with a cookie jar that does not follow redirects, so tests see
// each answer.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (e *env) browser(t *testing.T) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: e.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signedIn is a browser signed in with the server's key.
func (e *env) signedIn(t *testing.T) *browser {
	t.Helper()
	b := e.browser(t)
	resp, _ := b.post("/signin", map[string]string{"accessKeyId": e.Creds.AccessKeyID, "secretAccessKey": e.Creds.SecretAccessKey})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: status %d", resp.StatusCode)
	}
	return b
}

// get fetches path and returns the answer with its body.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, readBody(b.t, resp)
}

// post sends fields as multipart/form-data, as the console's forms do.
func (b *browser) post(path string, fields map[string]string) (*http.Response, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			b.t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	resp, err := b.c.Post(b.base+path, mw.FormDataContentType(), &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, readBody(b.t, resp)
}

// act posts fields to path with the CSRF token of the page at from.
func (b *browser) act(from, path string, fields map[string]string) (*http.Response, string) {
	b.t.Helper()
	fields["csrf"] = b.csrf(from)
	return b.post(path, fields)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantStatus(t *testing.T, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want)
	}
}

func wantContains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }
