package sigv4_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testKeyID  = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

	jsonType  = "application/x-amz-json-1.1"
	queryType = "application/x-www-form-urlencoded; charset=utf-8"
)

// style is the set of headers a client family signs, as captured in aws-api.md §1.4.
type style int

const (
	// botocore signs content-type;host;x-amz-date[;x-amz-target] and sends no payload hash.
	botocore style = iota
	// jsSDK signs content-length, the amz-sdk-* headers, x-amz-content-sha256 and
	// x-amz-user-agent as well.
	jsSDK
)

// request describes a request to sign with the real aws-sdk-go-v2 signer.
type request struct {
	style   style
	method  string
	url     string
	body    string
	headers map[string]string   // set before signing, so signed
	prepare func(*http.Request) // runs before signing, when set
	service string
	token   string
	at      time.Time
	// payloadHash is what the client signs as the payload's hash (the JS SDK also sends it in
	// X-Amz-Content-Sha256): the body's SHA-256 when empty, or for example UNSIGNED-PAYLOAD.
	payloadHash string
}

// signedAt is the signing time of every request unless a case says otherwise.
func signedAt() time.Time { return time.Date(2024, 1, 1, 0, 10, 0, 0, time.UTC) }

func hashHex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sign returns req as a client would send it, signed by the SDK signer.
func sign(t testing.TB, req request) *http.Request {
	t.Helper()
	r, err := http.NewRequest(req.method, req.url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range req.headers {
		r.Header.Set(k, v)
	}
	if req.prepare != nil {
		req.prepare(r)
	}
	body := []byte(req.body)
	payload := cmp.Or(req.payloadHash, hashHex(body))
	if req.style == jsSDK {
		r.Header.Set("Amz-Sdk-Invocation-Id", "2d7b3a52-0b6a-4a8e-9a57-3c3e0a1b2c3d")
		r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
		r.Header.Set("X-Amz-User-Agent", "aws-sdk-js/3.1075.0")
		r.Header.Set("X-Amz-Content-Sha256", payload)
		r.ContentLength = int64(len(body)) // the signer signs content-length only when positive
	}
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: req.token}
	at := req.at
	if at.IsZero() {
		at = signedAt()
	}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payload, req.service, "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	// Attached after signing so that botocore-style requests do not sign content-length.
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	r.Header.Set("User-Agent", "aws-cli/1.45.11") // never signed
	return r
}

// serverView sends r through the HTTP/1.1 wire format and reads it back as an http.Server
// would, returning the request and its body.
func serverView(t testing.TB, r *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := r.Write(&wire); err != nil {
		t.Fatal(err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	return got, body
}

// signedHeaders returns the SignedHeaders part of r's Authorization header.
func signedHeaders(r *http.Request) string {
	_, rest, _ := strings.Cut(r.Header.Get("Authorization"), "SignedHeaders=")
	names, _, _ := strings.Cut(rest, ",")
	return names
}

func lookup(id string) (string, bool) {
	if id == testKeyID {
		return testSecret, true
	}
	return "", false
}
