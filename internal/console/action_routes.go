package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/errdefs"
)

func (c *Console) actionRoutes() {
	c.action("/clusters", c.createCluster)
	c.action("/clusters/{cluster}/services", c.createService)
	c.action("/clusters/{cluster}/services/{service}/update", c.updateService)
	c.action("/clusters/{cluster}/services/{service}/deployments", c.startDeployment)
	c.action("/clusters/{cluster}/tasks/{task}/stop", c.stopTask)
	c.action("/task-definitions", c.registerTaskDefinition)
	c.action("/task-definitions/json", c.registerTaskDefinitionJSON)
	c.action("/target-groups", c.createTargetGroup)
	c.action("/load-balancers", c.createLoadBalancer)
	c.action("/repositories", c.createRepository)
	c.action("/codedeploy/deployments/{id}/continue", c.continueDeployment)
	c.action("/codedeploy/deployments/{id}/terminate", c.terminateOriginal)
	c.action("/codedeploy/deployments/{id}/stop", c.stopDeployment)
}

// allow is the authorization of one action on one resource.
func (c *Console) allow(r *http.Request, sess *session, action, resource string) error {
	return c.authorize(r.Context(), sess.principal, action, resource)
}

// form reads the fields of a posted form, collecting the first problem, so a handler checks
// every field before it changes anything.
type form struct {
	r   *http.Request
	err error
}

// text is field name, trimmed; required fields must not be empty.
func (f *form) text(name, label string, required bool) string {
	v := strings.TrimSpace(f.r.PostFormValue(name))
	if v == "" && required && f.err == nil {
		f.err = errdefs.InvalidArgument("%s is required.", label)
	}
	return v
}

// number is field name as an integer in [lo, hi]; def when the field is empty and not
// required.
func (f *form) number(name, label string, lo, hi, def int, required bool) int {
	v := f.text(name, label, required)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if (err != nil || n < lo || n > hi) && f.err == nil {
		f.err = errdefs.InvalidArgument("%s must be a whole number from %d to %d, not %q.", label, lo, hi, v)
	}
	return n
}

// pathTo joins escaped path segments.
func pathTo(segments ...string) string {
	var b strings.Builder
	for _, s := range segments {
		b.WriteString("/" + url.PathEscape(s))
	}
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }
