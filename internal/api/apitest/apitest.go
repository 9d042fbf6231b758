package apitest

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/ecsapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/stsapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// Region and AccountID of every test server.
const (
	Region    = "us-east-1"
	AccountID = "000000000000"
)

// Env is a running front door with its store and clients.
type Env struct {
	URL         string
	Store       *store.Store
	Credentials credentials.Credentials
	// AWS is the SDK configuration every client below uses: the test server's endpoint, its
	// credentials, and no retries (a test must see the first answer).
	AWS   aws.Config
	ECS   *ecssdk.Client
	STS   *stssdk.Client
	ELBV2 *elbv2sdk.Client
	// CertificateDir is the ELBv2 API's certificate directory (<id>.crt and <id>.key of
	// arn:aws:acm:...:certificate/<id>); it starts empty.
	CertificateDir string
}

// New starts a front door for the test; it stops when the test ends.
func New(t testing.TB) *Env {
	t.Helper()
	dir := t.TempDir()
	creds, err := credentials.Ensure(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := credentials.NewKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st := store.New(mem)
	scope := arn.Scope{Partition: "aws", Region: Region, AccountID: AccountID}
	certDir := t.TempDir()
	front, err := api.New(api.Config{AccountID: AccountID}, api.Deps{Credentials: keys.Lookup},
		ecsapi.New(st, scope, time.Now).Service(), stsapi.Service(),
		elbapi.New(st, scope, time.Now, elbapi.Config{CertificateDir: certDir}).Service())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	cfg := Config(srv.URL, creds.AccessKeyID, creds.SecretAccessKey)
	return &Env{
		URL:            srv.URL,
		Store:          st,
		Credentials:    creds,
		AWS:            cfg,
		ECS:            ecssdk.NewFromConfig(cfg),
		STS:            stssdk.NewFromConfig(cfg),
		ELBV2:          elbv2sdk.NewFromConfig(cfg),
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
