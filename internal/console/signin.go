package console

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

type signinView struct {
	Next  string
	KeyID string
	Error string
}

func (c *Console) signinPage(w http.ResponseWriter, r *http.Request) {
	if c.sessions.get(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.render(w, r, nil, http.StatusOK, "signin", "Sign in", signinView{Next: localPath(r.URL.Query().Get("next"))})
}

// signin checks the access key and secret as the API's SigV4 check would find them, and
// starts a session.
func (c *Console) signin(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(r); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	id := strings.TrimSpace(r.PostFormValue("accessKeyId"))
	secret := r.PostFormValue("secretAccessKey")
	next := localPath(r.PostFormValue("next"))
	key, ok := c.deps.Keys(id)
	if !ok || subtle.ConstantTimeCompare([]byte(key.Secret), []byte(secret)) != 1 {
		c.deps.Logger.Info("console sign-in refused", "access_key_id", id)
		c.render(w, r, nil, http.StatusUnauthorized, "signin", "Sign in", signinView{
			Next: next, KeyID: id, Error: "The access key ID or the secret access key is not right (InvalidClientTokenId).",
		})
		return
	}
	sess, err := c.sessions.start(key.Principal)
	if err != nil {
		http.Error(w, "could not start a session", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, sessionCookie(r, sess.id, 0))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signout ends the session; it needs the session's CSRF token, so no other site can sign a
// user out.
func (c *Console) signout(w http.ResponseWriter, r *http.Request) {
	sess := c.sessions.get(r)
	if sess != nil {
		if err := parseForm(r); err != nil || !sess.validCSRF(r.PostFormValue("csrf")) {
			http.Error(w, "CSRF check failed", http.StatusForbidden)
			return
		}
		c.sessions.end(sess.id)
	}
	http.SetCookie(w, sessionCookie(r, "", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// localPath returns p when it is a path of this site, "/" otherwise, so a sign-in link
// cannot send the browser elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
