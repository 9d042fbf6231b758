package console

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
)

//go:embed all:templates static
var assets embed.FS

// pages are the parsed templates: each page's own file with the layout and the shared
// fragments.
type pages map[string]*template.Template

// view is what every page template gets.
type view struct {
	Title     string
	Principal Principal
	CSRF      string
	SignedIn  bool
	Data      any
}

func parsePages() (pages, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := pages{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" || strings.HasPrefix(base, "_") {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/_*.html", name)
		if err != nil {
			return nil, fmt.Errorf("console template %s: %w", name, err)
		}
		p[base] = t
	}
	return p, nil
}

// render writes page with data inside the layout.
func (c *Console) render(w http.ResponseWriter, _ *http.Request, sess *session, status int, page, title string, data any) {
	v := view{Title: title, Data: data}
	if sess != nil {
		v.Principal, v.CSRF, v.SignedIn = sess.principal, sess.csrf, true
	}
	c.write(w, status, page, "layout", v)
}

func (c *Console) write(w http.ResponseWriter, status int, page, name string, data any) {
	var buf bytes.Buffer
	if err := c.pages[page].ExecuteTemplate(&buf, name, data); err != nil {
		c.deps.Logger.Error("console template failed", "page", page, "err", err)
		http.Error(w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

type errorView struct {
	Message string
	Back    string
}

// renderError shows err in plain words with its AWS error code.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	status := statusOf(err)
	if status >= 500 {
		c.deps.Logger.Error("console request failed", "path", r.URL.Path, "err", err)
	}
	back := r.Referer()
	if r.Method == http.MethodGet {
		back = "/"
	}
	c.render(w, r, sess, status, "error", "Something went wrong", errorView{Message: c.describe(err), Back: localPath(strings.TrimPrefix(back, originOf(r)))})
}

// describe is err's message for people, followed by the AWS error code the API answers it with.
func (c *Console) describe(err error) string {
	msg := errdefs.Message(err)
	code := c.code(err)
	if code == "" {
		return msg
	}
	return msg + " (" + code + ")"
}

// code is the AWS error code of err, asking the service whose sentinel it is.
func (c *Console) code(err error) string {
	if errors.Is(err, errdefs.ErrPermissionDenied) {
		return "AccessDenied"
	}
	var se *serviceError
	if errors.As(err, &se) {
		return c.deps.ErrorCode(se.service, se.err)
	}
	return ""
}

// serviceError remembers which service an action's error came from, for its AWS code.
type serviceError struct {
	service string
	err     error
}

func (e *serviceError) Error() string { return e.err.Error() }
func (e *serviceError) Unwrap() error { return e.err }

// in marks err as an error of service; nil stays nil.
func in(service string, err error) error {
	if err == nil {
		return nil
	}
	return &serviceError{service: service, err: err}
}

func statusOf(err error) int {
	switch {
	case errors.Is(err, errdefs.ErrPermissionDenied):
		return http.StatusForbidden
	case errors.Is(err, errdefs.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, errdefs.ErrInvalidArgument), errors.Is(err, errdefs.ErrAlreadyExists),
		errors.Is(err, errdefs.ErrFailedPrecondition), errors.Is(err, errdefs.ErrLimitExceeded):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

func originOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

var funcs = template.FuncMap{
	"when":    when,
	"short":   shortARN,
	"lower":   strings.ToLower,
	"taskdef": taskDefinitionName,
	"group":   targetGroupName,
	"dict":    dict,
}

// dict makes a map of key, value pairs, to hand a template several values.
func dict(kv ...any) map[string]any {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		m[k] = kv[i+1]
	}
	return m
}

// taskDefinitionName is family:revision of a task definition ARN.
func taskDefinitionName(a string) string {
	if _, rest, ok := strings.Cut(a, ":task-definition/"); ok {
		return rest
	}
	return a
}

// targetGroupName is the name in a target group ARN (targetgroup/<name>/<id>).
func targetGroupName(a string) string {
	_, rest, ok := strings.Cut(a, ":targetgroup/")
	if !ok {
		return a
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}

// when formats t for people, "—" when it is unset.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// shortARN is the part of an ARN after its last '/' or ':', the name people know.
func shortARN(a string) string {
	if i := strings.LastIndexAny(a, "/:"); i >= 0 {
		return a[i+1:]
	}
	return a
}
