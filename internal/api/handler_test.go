package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecssdk "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
)

const ecsTarget = "AmazonEC2ContainerServiceV20141113."

type jsonError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func decodeError(t *testing.T, body []byte) jsonError {
	t.Helper()
	var e jsonError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %q: %v", body, err)
	}
	return e
}

func TestJSONErrorsAreAWSShaped(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	tests := []struct {
		name   string
		target string
		body   string
		status int
		code   string
	}{
		{"unknown operation", ecsTarget + "LaunchRockets", `{}`, 400, "UnknownOperationException"},
		{"unknown target prefix", "NoSuchService_20200101.CreateCluster", `{}`, 400, "UnknownOperationException"},
		{"malformed json", ecsTarget + "CreateCluster", `{"clusterName":`, 400, "SerializationException"},
		{"wrong member type", ecsTarget + "CreateCluster", `{"clusterName": 42}`, 400, "SerializationException"},
		{"trailing garbage", ecsTarget + "ListClusters", `{} {}`, 400, "SerializationException"},
		{"not an object", ecsTarget + "ListClusters", `[1,2]`, 400, "SerializationException"},
		{"missing required member", ecsTarget + "DeleteCluster", `{}`, 400, "InvalidParameterException"},
		{"bad cluster name", ecsTarget + "CreateCluster", `{"clusterName":"no spaces"}`, 400, "InvalidParameterException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp, body := env.RawJSON(t, "ecs", tt.target, []byte(tt.body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			e := decodeError(t, body)
			if e.Type != tt.code || e.Message == "" {
				t.Fatalf("error %+v, want code %s with a message", e, tt.code)
			}
			if resp.Header.Get("X-Amzn-ErrorType") != tt.code {
				t.Errorf("X-Amzn-ErrorType = %q", resp.Header.Get("X-Amzn-ErrorType"))
			}
			assertAWSHeaders(t, resp)
		})
	}
	assertNoClusters(t, env)
}

func assertAWSHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	if len(resp.Header.Get("X-Amzn-RequestId")) != 36 {
		t.Errorf("x-amzn-RequestId = %q", resp.Header.Get("X-Amzn-RequestId"))
	}
	if _, err := http.ParseTime(resp.Header.Get("Date")); err != nil {
		t.Errorf("Date header %q: %v", resp.Header.Get("Date"), err)
	}
}

func assertNoClusters(t *testing.T, env *apitest.Env) {
	t.Helper()
	out, err := env.ECS.ListClusters(apitest.Context(t), &ecssdk.ListClustersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.ClusterArns) != 0 {
		t.Fatalf("rejected requests changed state: %v", out.ClusterArns)
	}
}

func TestOversizedBodyIsRejected(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	body := []byte(`{"clusterName":"big","tags":[` + strings.Repeat(`{"key":"k","value":"v"},`, api.DefaultMaxBodyBytes/24) + `{}]}`)
	resp, respBody := env.RawJSON(t, "ecs", ecsTarget+"CreateCluster", body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d; body %s", resp.StatusCode, respBody)
	}
	if e := decodeError(t, respBody); e.Type != "ClientException" {
		t.Fatalf("error %+v", e)
	}
	assertNoClusters(t, env)
}

func TestAuthenticationFailures(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	body := []byte(`{"clusterName":"evil"}`)
	newReq := func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, env.URL+"/", bytes.NewReader(body))
		req.RequestURI = ""
		req.Header.Set("Content-Type", awsproto.ContentTypeJSON)
		req.Header.Set("X-Amz-Target", ecsTarget+"CreateCluster")
		return req
	}
	tests := []struct {
		name    string
		prepare func(*http.Request)
		status  int
		code    string
	}{
		{"unsigned", func(*http.Request) {}, 403, "MissingAuthenticationTokenException"},
		{"expired", func(r *http.Request) { env.Sign(t, r, "ecs", body, time.Now().Add(-10*time.Minute)) }, 403, "InvalidSignatureException"},
		{"from the future", func(r *http.Request) { env.Sign(t, r, "ecs", body, time.Now().Add(10*time.Minute)) }, 403, "InvalidSignatureException"},
		{"wrong service scope", func(r *http.Request) { env.Sign(t, r, "elasticloadbalancing", body, time.Now()) }, 403, "InvalidSignatureException"},
		{"tampered target", func(r *http.Request) {
			env.Sign(t, r, "ecs", body, time.Now())
			r.Header.Set("X-Amz-Target", ecsTarget+"DeleteCluster")
		}, 403, "InvalidSignatureException"},
		{"unknown key", func(r *http.Request) {
			env.Sign(t, r, "ecs", body, time.Now())
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), env.Credentials.AccessKeyID, "AKIAAAAAAAAAAAAAAAAA", 1))
		}, 403, "UnrecognizedClientException"},
		{"garbage authorization", func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 nonsense") }, 400, "IncompleteSignatureException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newReq()
			tt.prepare(req)
			resp, respBody := apitest.Do(t, req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tt.status, respBody)
			}
			if e := decodeError(t, respBody); e.Type != tt.code {
				t.Fatalf("error %+v, want %s", e, tt.code)
			}
			assertAWSHeaders(t, resp)
		})
	}
	assertNoClusters(t, env)
}

