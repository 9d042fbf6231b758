package apitest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	codedeploysdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/iamapi"
	"github.com/fargohq/fargo/internal/api/stsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// Region and AccountID of every test server.
const (
	Region    = "us-east-1"
	AccountID = "000000000000"
)

// Server is a running front door over an in-memory store, without clients.
type Server struct {
	URL   string
	Store *store.Store
	// DataDir holds the server's credentials, as a real data directory does.
	DataDir     string
	Credentials credentials.Credentials
	// Secrets is the data directory's secrets key, which seals IAM users' secrets.
	Secrets *credentials.Box
	// Directory answers the front door's access key lookups.
	Directory *identity.Directory
	// AWS is the SDK configuration of clients of the server: its endpoint, its credentials,
	// and no retries (a test must see the first answer).
	AWS aws.Config
}

// Start starts a front door serving IAM and the services that services build over one
// in-memory store; it stops when the test ends.
func Start(t testing.TB, services ...func(*store.Store) awsproto.Service) *Server {
	t.Helper()
	return StartSetup(t, servicesSetup(services))
}

// servicesSetup is the Setup of services built over the store, with no fallback handler.
func servicesSetup(services []func(*store.Store) awsproto.Service) Setup {
	return func(st *store.Store, _ func(string) (string, bool)) ([]awsproto.Service, http.Handler) {
		built := make([]awsproto.Service, len(services))
		for i, build := range services {
			built[i] = build(st)
		}
		return built, nil
	}
}

// Setup builds what a test server serves over its store and access keys: the AWS services, and
// the handler of the requests that are no AWS API calls (nil: 404), where the daemon puts the
// registry and the web console.
type Setup func(st *store.Store, keys func(accessKeyID string) (string, bool)) ([]awsproto.Service, http.Handler)

// StartSetup starts a front door serving IAM and what setup builds over one in-memory store;
// it stops when the test ends.
func StartSetup(t testing.TB, setup Setup) *Server {
	t.Helper()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	return serve(t, store.New(mem), t.TempDir(), setup)
}

// Serve starts a front door over st with the server credentials and secrets key of dataDir
// (created when missing), as fargo server starts one: access keys are looked up by an
// identity.Directory, the server's own key as the account's root and IAM users' keys in the
// store. Front doors that share st and dataDir are servers sharing one store. It stops when
// the test ends.
func Serve(t testing.TB, st *store.Store, dataDir string, services ...func(*store.Store) awsproto.Service) *Server {
	t.Helper()
	return serve(t, st, dataDir, servicesSetup(services))
}

func serve(t testing.TB, st *store.Store, dataDir string, setup Setup) *Server {
	t.Helper()
	creds, err := credentials.Ensure(dataDir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := credentials.NewKeyring(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	box, err := credentials.EnsureSecretsKey(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := identity.New(identity.Config{AccountID: AccountID}, identity.Deps{Store: st, Root: keys.Lookup, Secrets: box})
	runDirectory(t, dir)
	// Every test server serves IAM, whose keys sign requests to the other services.
	built := []awsproto.Service{iamapi.New(AccountID, iamapi.Deps{Store: st, Secrets: box}).Service()}
	services, fallback := setup(st, keys.Lookup)
	built = append(built, services...)
	front, err := api.New(api.Config{AccountID: AccountID}, api.Deps{
		Credentials: dir.Secret, Principal: Principal(dir), KeyUsed: dir.Used, Fallback: fallback,
	}, built...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	return &Server{
		URL: srv.URL, Store: st, DataDir: dataDir, Credentials: creds, Secrets: box, Directory: dir,
		AWS: Config(srv.URL, creds.AccessKeyID, creds.SecretAccessKey),
	}
}

// Principal adapts a Directory's lookup to the front door's.
func Principal(dir *identity.Directory) func(string) (api.Principal, bool) {
	return func(id string) (api.Principal, bool) {
		p, ok := dir.Principal(id)
		return api.Principal{ARN: p.ARN, UserID: p.UserID, UserName: p.UserName}, ok
	}
}

// runDirectory runs dir until the test ends and waits until it has loaded the store.
func runDirectory(t testing.TB, dir *identity.Directory) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- dir.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("identity directory: %v", err)
		}
	})
	<-dir.Synced()
}

// Env is a running front door with the ECS, STS, ELBv2, CodeDeploy and IAM APIs, its store and
// clients.
type Env struct {
	*Server
	// The clients use Server.AWS.
	ECS        *ecssdk.Client
	STS        *stssdk.Client
	ELBV2      *elbv2sdk.Client
	CodeDeploy *codedeploysdk.Client
	IAM        *iamsdk.Client
	// CertificateDir is the ELBv2 API's certificate directory (<id>.crt and <id>.key of
	// arn:aws:acm:...:certificate/<id>); it starts empty.
	CertificateDir string
}

// New starts a front door for the test; it stops when the test ends.
func New(t testing.TB) *Env {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: Region, AccountID: AccountID}
	certDir := t.TempDir()
	srv := Start(t,
		func(st *store.Store) awsproto.Service { return ecsapi.New(st, scope, time.Now).Service() },
		func(*store.Store) awsproto.Service { return stsapi.Service() },
		func(st *store.Store) awsproto.Service {
			return elbapi.New(st, scope, time.Now, elbapi.Config{CertificateDir: certDir}).Service()
		},
		func(st *store.Store) awsproto.Service { return codedeployapi.New(st, scope, time.Now).Service() })
	return &Env{
		Server:         srv,
		ECS:            ecssdk.NewFromConfig(srv.AWS),
		STS:            stssdk.NewFromConfig(srv.AWS),
		ELBV2:          elbv2sdk.NewFromConfig(srv.AWS),
		CodeDeploy:     codedeploysdk.NewFromConfig(srv.AWS),
		IAM:            iamsdk.NewFromConfig(srv.AWS),
		CertificateDir: certDir,
	}
}

// Config returns an SDK configuration for endpoint with a static key pair and no retries.
func Config(endpoint, keyID, secret string) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  awscreds.NewStaticCredentialsProvider(keyID, secret, ""),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// Context returns a context for one API call that ends with the test.
func Context(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
