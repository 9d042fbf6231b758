package sigv4_test

import (
	"context"
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/api/sigv4"
)

// FuzzVerify feeds arbitrary Authorization headers, dates, query strings and bodies to Verify,
// which must never panic and must fail only with a *sigv4.Error.
func FuzzVerify(f *testing.F) {
	seed, body := serverView(f, sign(f, ecsJSON(jsSDK)))
	f.Add(seed.Header.Get("Authorization"), seed.Header.Get("X-Amz-Date"), "", body)
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecs/aws4_request, SignedHeaders=host;;, Signature=00",
		"20240101T001000Z", "a=1&b=%zz", []byte("{}"))
	f.Add("", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fsts%2Faws4_request"+
		"&X-Amz-Date=20240101T001000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=-1", []byte(nil))
	v := sigv4.Verifier{Lookup: lookup, Now: signedAt}
	f.Fuzz(func(t *testing.T, authz, date, rawQuery string, body []byte) {
		r := seed.Clone(context.Background())
		r.Header.Set("Authorization", authz)
		r.Header.Set("X-Amz-Date", date)
		r.URL.RawQuery = rawQuery
		id, err := v.Verify(r, body)
		if err == nil {
			if id.AccessKeyID != testKeyID {
				t.Fatalf("verified an unknown key: %+v", id)
			}
			return
		}
		var e *sigv4.Error
		if !errors.As(err, &e) || e.Message == "" || e.Reason.String() == "unknown reason" {
			t.Fatalf("error %#v is not a complete *sigv4.Error", err)
		}
	})
}

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
