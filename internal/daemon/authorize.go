package daemon

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fargohq/fargo/internal/api"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/codedeploy"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/iampolicy"
	"github.com/fargohq/fargo/internal/identity"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/tagset"
)

// authorizer authorizes API calls, console actions and registry requests alike: authz.Check
// of the table's action over the caller's identity-based policies, read afresh from the
// identity directory at every call, so a changed policy or a deactivated key applies at once.
type authorizer struct {
	dir   *identity.Directory
	scope arn.Scope
	cache *policyCache
	now   func() time.Time
	// deployment reads a CodeDeploy deployment of a region, for the operations that name
	// their deployment group by a deployment id; nil leaves those checked on "*".
	deployment func(ctx context.Context, region, id string) (store.Item[codedeploy.Deployment], error)
	// iamPath returns the path and name, as stored ("dev/Deployer"), of the IAM user, group or
	// role (kind "user", "group", "role") named name in any case, for requests that name one
	// without its path; nil leaves such names as they are (the path "/").
	iamPath func(ctx context.Context, kind, name string) (string, bool)
	// resourceTags returns the tags of the resource an ARN names (aws:ResourceTag/<key>); it
	// is asked only when a policy of the caller tests resource tags. Nil: resources have none.
	resourceTags func(ctx context.Context, resourceARN string) map[string]string
}

func newAuthorizer(dir *identity.Directory, scope arn.Scope) *authorizer {
	return &authorizer{dir: dir, scope: scope, cache: &policyCache{m: map[string]iampolicy.Policy{}}, now: time.Now}
}

// API implements api.Deps.Authorize.
func (az *authorizer) API(ctx context.Context, a api.Authorization) error {
	rule, ok := authz.RuleFor(a.Service, a.Operation)
	call := &authz.Call{
		Service: a.Service, Operation: a.Operation, Region: a.Caller.Region,
		SourceIP: a.SourceIP, SecureTransport: a.Secure, PassRoles: a.Target.PassRoles,
	}
	scope := az.scope
	if a.Caller.Region != "" {
		scope.Region = a.Caller.Region
	}
	call.Keys = conditionKeys(scope, a.Target.Keys)
	if ok && rule.Resource.Name != authz.Any.Name {
		resources := a.Target.Resources
		if len(a.Target.Deployments) > 0 {
			resources = slices.Concat(resources, az.deploymentGroups(ctx, scope.Region, a.Target.Deployments))
		}
		if len(resources) == 0 && rule.Resource.Name == authz.IAMUser.Name && a.Caller.UserName != "" {
			// Access keys and policies of no named user are the caller's own.
			resources = [][]string{{a.Caller.ARN}}
		}
		for _, names := range resources {
			names = az.withIAMPath(ctx, rule.Resource, names)
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
	return az.check(ctx, a.Caller.AccessKeyID, call)
}

// conditionKeys returns the request's condition keys with the names of those that take ARNs
// (ecs:cluster) made ARNs in scope. It changes keys in place, which the Target hands over: a
// call's authorization allocates no copy, and an ARN stays as it is.
func conditionKeys(scope arn.Scope, keys map[string][]string) map[string][]string {
	for name, values := range keys {
		t, isARN := authz.KeyResourceType(name)
		if !isARN {
			continue
		}
		for i, v := range values {
			if arn.IsARN(v) {
				continue
			}
			if a, err := t.ARN(scope, v); err == nil {
				values[i] = a
			}
		}
	}
	return keys
}

// withIAMPath puts the path of the IAM user, group or role that names names by its name alone
// (GetUser, PutRolePolicy, ...), so that its ARN is the entity's: user/dev/ci, not user/ci.
func (az *authorizer) withIAMPath(ctx context.Context, t authz.ResourceType, names []string) []string {
	if az.iamPath == nil || len(names) != 1 || t != authz.IAMUser && t != authz.IAMGroup && t != authz.IAMRole ||
		strings.Contains(names[0], "/") || arn.IsARN(names[0]) {
		return names
	}
	pathAndName, ok := az.iamPath(ctx, t.Name, names[0])
	if !ok {
		return names // being created, or no such entity: the operation answers that
	}
	return []string{pathAndName}
}

// storeIAMPath reads the path and name of a user, group or role from st.
func storeIAMPath(st *store.Store) func(ctx context.Context, kind, name string) (string, bool) {
	pathAndName := func(path, name string, err error) (string, bool) {
		return strings.TrimPrefix(path, "/") + name, err == nil
	}
	return func(ctx context.Context, kind, name string) (string, bool) {
		switch kind {
		case authz.IAMUser.Name:
			it, err := st.IAMUsers.Get(ctx, iam.Key(name))
			return pathAndName(it.Value.Path, it.Value.Name, err)
		case authz.IAMGroup.Name:
			it, err := st.IAMGroups.Get(ctx, iam.Key(name))
			return pathAndName(it.Value.Path, it.Value.Name, err)
		case authz.IAMRole.Name:
			it, err := st.IAMRoles.Get(ctx, iam.Key(name))
			return pathAndName(it.Value.Path, it.Value.Name, err)
		}
		return "", false
	}
}

// deploymentGroups names the application and group of each deployment of ids; an id that
// names no deployment names nothing, and the operation answers that it does not exist.
func (az *authorizer) deploymentGroups(ctx context.Context, region string, ids []string) [][]string {
	if az.deployment == nil {
		return nil
	}
	var out [][]string
	for _, id := range ids {
		if it, err := az.deployment(ctx, region, id); err == nil {
			out = append(out, []string{it.Value.ApplicationName, it.Value.DeploymentGroupName})
		}
	}
	return out
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
	return func(ctx context.Context, accessKeyID, method, route, repository string) error {
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
		return az.check(ctx, accessKeyID, call)
	}
}

// check completes call with the principal owning accessKeyID and checks it.
func (az *authorizer) check(ctx context.Context, accessKeyID string, call *authz.Call) error {
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
	call.Principal.Tags = tagset.Map(p.Tags)
	policies := make([]iampolicy.Policy, 0, len(p.Policies))
	for _, doc := range p.Policies {
		pol, err := az.cache.parse(doc.Document)
		if err != nil {
			return fmt.Errorf("policy %s: %w", doc.Source, err)
		}
		policies = append(policies, pol)
	}
	az.addResourceTags(ctx, call, policies)
	_, err := authz.Check(call, policies)
	return err
}

// addResourceTags gives the call's resources their tags, when a policy tests them: a store
// read per resource, which calls under policies without aws:ResourceTag do not pay.
func (az *authorizer) addResourceTags(ctx context.Context, call *authz.Call, policies []iampolicy.Policy) {
	if az.resourceTags == nil || !slices.ContainsFunc(policies, func(p iampolicy.Policy) bool { return p.UsesResourceTags() }) {
		return
	}
	for i := range call.Resources {
		if call.Resources[i].Tags == nil {
			call.Resources[i].Tags = az.resourceTags(ctx, call.Resources[i].ARN)
		}
	}
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