func TestSDKSeesErrorCodes(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	_, err := env.ECS.DeleteCluster(apitest.Context(t), &ecssdk.DeleteClusterInput{Cluster: aws.String("nope")})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ClusterNotFoundException" {
		t.Fatalf("err = %v, want ClusterNotFoundException", err)
	}
}

func TestQueryProtocol(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	post := func(t *testing.T, form url.Values, service string) (*http.Response, string) {
		t.Helper()
		body := []byte(form.Encode())
		req, err := http.NewRequest(http.MethodPost, env.URL+"/", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		env.Sign(t, req, service, body, time.Now())
		resp, b := apitest.Do(t, req)
		return resp, string(b)
	}
	t.Run("unknown action", func(t *testing.T) {
		t.Parallel()
		resp, body := post(t, url.Values{"Action": {"Nope"}, "Version": {"2011-06-15"}}, "sts")
		if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") || !strings.Contains(body, "<RequestId>") {
			t.Fatalf("status %d body %s", resp.StatusCode, body)
		}
	})
	t.Run("unknown version", func(t *testing.T) {
		t.Parallel()
		resp, body := post(t, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"1999-01-01"}}, "sts")
		if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
			t.Fatalf("status %d body %s", resp.StatusCode, body)
		}
	})
	t.Run("unsigned", func(t *testing.T) {
		t.Parallel()
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/", strings.NewReader("Action=GetCallerIdentity&Version=2011-06-15"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body := apitest.Do(t, req)
		if resp.StatusCode != 403 || !strings.Contains(string(body), "<Code>MissingAuthenticationToken</Code>") {
			t.Fatalf("status %d body %s", resp.StatusCode, body)
		}
	})
}

func TestGetCallerIdentityWithSDK(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	out, err := env.STS.GetCallerIdentity(apitest.Context(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Account) != apitest.AccountID || aws.ToString(out.Arn) != "arn:aws:iam::000000000000:root" || aws.ToString(out.UserId) != apitest.AccountID {
		t.Fatalf("identity %+v", out)
	}
}

func TestNonAWSRequestsGoToFallback(t *testing.T) {
	t.Parallel()
	fallback := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h, err := api.New(api.Config{}, api.Deps{Credentials: func(string) (string, bool) { return "", false }, Fallback: fallback})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusTeapot {
		t.Fatalf("status %d", rec.Code)
	}
}

// TestBrowserFormPostsGoToFallback pins that a web form's post, urlencoded as browsers send it,
// with neither a signature nor an Action, reaches the fallback (the console) with its body
// whole; a form that names an Action is a Query call even unsigned, and a signed form is one
// whatever it holds.
func TestBrowserFormPostsGoToFallback(t *testing.T) {
	t.Parallel()
	var got string
	fallback := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.PostFormValue("accessKeyId") + "/" + r.PostFormValue("secretAccessKey")
		w.WriteHeader(http.StatusTeapot)
	})
	h, err := api.New(api.Config{}, api.Deps{Credentials: func(string) (string, bool) { return "", false }, Fallback: fallback})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body, auth string
		toFallback       bool
	}{
		{"browser form", "accessKeyId=AKIA1&secretAccessKey=s%2Fx", "", true},
		{"unsigned Query call", "Action=GetCallerIdentity&Version=2011-06-15", "", false},
		{"signed form without Action", "accessKeyId=AKIA1", "AWS4-HMAC-SHA256 Credential=AKIA1/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = ""
			req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if fellBack := rec.Code == http.StatusTeapot; fellBack != tc.toFallback || !fellBack && !strings.Contains(rec.Body.String(), "<ErrorResponse>") {
				t.Fatalf("status %d, want the fallback %v: %s", rec.Code, tc.toFallback, rec.Body)
			}
			if tc.toFallback && got != "AKIA1/s/x" {
				t.Fatalf("the fallback read the form as %q", got)
			}
		})
	}
}

func TestPanicBecomesInternalFailure(t *testing.T) {
	t.Parallel()
	svc := awsproto.Service{
		Name: "boom", SigningName: "boom", Protocol: awsproto.ProtocolJSON, TargetPrefix: "Boom",
		Operations: map[string]awsproto.Handler{"Explode": func(context.Context, awsproto.Request) (any, error) { panic("kaboom") }},
		ErrorFor:   func(string, error) *awsproto.Error { return &awsproto.Error{Code: "X"} },
	}
	env := apitest.New(t)
	h, err := api.New(api.Config{}, api.Deps{Credentials: func(id string) (string, bool) {
		return env.Credentials.SecretAccessKey, id == env.Credentials.AccessKeyID
	}}, svc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for range 2 { // the server survives the first panic
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("{}"))
		req.Header.Set("Content-Type", awsproto.ContentTypeJSON)
		req.Header.Set("X-Amz-Target", "Boom.Explode")
		env.Sign(t, req, "boom", []byte("{}"), time.Now())
		resp, body := apitest.Do(t, req)
		if resp.StatusCode != 500 || decodeError(t, body).Type != "InternalFailure" {
			t.Fatalf("status %d body %s", resp.StatusCode, body)
		}
	}
}
