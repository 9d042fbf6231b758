package iamapi_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// rawQuery sends a hand-made IAM Query request, signed as the SDKs sign it: for what the SDK
// refuses to send (missing required members) and for the wire shape itself.
func rawQuery(t *testing.T, env *apitest.Env, form url.Values) (int, string) {
	t.Helper()
	form.Set("Version", "2010-05-08")
	body := []byte(form.Encode())
	req, err := http.NewRequest(http.MethodPost, env.URL+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	env.Sign(t, req, "iam", body, time.Now())
	resp, b := apitest.Do(t, req)
	return resp.StatusCode, string(b)
}

func TestWire(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"required member missing", url.Values{"Action": {"CreateUser"}}, badReq,
			[]string{"<Code>ValidationError</Code>", "Value null at &#39;userName&#39; failed to satisfy constraint: Member must not be null"}},
		{"list envelope", url.Values{"Action": {"ListUsers"}}, http.StatusOK,
			[]string{`<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`, "<ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult>", "<RequestId>"}},
		{"unknown operation", url.Values{"Action": {"CreateLoginProfile"}}, badReq, []string{"<Code>InvalidAction</Code>"}},
	} {
		status, body := rawQuery(t, env, tc.form)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, status, tc.status, body)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %s:\n%s", tc.name, w, body)
			}
		}
	}
}
