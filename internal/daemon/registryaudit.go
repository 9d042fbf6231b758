package daemon

import (
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/registry"
)

// registryAudit turns the registry's requests on repositories (docker push and pull) into
// records of the audit log, as the front door records API calls: the ECR action of the
// request as its operation, the repository as its resource.
func registryAudit(dir *identity.Directory, record func(api.Record)) func(registry.Access) {
	return func(a registry.Access) {
		rec := api.Record{
			Time: a.Time.UTC(), Service: "ecr", Operation: registryOperation(a.Method, a.Route),
			Resources: [][]string{{a.Repository}}, Allowed: a.AccessKeyID != "" && !a.Denied,
		}
		if a.AccessKeyID != "" {
			if p, ok := dir.Principal(a.AccessKeyID); ok {
				rec.Principal = p.ARN
			}
		}
		switch {
		case a.Denied:
			rec.ErrorCode = "DENIED"
		case a.Status == http.StatusUnauthorized:
			rec.ErrorCode = "UNAUTHORIZED"
		case a.Status >= 400:
			rec.ErrorCode = "HTTP " + strconv.Itoa(a.Status)
		}
		if host, _, err := net.SplitHostPort(a.RemoteAddr); err == nil {
			rec.SourceIP = host
		}
		record(rec)
	}
}

// registryOperation names a registry request by the ECR action it needs (BatchGetImage,
// PutImage, ...), or by its method and route when it needs none.
func registryOperation(method, route string) string {
	if rule, ok := authz.RegistryRuleFor(method, authz.RegistryRoute(route)); ok {
		_, op, _ := strings.Cut(rule.Action, ":")
		return op
	}
	return method + " " + route
}
