package apitest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// RawJSON sends a hand-made awsJson1_1 request for target with body, signed for service as the
// SDKs sign it, and returns the response with its body read.
func (e *Env) RawJSON(t testing.TB, service, target string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	e.Sign(t, req, service, body, time.Now())
	return Do(t, req)
}

// Sign signs req with the environment's credentials for service at time now.
func (e *Env) Sign(t testing.TB, req *http.Request, service string, body []byte, now time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: e.Credentials.AccessKeyID, SecretAccessKey: e.Credentials.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(Context(t), creds, req, hex.EncodeToString(sum[:]), service, Region, now); err != nil {
		t.Fatal(err)
	}
}

// Do sends req and returns the response with its body read and closed.
func Do(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
