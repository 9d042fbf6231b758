package daemon

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iampolicy"
	"github.com/fargohq/fargo/internal/identity"
)

// authorizer authorizes API calls, console actions and registry requests alike: authz.Check
// of the table's action over the caller's identity-based policies, read afresh from the
// identity directory at every call, so a changed policy or a deactivated key applies at once.
type authorizer struct {
	dir   *identity.Directory
	scope arn.Scope
	cache *policyCache
	now   func() time.Time
}

func newAuthorizer(dir *identity.Directory, scope arn.Scope) *authorizer {
	return &authorizer{dir: dir, scope: scope, cache: &policyCache{m: map[string]iampolicy.Policy{}}, now: time.Now}
}

// API implements api.Deps.Authorize.
func (az *authorizer) API(_ context.Context, a api.Authorization) error {
	rule, ok := authz.RuleFor(a.Service, a.Operation)
	call := &authz.Call{
		Service: a.Service, Operation: a.Operation, Region: a.Caller.Region,
		SourceIP: a.SourceIP, SecureTransport: a.Secure, PassRoles: a.Target.PassRoles,
	}
	if ok && rule.Resource.Name != authz.Any.Name {
		scope := az.scope
		if a.Caller.Region != "" {
			scope.Region = a.Caller.Region
		}
		resources := a.Target.Resources
		if len(resources) == 0 && rule.Resource.Name == authz.IAMUser.Name && a.Caller.UserName != "" {
			// Access keys and policies of no named user are the caller's own.
			resources = [][]string{{a.Caller.ARN}}
		}
		for _, names := range resources {
			t := rule.Resource
			if len(names) == 1 && arn.IsARN(names[0]) {
				t = authz.RequestARN
			}
			resource, err := t.ARN(scope, names...)
			if err != nil {
				// The request names the resource badly: check the action on "*" and let the
				// operation answer the bad name.
				continue
			}
			call.Resources = append(call.Resources, authz.Resource{ARN: resource})
		}
	}
	return az.check(a.Caller.AccessKeyID, call)
}

// Registry implements registry.Deps.Authorize for the home region's registry: the ECR action
// of a push or pull request, checked on the repository.
func (az *authorizer) Registry(ctx context.Context, accessKeyID, method, route, repository string) error {
	return az.RegistryIn(az.scope.Region)(ctx, accessKeyID, method, route, repository)
}

// RegistryIn is Registry for the registry of region, on the region's repository ARNs.
func (az *authorizer) RegistryIn(region string) func(ctx context.Context, accessKeyID, method, route, repository string) error {
	scope := az.scope
	scope.Region = region
	return func(_ context.Context, accessKeyID, method, route, repository string) error {
		rule, ok := authz.RegistryRuleFor(method, authz.RegistryRoute(route))
		if !ok {
			return errdefs.Detail(authz.ErrAccessDenied, "The registry does not serve %s on %s.", method, route)
		}
		resource, err := rule.Resource.ARN(scope, repository)
		if err != nil {
			return err
		}
		service, operation, _ := strings.Cut(rule.Action, ":")
		call := &authz.Call{Service: service, Operation: operation, Rule: &rule, Region: region, Resources: []authz.Resource{{ARN: resource}}}
		return az.check(accessKeyID, call)
	}
}

// check completes call with the principal owning accessKeyID and checks it.
func (az *authorizer) check(accessKeyID string, call *authz.Call) error {
	p, ok := az.dir.Principal(accessKeyID)
	if !ok {
		return errdefs.Detail(authz.ErrAccessDenied, "The access key %s is not active.", accessKeyID)
	}
	call.Principal = authz.Principal{ARN: p.ARN, Account: p.AccountID, Username: p.UserName, UserID: p.UserID, Root: p.Root}
	if call.Time.IsZero() {
		call.Time = az.now()
	}
	if call.Region == "" {
		call.Region = az.scope.Region
	}
	if p.Root {
		return nil
	}
	if len(p.Tags) > 0 {
		call.Principal.Tags = make(map[string]string, len(p.Tags))
		for _, t := range p.Tags {
			call.Principal.Tags[t.Key] = t.Value
		}
	}
	policies := make([]iampolicy.Policy, 0, len(p.Policies))
	for _, doc := range p.Policies {
		pol, err := az.cache.parse(doc.Document)
		if err != nil {
			return fmt.Errorf("policy %s: %w", doc.Source, err)
		}
		policies = append(policies, pol)
	}
	_, err := authz.Check(call, policies)
	return err
}

// policyCache keeps parsed policy documents by their text, so a call parses none it has seen.
type policyCache struct {
	mu sync.Mutex
	m  map[string]iampolicy.Policy
}

// maxCachedPolicies bounds the cache; it starts over when full.
const maxCachedPolicies = 4096

func (c *policyCache) parse(doc string) (iampolicy.Policy, error) {
	c.mu.Lock()
	pol, ok := c.m[doc]
	c.mu.Unlock()
	if ok {
		return pol, nil
	}
	pol, err := iampolicy.Parse([]byte(doc))
	if err != nil {
		return iampolicy.Policy{}, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCachedPolicies {
		clear(c.m)
	}
	c.m[doc] = pol
	c.mu.Unlock()
	return pol, nil
}
