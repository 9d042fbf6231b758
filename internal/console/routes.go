package console

import (
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
)

// viewFunc renders a page or fragment for a signed-in session.
type viewFunc func(w http.ResponseWriter, r *http.Request, sess *session) error

// actionFunc performs a form's action and returns where to go next.
type actionFunc func(r *http.Request, sess *session) (next string, err error)

func (c *Console) routes() {
	static, _ := fs.Sub(assets, "static")
	c.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	c.mux.HandleFunc("GET /signin", c.signinPage)
	c.mux.HandleFunc("POST /signin", c.signin)
	c.mux.HandleFunc("POST /signout", c.signout)
	c.pageRoutes()
	c.actionRoutes()
	c.liveRoutes()
}

// page serves a page that needs a session and action on resource "*"; without a session it
// sends the browser to sign in.
func (c *Console) page(pattern, action string, fn viewFunc) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		sess := c.sessions.get(r)
		if sess == nil {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if err := c.authorize(r.Context(), sess.principal, action, "*"); err != nil {
			c.renderError(w, r, sess, err)
			return
		}
		if err := fn(w, r, sess); err != nil {
			c.renderError(w, r, sess, err)
		}
	})
}

// fragment serves a fragment or an event stream: without a session it answers 401, as a
// script cannot follow a redirect to a sign-in page.
func (c *Console) fragment(pattern, action string, fn viewFunc) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		sess := c.sessions.get(r)
		if sess == nil {
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		if err := c.authorize(r.Context(), sess.principal, action, "*"); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		if err := fn(w, r, sess); err != nil {
			http.Error(w, c.describe(err), statusOf(err))
		}
	})
}

// action serves a form post: it needs a session and the session's CSRF token, and answers the
// browser with a redirect to the result or the form's page with the error.
func (c *Console) action(pattern string, fn actionFunc) {
	c.mux.HandleFunc("POST "+pattern, func(w http.ResponseWriter, r *http.Request) {
		sess := c.sessions.get(r)
		if sess == nil {
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		if err := parseForm(r); err != nil {
			http.Error(w, "unreadable form", http.StatusBadRequest)
			return
		}
		if !sess.validCSRF(r.PostFormValue("csrf")) {
			http.Error(w, "The form has expired or did not come from this console (CSRF check failed). Reload the page and try again.", http.StatusForbidden)
			return
		}
		next, err := fn(r.WithContext(c.deps.WithPrincipal(r.Context(), sess.principal)), sess)
		if err != nil {
			c.renderError(w, r, sess, err)
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

// maxFormBytes caps a form, task definition JSON included.
const maxFormBytes = 1 << 20

// parseForm reads a multipart (or, for direct clients, urlencoded) form.
func parseForm(r *http.Request) error {
	r.Body = http.MaxBytesReader(nil, r.Body, maxFormBytes)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return r.ParseMultipartForm(maxFormBytes)
	}
	err := r.ParseForm()
	if errors.Is(err, http.ErrNotMultipart) {
		return nil
	}
	return err
}
