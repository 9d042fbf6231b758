package daemon

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/ecrapi"
	"github.com/fargohq/fargo/internal/api/elbapi"
	"github.com/fargohq/fargo/internal/api/iamapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/authz"
)

// TestEveryOperationHasAnAuthorizationRule reads the operations of every service the front
// door serves and checks that the authorization table has a row for each, so that a new
// operation without one fails here rather than being denied to every user.
func TestEveryOperationHasAnAuthorizationRule(t *testing.T) {
	t.Parallel()
	scope := arn.Scope{Partition: "aws", Region: "us-east-1", AccountID: "000000000000"}
	apis := newConsoleAPIs(nil, scope, elbapi.Config{}, ecrapi.New(scope, ecrapi.Config{}, ecrapi.Deps{}), nil, nil)
	services := apiServices(apis, iamapi.New(scope.AccountID, iamapi.Deps{}).Service(), nil, scope, nil, nil, cloudWatchDeps{})
	if len(services) < 7 {
		t.Fatalf("%d services; the test reads fewer than the front door serves", len(services))
	}
	served := map[string]map[string]awsproto.Handler{}
	for _, s := range services {
		if len(s.Operations) == 0 {
			t.Errorf("service %s has no operations", s.Name)
		}
		served[s.Name] = s.Operations
		for op := range s.Operations {
			if _, ok := authz.RuleFor(s.Name, op); !ok {
				t.Errorf("%s:%s has no row in the authorization table (internal/authz/table.go; docs/iam.md)", s.Name, op)
			}
		}
	}
	// A row of a served service names one of its operations: no typos, no rows left behind.
	// Rows of a service not served yet (IAM until its API lands) are checked once it is.
	for _, key := range authz.Operations() {
		service, op, _ := strings.Cut(key, ":")
		if ops, ok := served[service]; ok && ops[op] == nil {
			t.Errorf("the authorization table's row %s names no operation that %s serves", key, service)
		}
	}
}

// TestRegistryRequestsHaveAuthorizationRules checks the registry's push and pull: docker
// push and pull use these methods on these routes.
func TestRegistryRequestsHaveAuthorizationRules(t *testing.T) {
	t.Parallel()
	for _, r := range []struct {
		method string
		route  authz.RegistryRoute
	}{
		{http.MethodGet, authz.RegistryManifest}, {http.MethodHead, authz.RegistryManifest}, {http.MethodPut, authz.RegistryManifest},
		{http.MethodGet, authz.RegistryBlob}, {http.MethodHead, authz.RegistryBlob},
		{http.MethodPost, authz.RegistryUpload}, {http.MethodPatch, authz.RegistryUpload}, {http.MethodPut, authz.RegistryUpload},
		{http.MethodGet, authz.RegistryTags},
	} {
		if _, ok := authz.RegistryRuleFor(r.method, r.route); !ok {
			t.Errorf("%s %s has no rule", r.method, r.route)
		}
	}
}
