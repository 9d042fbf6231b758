package sigv4_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/sigv4"
)

// FuzzVerify feeds arbitrary Authorization headers, dates, query strings, bodies and
// X-Amz-Content-Sha256 values to Verify, which must never panic and must fail only with a
// *sigv4.Error. A request it accepts must carry exactly the body that was signed: the fuzzer
// cannot forge a signature, so an accepted body that differs from the signed one means the
// body was not checked. A request that declares UNSIGNED-PAYLOAD signs no body at all, which
// the package refuses (see its documentation), so Verify must never accept one.
func FuzzVerify(f *testing.F) {
	js := sign(f, ecsJSON(jsSDK))
	seed, body := serverView(f, js)
	other := []byte(`{"cluster":"prod","services":["web"]}`)
	// The same request as the JS SDK signs it, as botocore signs it (no payload hash header),
	// and as the JS SDK signs it with UNSIGNED-PAYLOAD: every other header is the same, so
	// each Authorization fits the seed request.
	botocoreAuth := sign(f, ecsJSON(botocore)).Header.Get("Authorization")
	unsignedReq := ecsJSON(jsSDK)
	unsignedReq.payloadHash = unsignedPayload
	unsignedAuth := sign(f, unsignedReq).Header.Get("Authorization")
	authz, date, sum := js.Header.Get("Authorization"), js.Header.Get("X-Amz-Date"), js.Header.Get("X-Amz-Content-Sha256")
	f.Add(authz, date, "", body, sum)
	f.Add(authz, date, "", other, sum)
	f.Add(authz, date, "", other, hashHex(other))
	f.Add(botocoreAuth, date, "", body, "")
	f.Add(botocoreAuth, date, "", other, "")
	f.Add(unsignedAuth, date, "", body, unsignedPayload)
	f.Add(unsignedAuth, date, "", other, unsignedPayload)
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host;;, Signature=00",
		"20240101T001000Z", "a=1&b=%zz", []byte("{}"), "")
	f.Add("", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fsts%2Faws4_request"+
		"&X-Amz-Date=20240101T001000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=-1", []byte(nil), "")
	v := sigv4.Verifier{Lookup: lookup, Now: signedAt}
	f.Fuzz(func(t *testing.T, authz, date, rawQuery string, got []byte, contentSHA256 string) {
		r := seed.Clone(context.Background())
		r.Header.Set("Authorization", authz)
		r.Header.Set("X-Amz-Date", date)
		if contentSHA256 == "" {
			r.Header.Del("X-Amz-Content-Sha256")
		} else {
			r.Header.Set("X-Amz-Content-Sha256", contentSHA256)
		}
		r.URL.RawQuery = rawQuery
		id, err := v.Verify(r, got)
		if err == nil {
			switch {
			case id.AccessKeyID != testKeyID:
				t.Fatalf("verified an unknown key: %+v", id)
			case strings.EqualFold(strings.TrimSpace(contentSHA256), unsignedPayload):
				t.Fatalf("verified a request that declares %s, whose body no signature covers", unsignedPayload)
			case !bytes.Equal(got, body):
				t.Fatalf("verified body %q, but the signed body is %q", got, body)
			}
			return
		}
		var e *sigv4.Error
		if !errors.As(err, &e) || e.Message == "" || e.Reason.String() == "unknown reason" {
			t.Fatalf("error %#v is not a complete *sigv4.Error", err)
		}
	})
}

// unsignedPayload is what a client signs instead of the payload's hash when it does not sign
// the body (S3 does this; fargo's services refuse it).
const unsignedPayload = "UNSIGNED-PAYLOAD"

func BenchmarkVerify(b *testing.B) {
	req := ecsJSON(jsSDK)
	r, body := serverView(b, sign(b, req))
	v := sigv4.Verifier{Lookup: lookup, Now: signedAt}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}
