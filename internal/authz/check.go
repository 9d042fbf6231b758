package authz

import (
	"maps"
	"net/netip"
	"time"

	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iampolicy"
)

// ErrAccessDenied is the error of a call the caller's policies do not allow; each service's
// API answers it with its AccessDenied code (AccessDeniedException for the JSON services,
// AccessDenied for ELB, STS and IAM). Check details it with AWS's message.
var ErrAccessDenied = errdefs.PermissionDenied("User is not authorized to perform this action.")

// Principal is the authenticated caller.
type Principal struct {
	ARN      string // arn:aws:iam::<account>:user/<name>
	Account  string
	Username string // IAM users only
	UserID   string
	Tags     map[string]string
	// Root is the account's root (the server's own key): every call is allowed.
	Root bool
}

// Resource is one resource a call acts on: its ARN and, when the API has them, its tags.
type Resource struct {
	ARN  string
	Tags map[string]string
}

// Call is one API call as Check sees it. The API layer fills it after decoding the request:
// the service and operation name the Rule; Resources are the ARNs of the rule's resource type
// that the request names (none for rules on Any); PassRoles the role ARNs it names when the
// rule passes roles.
type Call struct {
	Service   string // as awsproto.Service.Name: "ecs", "elasticloadbalancing", ...
	Operation string
	Principal Principal

	Region          string
	SourceIP        netip.Addr
	SecureTransport bool
	Time            time.Time

	Resources   []Resource
	PassRoles   []string
	RequestTags map[string]string
	// Keys are the service's condition keys the request sets, for example "ecs:cluster".
	Keys map[string][]string
	// Rule, when set, is checked instead of the table's rule of the operation: the registry's
	// push and pull requests (RegistryRuleFor) are no API operations.
	Rule *Rule
}

// Evaluation is one action checked on one resource, for the audit log and for explanations.
type Evaluation struct {
	Action   string
	Resource string
	Result   iampolicy.Result
}

// Decision is the outcome of Check: every evaluation made, in order, up to the first denied.
type Decision struct {
	Allowed     bool
	Evaluations []Evaluation
}

// Check decides whether policies, the identity-based policies of the caller, allow call: the
// rule's action on every resource, and iam:PassRole on every role passed. A denied call gets
// an error that matches ErrAccessDenied, with AWS's message naming the first action and
// resource denied. An operation without a rule is denied to all but the root.
func Check(call *Call, policies []iampolicy.Policy) (Decision, error) {
	rule, ok := RuleFor(call.Service, call.Operation)
	if call.Rule != nil {
		rule, ok = *call.Rule, true
	}
	if call.Principal.Root || (ok && rule.Public) {
		return Decision{Allowed: true}, nil
	}
	if !ok {
		return Decision{}, denied(call, Evaluation{Action: call.Service + ":" + call.Operation, Resource: "*", Result: iampolicy.Result{Policy: -1, Statement: -1}})
	}
	r := call.request()
	d := Decision{Evaluations: make([]Evaluation, 0, len(call.Resources)+len(call.PassRoles)+1)}
	if rule.Resource == Any || len(call.Resources) == 0 {
		r.Action, r.Resource = rule.Action, "*"
		if e, ok := d.evaluate(&r, policies); !ok {
			return d, denied(call, e)
		}
	} else {
		for _, res := range call.Resources {
			r.Action, r.Resource, r.ResourceTags = rule.Action, res.ARN, res.Tags
			if e, ok := d.evaluate(&r, policies); !ok {
				return d, denied(call, e)
			}
		}
	}
	if len(call.PassRoles) > 0 {
		r.Keys = withKey(call.Keys, "iam:PassedToService", rule.PassRoleTo)
		for _, role := range call.PassRoles {
			r.Action, r.Resource, r.ResourceTags = "iam:PassRole", role, nil
			if e, ok := d.evaluate(&r, policies); !ok {
				return d, denied(call, e)
			}
		}
	}
	d.Allowed = true
	return d, nil
}

func (d *Decision) evaluate(r *iampolicy.Request, policies []iampolicy.Policy) (Evaluation, bool) {
	e := Evaluation{Action: r.Action, Resource: r.Resource, Result: iampolicy.Evaluate(r, policies...)}
	d.Evaluations = append(d.Evaluations, e)
	return e, e.Result.Decision == iampolicy.Allow
}

func (c *Call) request() iampolicy.Request {
	return iampolicy.Request{
		PrincipalARN: c.Principal.ARN, PrincipalAccount: c.Principal.Account,
		Username: c.Principal.Username, UserID: c.Principal.UserID, PrincipalTags: c.Principal.Tags,
		RequestTags: c.RequestTags, Region: c.Region, SourceIP: c.SourceIP,
		SecureTransport: c.SecureTransport, CurrentTime: c.Time, Keys: c.Keys,
	}
}

// withKey returns keys with one more key set, leaving keys as they are.
func withKey(keys map[string][]string, name, value string) map[string][]string {
	out := make(map[string][]string, len(keys)+1)
	maps.Copy(out, keys)
	out[name] = []string{value}
	return out
}

// denied returns AccessDenied with AWS's message for a denial of an identity-based policy.
func denied(call *Call, e Evaluation) error {
	why := "because no identity-based policy allows the " + e.Action + " action"
	if e.Result.Decision == iampolicy.ExplicitDeny {
		why = "with an explicit deny in an identity-based policy"
	}
	return errdefs.Detail(ErrAccessDenied, "User: %s is not authorized to perform: %s on resource: %s %s", call.Principal.ARN, e.Action, e.Resource, why)
}
