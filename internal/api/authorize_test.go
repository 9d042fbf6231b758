package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/errdefs"
)

// authzEnv is a front door with one user key and one root key over a small ECS and STS whose
// operations count their runs, and an authorizer that records what it is asked.
type authzEnv struct {
	srv     *httptest.Server
	mu      sync.Mutex
	asked   []api.Authorization
	records []api.Record
	ran     int
}

func newAuthzEnv(t *testing.T, allow func(api.Authorization) error) *authzEnv {
	t.Helper()
	e := &authzEnv{}
	run := func(context.Context, awsproto.Request) (any, error) {
		e.mu.Lock()
		e.ran++
		e.mu.Unlock()
		return struct{}{}, nil
	}
	ecs := awsproto.Service{
		Name: "ecs", SigningName: "ecs", Protocol: awsproto.ProtocolJSON, TargetPrefix: "AmazonEC2ContainerServiceV20141113",
		Operations: map[string]awsproto.Handler{"UpdateService": run},
		ErrorFor:   func(string, error) *awsproto.Error { return awsproto.Errorf("ServerException", "failed") },
		Targets: func(op string, in awsproto.Input) awsproto.Target {
			var tg awsproto.Target
			tg.Add(in.String("cluster"), in.String("service"))
			return tg
		},
	}
	sts := awsproto.Service{
		Name: "sts", SigningName: "sts", Protocol: awsproto.ProtocolQuery, Version: "2011-06-15", XMLNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
		Operations: map[string]awsproto.Handler{"GetCallerIdentity": run},
		ErrorFor:   func(string, error) *awsproto.Error { return awsproto.Errorf("InternalFailure", "failed") },
	}
	h, err := api.New(api.Config{}, api.Deps{
		Credentials: func(id string) (string, bool) { return "secret-" + id, id == "USER" || id == "ROOT" },
		Principal: func(id string) (api.Principal, bool) {
			if id == "ROOT" {
				return api.Principal{ARN: "arn:aws:iam::000000000000:root", Root: true}, true
			}
			return api.Principal{ARN: "arn:aws:iam::000000000000:user/ci", UserName: "ci", UserID: "AIDACI"}, true
		},
		Authorize: func(_ context.Context, a api.Authorization) error {
			e.mu.Lock()
			e.asked = append(e.asked, a)
			e.mu.Unlock()
			return allow(a)
		},
		Audit: func(r api.Record) {
			e.mu.Lock()
			e.records = append(e.records, r)
			e.mu.Unlock()
		},
	}, ecs, sts)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *authzEnv) config(key string) aws.Config {
	return apitest.Config(e.srv.URL, key, "secret-"+key)
}

var errDenied = errdefs.PermissionDenied("User: arn:aws:iam::000000000000:user/ci is not authorized to perform: ecs:UpdateService")

func TestDeniedCallsAnswerAccessDeniedAndRunNothing(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t, func(api.Authorization) error { return errDenied })
	ctx := apitest.Context(t)
	_, err := ecssdk.NewFromConfig(e.config("USER")).UpdateService(ctx, &ecssdk.UpdateServiceInput{Cluster: aws.String("demo"), Service: aws.String("web")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDeniedException" || !strings.Contains(ae.ErrorMessage(), "not authorized to perform: ecs:UpdateService") {
		t.Fatalf("JSON service: %v", err)
	}
	_, err = stssdk.NewFromConfig(e.config("USER")).GetCallerIdentity(ctx, &stssdk.GetCallerIdentityInput{})
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("Query service: %v", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ran != 0 {
		t.Errorf("%d denied operations ran", e.ran)
	}
	if len(e.asked) != 2 || e.asked[0].Service != "ecs" || e.asked[0].Operation != "UpdateService" ||
		!slices.Equal(e.asked[0].Target.Resources[0], []string{"demo", "web"}) || e.asked[0].Caller.UserName != "ci" || !e.asked[0].SourceIP.IsLoopback() {
		t.Errorf("asked %+v", e.asked)
	}
	if len(e.records) != 2 || e.records[0].Allowed || e.records[0].ErrorCode != "AccessDeniedException" || e.records[0].Principal != "arn:aws:iam::000000000000:user/ci" {
		t.Errorf("audit records %+v", e.records)
	}
}

func TestRootIsNotAuthorized(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t, func(api.Authorization) error { return errDenied })
	if _, err := ecssdk.NewFromConfig(e.config("ROOT")).UpdateService(apitest.Context(t), &ecssdk.UpdateServiceInput{Service: aws.String("web")}); err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.asked) != 0 || e.ran != 1 {
		t.Errorf("root: asked %d, ran %d", len(e.asked), e.ran)
	}
	if len(e.records) != 1 || !e.records[0].Allowed || e.records[0].Operation != "UpdateService" {
		t.Errorf("audit records %+v", e.records)
	}
}

func TestAuthorizerFailureIsAnInternalError(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t, func(api.Authorization) error { return errors.New("policy p: broken") })
	_, err := ecssdk.NewFromConfig(e.config("USER")).UpdateService(apitest.Context(t), &ecssdk.UpdateServiceInput{Service: aws.String("web")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "InternalFailure" {
		t.Fatalf("got %v", err)
	}
}

func TestDeniedStatusPerProtocol(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t, func(api.Authorization) error { return errDenied })
	_, err := ecssdk.NewFromConfig(e.config("USER")).UpdateService(apitest.Context(t), &ecssdk.UpdateServiceInput{Service: aws.String("web")})
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 400 {
		t.Errorf("JSON: %v, want HTTP 400 as ECS answers", err)
	}
	_, err = stssdk.NewFromConfig(e.config("USER")).GetCallerIdentity(apitest.Context(t), &stssdk.GetCallerIdentityInput{})
	if !errors.As(err, &re) || re.HTTPStatusCode() != 403 {
		t.Errorf("Query: %v, want HTTP 403", err)
	}
}

// TestDuplicateMemberIsRefused: the operation would act on the last of two members that
// name a resource, so a request with both is refused before it is authorized by either.
func TestDuplicateMemberIsRefused(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t, func(api.Authorization) error { return nil })
	body := []byte(`{"cluster":"demo","service":"web","Service":"api"}`)
	req := httptest.NewRequest(http.MethodPost, e.srv.URL+"/", bytes.NewReader(body))
	req.RequestURI = ""
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.UpdateService")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(apitest.Context(t), aws.Credentials{AccessKeyID: "USER", SecretAccessKey: "secret-USER"}, req, hex.EncodeToString(sum[:]), "ecs", apitest.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, got := apitest.Do(t, req)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(got), "SerializationException") || !strings.Contains(string(got), "The request has the member service more than once.") {
		t.Fatalf("answer %d %s", resp.StatusCode, got)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ran != 0 {
		t.Errorf("the operation ran %d times", e.ran)
	}
}
