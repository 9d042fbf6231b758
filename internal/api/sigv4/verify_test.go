package sigv4_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/sigv4"
)

func ecsJSON(s style) request {
	return request{
		style: s, method: http.MethodPost, url: "http://127.0.0.1:4566/", service: "ecs",
		body: `{"cluster":"demo","services":["web"]}`,
		headers: map[string]string{
			"Content-Type": jsonType,
			"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.DescribeServices",
		},
	}
}

func elbQuery(s style) request {
	return request{
		style: s, method: http.MethodPost, url: "http://127.0.0.1:4566/", service: "elasticloadbalancing",
		body:    "Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A000000000000%3Atargetgroup%2Fweb%2F1",
		headers: map[string]string{"Content-Type": queryType},
	}
}

func with(r request, f func(*request)) request {
	f(&r)
	return r
}

func TestVerify(t *testing.T) {
	t.Parallel()
	ecsID := sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "ecs"}
	tests := []struct {
		name string
		req  request
		// after changes the signed request before it goes on the wire.
		after func(*http.Request)
		// body replaces the body Verify sees, when set.
		body   string
		now    time.Duration // offset of the verifier's clock from signedAt
		lookup sigv4.Lookup
		want   sigv4.Reason // zero means success
		wantID sigv4.Identity
	}{
		{name: "botocore json", req: ecsJSON(botocore), wantID: ecsID},
		{name: "js json", req: ecsJSON(jsSDK), wantID: ecsID},
		{name: "botocore query form", req: elbQuery(botocore),
			wantID: sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "elasticloadbalancing"}},
		{name: "js query form", req: elbQuery(jsSDK),
			wantID: sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "elasticloadbalancing"}},
		{name: "get with query string", req: request{
			method: http.MethodGet, service: "sts",
			url: "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15&Names.member.1=a%20b&Marker=x%2By&Z=a-b&Z=a%2Fb",
		}, wantID: sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "sts"}},
		{name: "get with query reordered on the wire", req: request{
			method: http.MethodGet, service: "sts", url: "http://localhost:4566/?b=2&a=1&c=x%20y",
		}, after: func(r *http.Request) { r.URL.RawQuery = "c=x+y&a=1&b=2" },
			wantID: sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "sts"}},
		{name: "path prefix with characters to encode",
			req:    with(ecsJSON(jsSDK), func(r *request) { r.url = "http://127.0.0.1:4566/some/prefix/a%20b/c~d/e%2Ff/g:h@i/" }),
			wantID: ecsID},
		{name: "host with default port stripped",
			req: with(ecsJSON(botocore), func(r *request) { r.url = "http://fargo.internal:80/" }), wantID: ecsID},
		{name: "session token",
			req:    with(ecsJSON(jsSDK), func(r *request) { r.token = "FwoGZXIvYXdzEXAMPLE" }),
			wantID: sigv4.Identity{AccessKeyID: testKeyID, SessionToken: "FwoGZXIvYXdzEXAMPLE", Region: "us-east-1", Service: "ecs"}},
		{name: "header values with spaces to collapse",
			req: with(ecsJSON(botocore), func(r *request) {
				r.headers = map[string]string{"X-Amz-Target": "  a   b  c ", "Content-Type": jsonType}
			}),
			wantID: ecsID},
		{name: "header sent twice",
			req: with(ecsJSON(jsSDK), func(r *request) {
				r.prepare = func(r *http.Request) {
					r.Header.Add("X-Custom", "a")
					r.Header.Add("X-Custom", " b   c ")
				}
			}),
			wantID: ecsID},
		{name: "header sent twice reordered", want: sigv4.SignatureMismatch,
			req: with(ecsJSON(jsSDK), func(r *request) {
				r.prepare = func(r *http.Request) { r.Header["X-Custom"] = []string{"a", "b"} }
			}),
			after: func(r *http.Request) { r.Header["X-Custom"] = []string{"b", "a"} }},
		{name: "unsigned header added after signing", req: ecsJSON(jsSDK),
			after: func(r *http.Request) { r.Header.Set("X-Forwarded-For", "10.0.0.1") }, wantID: ecsID},
		{name: "skew 4 min old", req: ecsJSON(botocore), now: 4 * time.Minute, wantID: ecsID},
		{name: "skew 4 min ahead", req: ecsJSON(botocore), now: -4 * time.Minute, wantID: ecsID},
		{name: "skew 6 min old", req: ecsJSON(botocore), now: 6 * time.Minute, want: sigv4.Expired},
		{name: "skew 6 min ahead", req: ecsJSON(botocore), now: -6 * time.Minute, want: sigv4.NotYetCurrent},
		{name: "wrong secret", req: ecsJSON(jsSDK), want: sigv4.SignatureMismatch,
			lookup: func(string) (string, bool) { return "not-the-secret", true }},
		{name: "unknown key", req: ecsJSON(jsSDK), want: sigv4.UnknownKey,
			lookup: func(string) (string, bool) { return "", false }},
		{name: "tampered body botocore", req: ecsJSON(botocore), body: `{"cluster":"prod","services":["web"]}`,
			want: sigv4.SignatureMismatch},
		{name: "tampered body js", req: ecsJSON(jsSDK), body: `{"cluster":"prod","services":["web"]}`,
			want: sigv4.SignatureMismatch},
		{name: "tampered body js with matching payload hash", req: ecsJSON(jsSDK),
			after: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hashHex([]byte("{}"))) },
			body:  "{}", want: sigv4.SignatureMismatch},
		{name: "unsigned payload refused", req: ecsJSON(jsSDK),
			after: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") },
			want:  sigv4.SignatureMismatch},
		{name: "tampered signed header", req: ecsJSON(botocore),
			after: func(r *http.Request) {
				r.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.DeleteService")
			},
			want: sigv4.SignatureMismatch},
		{name: "tampered host", req: ecsJSON(botocore),
			after: func(r *http.Request) { r.Host = "127.0.0.1:4567" }, want: sigv4.SignatureMismatch},
		{name: "tampered path", req: ecsJSON(botocore),
			after: func(r *http.Request) { r.URL.Path = "/other/" }, want: sigv4.SignatureMismatch},
		{name: "tampered query", req: request{method: http.MethodGet, service: "sts", url: "http://h/?a=1"},
			after: func(r *http.Request) { r.URL.RawQuery = "a=2" }, want: sigv4.SignatureMismatch},
		{name: "tampered session token", req: with(ecsJSON(jsSDK), func(r *request) { r.token = "tok" }),
			after: func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "other") }, want: sigv4.SignatureMismatch},
		{name: "credential date differs from x-amz-date",
			req:   with(ecsJSON(botocore), func(r *request) { r.at = time.Date(2023, 12, 31, 23, 59, 0, 0, time.UTC) }),
			after: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240101T000100Z") },
			now:   -9 * time.Minute, want: sigv4.ScopeMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signed := sign(t, tt.req)
			if tt.after != nil {
				tt.after(signed)
			}
			r, body := serverView(t, signed)
			if tt.body != "" {
				body = []byte(tt.body)
			}
			v := sigv4.Verifier{Lookup: lookup, Now: func() time.Time { return signedAt().Add(tt.now) }}
			if tt.lookup != nil {
				v.Lookup = tt.lookup
			}
			id, err := v.Verify(r, body)
			checkResult(t, id, err, tt.wantID, tt.want)
		})
	}
}

func checkResult(t *testing.T, id sigv4.Identity, err error, wantID sigv4.Identity, want sigv4.Reason) {
	t.Helper()
	if want == 0 {
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if id != wantID {
			t.Fatalf("identity = %+v, want %+v", id, wantID)
		}
		return
	}
	var e *sigv4.Error
	if !errors.As(err, &e) {
		t.Fatalf("Verify error = %v, want a *sigv4.Error with reason %v", err, want)
	}
	if e.Reason != want || e.Message == "" {
		t.Fatalf("Verify error = %v (%v), want reason %v", e, e.Reason, want)
	}
}

// TestSigningStyles pins that the helpers reproduce the signed-header sets captured from real
// clients, so the table above covers what arrives in practice.
func TestSigningStyles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		req  request
		want string
	}{
		{"botocore json", ecsJSON(botocore), "content-type;host;x-amz-date;x-amz-target"},
		{"botocore query", elbQuery(botocore), "content-type;host;x-amz-date"},
		{"js json", ecsJSON(jsSDK), "amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;" +
			"x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := signedHeaders(sign(t, tt.req)); got != tt.want {
				t.Fatalf("SignedHeaders = %q, want %q", got, tt.want)
			}
		})
	}
}
