package console_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/console"
	"github.com/fargohq/fargo/internal/credentials"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

func TestWithoutSessionEverythingIsRefused(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.browser(t)
	tests := []struct {
		name, method, path string
		want               int
	}{
		{"page redirects to sign-in", http.MethodGet, "/", http.StatusSeeOther},
		{"deep page redirects to sign-in", http.MethodGet, "/clusters/default/services/web", http.StatusSeeOther},
		{"deployment page redirects", http.MethodGet, "/codedeploy/deployments/d-AAAAAAAAA", http.StatusSeeOther},
		{"event stream is 401", http.MethodGet, "/events?watch=services", http.StatusUnauthorized},
		{"log stream is 401", http.MethodGet, "/clusters/demo/tasks/abc/logs?container=app", http.StatusUnauthorized},
		{"action redirects and does nothing", http.MethodPost, "/clusters", http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp *http.Response
			if tt.method == http.MethodGet {
				resp, _ = b.get(tt.path)
			} else {
				resp, _ = b.post(tt.path, map[string]string{"clusterName": "sneaky"})
			}
			wantStatus(t, resp, tt.want)
			if tt.want == http.StatusSeeOther && !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
				t.Errorf("Location = %q, want the sign-in page", resp.Header.Get("Location"))
			}
		})
	}
	if _, err := e.Store.Clusters.Get(ctx(t), "sneaky"); err == nil {
		t.Error("an action without a session created a cluster")
	}
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	e := start(t)
	t.Run("wrong secret", func(t *testing.T) {
		b := e.browser(t)
		resp, body := b.post("/signin", map[string]string{"accessKeyId": e.Creds.AccessKeyID, "secretAccessKey": "wrong"})
		wantStatus(t, resp, http.StatusUnauthorized)
		wantContains(t, body, "InvalidClientTokenId")
		resp, _ = b.get("/")
		wantStatus(t, resp, http.StatusSeeOther)
	})
	t.Run("unknown key", func(t *testing.T) {
		resp, _ := e.browser(t).post("/signin", map[string]string{"accessKeyId": "AKIANOPE", "secretAccessKey": e.Creds.SecretAccessKey})
		wantStatus(t, resp, http.StatusUnauthorized)
	})
	t.Run("right key sets a strict HttpOnly cookie", func(t *testing.T) {
		b := e.browser(t)
		resp, _ := b.post("/signin", map[string]string{"accessKeyId": e.Creds.AccessKeyID, "secretAccessKey": e.Creds.SecretAccessKey, "next": "/task-definitions"})
		wantStatus(t, resp, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != "/task-definitions" {
			t.Errorf("Location = %q", got)
		}
		cookie := resp.Header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Errorf("cookie %q is Secure over plain HTTP", cookie)
		}
		resp, body := b.get("/")
		wantStatus(t, resp, http.StatusOK)
		wantContains(t, body, "Clusters", e.Creds.AccessKeyID)
	})
	t.Run("next cannot leave the site", func(t *testing.T) {
		resp, _ := e.browser(t).post("/signin", map[string]string{"accessKeyId": e.Creds.AccessKeyID, "secretAccessKey": e.Creds.SecretAccessKey, "next": "//evil.example/"})
		if got := resp.Header.Get("Location"); got != "/" {
			t.Errorf("Location = %q, want /", got)
		}
	})
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := start(t)
	b := e.signedIn(t)
	other := e.signedIn(t)
	tests := []struct {
		name  string
		token string
	}{
		{"no token", ""},
		{"wrong token", "forged"},
		{"another session's token", other.csrf("/")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := b.post("/clusters", map[string]string{"clusterName": "forged", "csrf": tt.token})
			wantStatus(t, resp, http.StatusForbidden)
		})
	}
	resp, _ := b.post("/signout", map[string]string{"csrf": "forged"})
	wantStatus(t, resp, http.StatusForbidden)
	if _, err := e.Store.Clusters.Get(ctx(t), "forged"); err == nil {
		t.Error("a forged form created a cluster")
	}
	resp, _ = b.act("/", "/clusters", map[string]string{"clusterName": "real"})
	wantStatus(t, resp, http.StatusSeeOther)
}

func TestIdleExpiryAndSignOut(t *testing.T) {
	t.Parallel()
	e := start(t)
	t.Run("idle session expires", func(t *testing.T) {
		b := e.signedIn(t)
		e.clock.Advance(29 * time.Minute)
		resp, _ := b.get("/")
		wantStatus(t, resp, http.StatusOK) // use keeps it alive
		e.clock.Advance(31 * time.Minute)
		resp, _ = b.get("/")
		wantStatus(t, resp, http.StatusSeeOther)
		resp, _ = b.get("/events?watch=services")
		wantStatus(t, resp, http.StatusUnauthorized)
	})
	t.Run("sign out ends the session", func(t *testing.T) {
		b := e.signedIn(t)
		token := b.csrf("/")
		resp, _ := b.post("/signout", map[string]string{"csrf": token})
		wantStatus(t, resp, http.StatusSeeOther)
		if !strings.Contains(resp.Header.Get("Set-Cookie"), "Max-Age=0") {
			t.Errorf("sign-out does not remove the cookie: %q", resp.Header.Get("Set-Cookie"))
		}
		resp, _ = b.get("/")
		wantStatus(t, resp, http.StatusSeeOther)
	})
}

// denyAll refuses everything, as an IAM policy without statements does.
type denyAll struct{}

func (denyAll) Authorize(_ context.Context, p console.Principal, action, _ string) error {
	return errdefs.Detail(console.ErrAccessDenied, "User: %s is not authorized to perform: %s", p.ARN, action)
}

// TestEveryRequestPassesTheAuthorizer: with an Authorizer that refuses, a signed-in user sees
// no page and changes nothing, and the refusal names the IAM action.
func TestEveryRequestPassesTheAuthorizer(t *testing.T) {
	t.Parallel()
	e := start(t, func(d *console.Deps) { d.Authorizer = denyAll{} })
	b := e.signedIn(t)
	resp, body := b.get("/")
	wantStatus(t, resp, http.StatusForbidden)
	wantContains(t, body, "not authorized to perform: ecs:ListClusters (AccessDenied)")
	resp, _ = b.get("/events?watch=services")
	wantStatus(t, resp, http.StatusForbidden)
	before := e.revision(t)
	resp, body = b.act("/", "/clusters", map[string]string{"clusterName": "denied"})
	wantStatus(t, resp, http.StatusForbidden)
	wantContains(t, body, "ecs:CreateCluster")
	if after := e.revision(t); after != before {
		t.Error("a refused action wrote to the store")
	}
}

// TestSessionCookieIsSecureUnderTLS: a sign-in that came over TLS gets a Secure cookie.
func TestSessionCookieIsSecureUnderTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	creds, err := credentials.Ensure(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := credentials.NewKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	web := newConsole(t, store.New(mem), keys.Lookup, &clock{now: time.Now()}, nil)
	srv := httptest.NewTLSServer(web)
	t.Cleanup(srv.Close)
	b := &browser{t: t, base: srv.URL, c: srv.Client()}
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, _ := b.post("/signin", map[string]string{"accessKeyId": creds.AccessKeyID, "secretAccessKey": creds.SecretAccessKey})
	wantStatus(t, resp, http.StatusSeeOther)
	if cookie := resp.Header.Get("Set-Cookie"); !strings.Contains(cookie, "; Secure") || !strings.Contains(cookie, "HttpOnly") {
		t.Errorf("cookie over TLS = %q, want Secure and HttpOnly", cookie)
	}
}
