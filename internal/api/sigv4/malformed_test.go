package sigv4_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fargohq/fargo/internal/api/sigv4"
)

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	const (
		cred = "Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws4_request"
		sh   = "SignedHeaders=content-type;host;x-amz-date;x-amz-target"
		sig  = "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	)
	authz := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", v) }
	}
	tests := []struct {
		name    string
		mutate  func(*http.Request)
		want    sigv4.Reason
		message string // a part of the message, when the case pins one
	}{
		{"no authorization", func(r *http.Request) { r.Header.Del("Authorization") }, sigv4.MissingAuth, "Missing Authentication Token"},
		{"garbage", authz("garbage"), sigv4.Malformed, "Unsupported AWS 'algorithm'"},
		{"empty", authz(""), sigv4.Malformed, ""},
		{"algorithm only", authz("AWS4-HMAC-SHA256"), sigv4.Malformed, "missing equal-sign"},
		{"wrong algorithm", authz("AWS4-HMAC-SHA512 " + cred + ", " + sh + ", " + sig), sigv4.Malformed, "'AWS4-HMAC-SHA512'"},
		{"sigv2", authz("AWS AKIDEXAMPLE:c2lnbmF0dXJl"), sigv4.Malformed, ""},
		{"missing signature", authz("AWS4-HMAC-SHA256 " + cred + ", " + sh), sigv4.Malformed, "requires 'Signature' parameter"},
		{"missing credential", authz("AWS4-HMAC-SHA256 " + sh + ", " + sig), sigv4.Malformed, "requires 'Credential' parameter"},
		{"missing signed headers", authz("AWS4-HMAC-SHA256 " + cred + ", " + sig), sigv4.Malformed, "requires 'SignedHeaders' parameter"},
		{"empty values", authz("AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature="), sigv4.Malformed,
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter."},
		{"duplicate credential", authz("AWS4-HMAC-SHA256 " + cred + ", " + cred + ", " + sh + ", " + sig), sigv4.Malformed, "duplicate"},
		{"trailing comma", authz("AWS4-HMAC-SHA256 " + cred + ", " + sh + ", " + sig + ","), sigv4.Malformed, ""},
		{"credential with 4 parts", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs, " + sh + ", " + sig),
			sigv4.Malformed, "exactly 5 slash-delimited"},
		{"credential with 6 parts", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws4_request/x, " + sh + ", " + sig),
			sigv4.Malformed, "exactly 5 slash-delimited"},
		{"credential wrong terminator", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws5_request, " + sh + ", " + sig),
			sigv4.Malformed, "valid terminator"},
		{"credential without region", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101//ecs/aws4_request, " + sh + ", " + sig),
			sigv4.Malformed, "region"},
		{"credential without service", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1//aws4_request, " + sh + ", " + sig),
			sigv4.Malformed, "service"},
		{"credential without key", authz("AWS4-HMAC-SHA256 Credential=/20240101/us-east-1/ecs/aws4_request, " + sh + ", " + sig),
			sigv4.Malformed, "access key"},
		{"credential date garbage", authz("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2024XX01/us-east-1/ecs/aws4_request, " + sh + ", " + sig),
			sigv4.ScopeMismatch, "'2024XX01' != '20240101', from '20240101T001000Z'"},
		{"signed headers without host", authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;x-amz-date, " + sig),
			sigv4.Malformed, "'Host' must be a 'SignedHeader'"},
		{"signed headers upper case", authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host;X-Amz-Date, " + sig), sigv4.Malformed, ""},
		{"signed headers empty name", authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, " + sig), sigv4.Malformed, ""},
		{"two authorization headers", func(r *http.Request) { r.Header.Add("Authorization", r.Header.Get("Authorization")) }, sigv4.Malformed, ""},
		{"no x-amz-date", func(r *http.Request) { r.Header.Del("X-Amz-Date") }, sigv4.Malformed, "'X-Amz-Date'"},
		{"x-amz-date extended format", func(r *http.Request) { r.Header.Set("X-Amz-Date", "2024-01-01T00:10:00Z") }, sigv4.Malformed, "ISO-8601 'basic format'"},
		{"x-amz-date out of range", func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240132T001000Z") }, sigv4.Malformed, ""},
		{"x-amz-date twice", func(r *http.Request) { r.Header.Add("X-Amz-Date", "20240101T001000Z") }, sigv4.Malformed, ""},
		{"session token not signed", func(r *http.Request) { r.Header.Set("X-Amz-Security-Token", "tok") }, sigv4.Malformed, "X-Amz-Security-Token"},
		{"header and query auth", func(r *http.Request) { r.URL.RawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256" }, sigv4.Malformed, "Only one auth mechanism"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := serverView(t, sign(t, ecsJSON(botocore)))
			tt.mutate(r)
			v := sigv4.Verifier{Lookup: lookup, Now: signedAt}
			_, err := v.Verify(r, body)
			checkResult(t, sigv4.Identity{}, err, sigv4.Identity{}, tt.want)
			if !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("message %q does not contain %q", err, tt.message)
			}
		})
	}
}

func TestVerifyMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		now     time.Time
		lookup  sigv4.Lookup
		message string
	}{
		{"expired", time.Date(2024, 1, 1, 0, 20, 0, 0, time.UTC), lookup,
			"Signature expired: 20240101T001000Z is now earlier than 20240101T001500Z (20240101T002000Z - 5 min.)"},
		{"not yet current", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), lookup,
			"Signature not yet current: 20240101T001000Z is still later than 20240101T000500Z (20240101T000000Z + 5 min.)"},
		{"unknown key", signedAt(), func(string) (string, bool) { return "", false },
			"The security token included in the request is invalid."},
		{"signature mismatch", signedAt(), func(string) (string, bool) { return "x", true },
			"The request signature we calculated does not match the signature you provided. " +
				"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := serverView(t, sign(t, ecsJSON(jsSDK)))
			v := sigv4.Verifier{Lookup: tt.lookup, Now: func() time.Time { return tt.now }}
			if _, err := v.Verify(r, body); err == nil || err.Error() != tt.message {
				t.Fatalf("error = %v\nwant    %s", err, tt.message)
			}
		})
	}
}

