package registry_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/registry"
	"github.com/fargohq/fargo/internal/registry/registrytest"
)

// get sends GET path with an Authorization header (none when auth is "").
func get(t *testing.T, env *registrytest.Env, path, auth string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, env.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, _ := apitest.Do(t, req)
	return resp
}

func basic(password string) string {
	req, _ := http.NewRequest(http.MethodGet, "/", nil)
	req.SetBasicAuth("AWS", password)
	return req.Header.Get("Authorization")
}

func TestChallengeAndTokens(t *testing.T) {
	t.Parallel()
	now := time.Now()
	var offset atomic.Int64
	clock := func() time.Time { return now.Add(time.Duration(offset.Load())) }
	env := registrytest.Start(t, registrytest.Options{Now: clock})
	token := env.Token(t)

	resp := get(t, env, "/v2/", "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /v2/ without credentials: %d", resp.StatusCode)
	}
	if got, want := resp.Header.Get("WWW-Authenticate"), `Basic realm="`+env.URL+`/",service="ecr.amazonaws.com"`; got != want {
		t.Fatalf("challenge %q, want %q", got, want)
	}
	forged := strings.Replace(token, ".", ".X", 1)
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"basic token", basic(token), http.StatusOK},
		{"bearer token", "Bearer " + token, http.StatusOK},
		{"wrong user", "Basic " + strings.TrimPrefix(basic(token), "Basic ")[:4] + "x", http.StatusUnauthorized},
		{"forged token", basic(forged), http.StatusUnauthorized},
		{"SigV4 secret as password", basic(env.Credentials.SecretAccessKey), http.StatusUnauthorized},
		{"other scheme", "Digest x", http.StatusUnauthorized},
	} {
		if got := get(t, env, "/v2/", tc.auth).StatusCode; got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}

	offset.Store(int64(ecr.TokenTTL + time.Second))
	if got := get(t, env, "/v2/", basic(token)).StatusCode; got != http.StatusUnauthorized {
		t.Errorf("a token past its 12 hours: %d", got)
	}
	offset.Store(0)
	if _, err := credentials.Rotate(env.DataDir, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := get(t, env, "/v2/", basic(token)).StatusCode; got != http.StatusUnauthorized {
		t.Errorf("a token of a rotated access key: %d", got)
	}
}

// TestBearerFlow makes the registry challenge with Bearer and lets a client that follows the
// Docker token flow push and pull.
func TestBearerFlow(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{Registry: registry.Config{BearerChallenge: true}})
	createRepository(t, env, "demo", "")
	token := env.Token(t)

	resp := get(t, env, "/v2/demo/tags/list", "")
	challenge := resp.Header.Get("WWW-Authenticate")
	if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(challenge, `Bearer realm="`+env.URL+`/v2/token"`) ||
		!strings.Contains(challenge, `scope="repository:demo:pull"`) {
		t.Fatalf("challenge %d %q", resp.StatusCode, challenge)
	}
	if got := get(t, env, "/v2/token?service=ecr.amazonaws.com", basic("wrong")).StatusCode; got != http.StatusUnauthorized {
		t.Fatalf("token endpoint with a wrong password: %d", got)
	}
	req, _ := http.NewRequest(http.MethodGet, env.URL+"/v2/token?service=ecr.amazonaws.com&scope=repository:demo:pull,push", nil)
	req.SetBasicAuth("AWS", token)
	resp, body := apitest.Do(t, req)
	var tok struct {
		Token     string `json:"token"`
		ExpiresIn int    `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || resp.StatusCode != http.StatusOK || tok.Token == "" || tok.ExpiresIn < 43000 {
		t.Fatalf("token endpoint: %d %s (%v)", resp.StatusCode, body, err)
	}

	img, err := random.Image(512, 1)
	if err != nil {
		t.Fatal(err)
	}
	// go-containerregistry pings /v2/, sees the Bearer challenge and fetches a token.
	auth := remote.WithAuth(&authn.Basic{Username: "AWS", Password: token})
	if err := remote.Write(env.Ref(t, "demo:v1"), img, auth); err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Image(env.Ref(t, "demo:v1"), auth); err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(env.Ref(t, "demo:v2"), img, remote.WithAuth(&authn.Basic{Username: "AWS", Password: "wrong"})); err == nil {
		t.Fatal("a push with a wrong password through the token flow succeeded")
	}
}

// TestOAuthTokenGrant exchanges the ECR password for a Bearer token with an OAuth2 password
// grant, a form post that the front door must leave to the registry.
func TestOAuthTokenGrant(t *testing.T) {
	t.Parallel()
	env := registrytest.Start(t, registrytest.Options{})
	token := env.Token(t)
	for _, tc := range []struct {
		name, form string
		want       int
	}{
		{"password grant", "grant_type=password&username=AWS&service=ecr.amazonaws.com&password=" + url.QueryEscape(token), http.StatusOK},
		{"wrong password", "grant_type=password&username=AWS&password=wrong", http.StatusUnauthorized},
		{"refresh grant", "grant_type=refresh_token&refresh_token=x", http.StatusBadRequest},
	} {
		req, _ := http.NewRequest(http.MethodPost, env.URL+"/v2/token", strings.NewReader(tc.form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, body := apitest.Do(t, req)
		if resp.StatusCode != tc.want {
			t.Fatalf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
		if tc.want == http.StatusOK {
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			if err := json.Unmarshal(body, &tok); err != nil || get(t, env, "/v2/", "Bearer "+tok.AccessToken).StatusCode != http.StatusOK {
				t.Fatalf("%s: the access token %s does not open /v2/ (%v)", tc.name, body, err)
			}
		}
	}
}