func TestVerifierZeroValue(t *testing.T) {
	t.Parallel()
	r, body := serverView(t, sign(t, ecsJSON(botocore)))
	_, err := sigv4.Verifier{Now: signedAt}.Verify(r, body)
	checkResult(t, sigv4.Identity{}, err, sigv4.Identity{}, sigv4.UnknownKey)
}

// presign returns a presigned GET request as a client would send it.
func presign(t *testing.T, rawURL, token string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: token}
	signed, header, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, hashHex(nil), "sts", "us-east-1", signedAt())
	if err != nil {
		t.Fatal(err)
	}
	out, err := http.NewRequest(http.MethodGet, signed, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

func TestVerifyPresigned(t *testing.T) {
	t.Parallel()
	const (
		base        = "http://127.0.0.1:4566/?Action=GetCallerIdentity&Version=2011-06-15"
		withExpires = base + "&X-Amz-Expires=60"
	)
	stsID := sigv4.Identity{AccessKeyID: testKeyID, Region: "us-east-1", Service: "sts"}
	tests := []struct {
		name   string
		url    string
		token  string
		after  func(*http.Request)
		now    time.Duration
		want   sigv4.Reason
		wantID sigv4.Identity
	}{
		{name: "valid", url: withExpires, now: 30 * time.Second, wantID: stsID},
		{name: "valid at expiry", url: withExpires, now: time.Minute, wantID: stsID},
		{name: "expired", url: withExpires, now: 61 * time.Second, want: sigv4.Expired},
		{name: "in the future", url: withExpires, now: -6 * time.Minute, want: sigv4.NotYetCurrent},
		{name: "no expires within skew", url: base, now: 4 * time.Minute, wantID: stsID},
		{name: "no expires beyond skew", url: base, now: 6 * time.Minute, want: sigv4.Expired},
		{name: "session token", url: withExpires, token: "tok",
			wantID: sigv4.Identity{AccessKeyID: testKeyID, SessionToken: "tok", Region: "us-east-1", Service: "sts"}},
		{name: "tampered parameter", url: withExpires, want: sigv4.SignatureMismatch,
			after: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "GetCallerIdentity", "AssumeRole", 1)
			}},
		{name: "extended expiry", url: withExpires, want: sigv4.SignatureMismatch, now: 2 * time.Minute,
			after: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=60", "X-Amz-Expires=600", 1)
			}},
		{name: "expires beyond a week", url: base + "&X-Amz-Expires=604801", want: sigv4.Malformed},
		{name: "missing signature", url: withExpires, want: sigv4.Malformed,
			after: func(r *http.Request) {
				q := r.URL.Query()
				q.Del("X-Amz-Signature")
				r.URL.RawQuery = q.Encode()
			}},
		{name: "wrong algorithm", url: withExpires, want: sigv4.Malformed,
			after: func(r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			signed := presign(t, tt.url, tt.token)
			if tt.after != nil {
				tt.after(signed)
			}
			r, body := serverView(t, signed)
			v := sigv4.Verifier{Lookup: lookup, Now: func() time.Time { return signedAt().Add(tt.now) }}
			id, err := v.Verify(r, body)
			checkResult(t, id, err, tt.wantID, tt.want)
		})
	}
}
