package iamapi

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/authz"
	"github.com/fargohq/fargo/internal/errdefs"
	"github.com/fargohq/fargo/internal/iam"
	"github.com/fargohq/fargo/internal/iampolicy"
)

type wireContextEntry struct {
	ContextKeyName   *string  `query:"ContextKeyName"`
	ContextKeyValues []string `query:"ContextKeyValues"`
	ContextKeyType   *string  `query:"ContextKeyType"`
}

// simulateInput holds the members of SimulatePrincipalPolicy and SimulateCustomPolicy.
type simulateInput struct {
	PolicySourceArn                    *string            `query:"PolicySourceArn"`
	PolicyInputList                    []string           `query:"PolicyInputList"`
	PermissionsBoundaryPolicyInputList []string           `query:"PermissionsBoundaryPolicyInputList"`
	ActionNames                        []string           `query:"ActionNames"`
	ResourceArns                       []string           `query:"ResourceArns"`
	ResourcePolicy                     *string            `query:"ResourcePolicy"`
	ResourceOwner                      *string            `query:"ResourceOwner"`
	CallerArn                          *string            `query:"CallerArn"`
	ContextEntries                     []wireContextEntry `query:"ContextEntries"`
	ResourceHandlingOption             *string            `query:"ResourceHandlingOption"`
	MaxItems                           *int32             `query:"MaxItems"`
	Marker                             *string            `query:"Marker"`
}

type wirePosition struct {
	Line   int `xml:"Line"`
	Column int `xml:"Column"`
}

type wireStatement struct {
	SourcePolicyID   string        `xml:"SourcePolicyId"`
	SourcePolicyType string        `xml:"SourcePolicyType,omitempty"`
	StartPosition    *wirePosition `xml:"StartPosition,omitempty"`
	EndPosition      *wirePosition `xml:"EndPosition,omitempty"`
}

type wireEvaluationResult struct {
	EvalActionName       string              `xml:"EvalActionName"`
	EvalResourceName     string              `xml:"EvalResourceName"`
	EvalDecision         string              `xml:"EvalDecision"`
	MatchedStatements    list[wireStatement] `xml:"MatchedStatements"`
	MissingContextValues list[string]        `xml:"MissingContextValues"`
}

type simulateOutput struct {
	EvaluationResults list[wireEvaluationResult] `xml:"EvaluationResults"`
	truncation
}

// simulatePrincipalPolicy evaluates actions on resources under the policies of a user (its
// groups' too), group or role, and any given in PolicyInputList, with the evaluator that
// authorizes calls.
func (a *API) simulatePrincipalPolicy(ctx context.Context, in *simulateInput) (*simulateOutput, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	s, err := a.principalWithInputs(ctx, in.PolicySourceArn, in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return a.simulate(in, s.principal, s.policies)
}

// principalWithInputs reads the principal PolicySourceArn names, with its policies followed
// by those of PolicyInputList.
func (a *API) principalWithInputs(ctx context.Context, source *string, inputs []string) (simulated, error) {
	arn, err := required(source, "policySourceArn")
	if err != nil {
		return simulated{}, err
	}
	s, err := a.simulatedPrincipal(ctx, arn)
	if err != nil {
		return simulated{}, err
	}
	extra, err := inputPolicies(inputs)
	if err != nil {
		return simulated{}, err
	}
	s.policies = append(s.policies, extra...)
	return s, nil
}

// simulateCustomPolicy evaluates actions on resources under the policies given.
func (a *API) simulateCustomPolicy(_ context.Context, in *simulateInput) (*simulateOutput, error) {
	if in.PolicyInputList == nil {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	policies, err := inputPolicies(in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return a.simulate(in, authz.Principal{Account: a.account}, policies)
}

// check refuses what fargo does not model, and action names the simulator does not take.
func (in *simulateInput) check() error {
	if in.ActionNames == nil {
		return errdefs.InvalidArgument("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")
	}
	switch {
	case in.ResourcePolicy != nil || in.ResourceOwner != nil || in.CallerArn != nil || in.ResourceHandlingOption != nil:
		return errdefs.Detail(iam.ErrInvalidInput, "Resource-based policies are not supported by fargo's policy simulator.")
	case in.PermissionsBoundaryPolicyInputList != nil:
		return errdefs.Detail(iam.ErrInvalidInput, "Permissions boundaries are not supported by fargo.")
	}
	for _, action := range in.ActionNames {
		service, op, ok := strings.Cut(action, ":")
		if !ok || service == "" || op == "" || strings.ContainsAny(action, "*?") {
			return errdefs.Detail(iam.ErrInvalidInput, "Invalid action name %s: use service:Operation, without wildcards.", action)
		}
	}
	for _, e := range in.ContextEntries {
		if e.ContextKeyName == nil || !strings.Contains(*e.ContextKeyName, ":") {
			return errdefs.Detail(iam.ErrInvalidInput, "Invalid context key name %q: use service:key.", awsproto.Deref(e.ContextKeyName))
		}
	}
	return nil
}

// inputPolicies parses the documents of PolicyInputList, each named PolicyInputList.<n>.
func inputPolicies(docs []string) ([]sourcePolicy, error) {
	out := make([]sourcePolicy, 0, len(docs))
	for i, doc := range docs {
		p, err := iampolicy.Parse([]byte(doc))
		if err != nil {
			return nil, errdefs.Detail(iam.ErrInvalidInput, "PolicyInputList.%d is not a valid policy: %s", i+1, errdefs.Message(err))
		}
		out = append(out, sourcePolicy{id: "PolicyInputList." + strconv.Itoa(i+1), policy: p})
	}
	return out, nil
}

// simulate evaluates every action on every resource ("*" when none is given) and answers the
// page Marker and MaxItems ask for.
func (a *API) simulate(in *simulateInput, principal authz.Principal, sources []sourcePolicy) (*simulateOutput, error) {
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	policies := policiesOf(sources)
	context := make([]authz.ContextValue, 0, len(in.ContextEntries))
	for _, e := range in.ContextEntries {
		context = append(context, authz.ContextValue{Key: *e.ContextKeyName, Values: e.ContextKeyValues})
	}
	results := make([]wireEvaluationResult, 0, len(in.ActionNames)*len(resources))
	for _, action := range in.ActionNames {
		for _, resource := range resources {
			q := authz.Question{Principal: principal, Action: action, Resource: resource, Call: authz.Call{Time: a.now()}, Context: context}
			e, err := authz.Explain(&q, policies)
			if err != nil {
				return nil, errdefs.Detail(iam.ErrInvalidInput, "%s", errdefs.Message(err))
			}
			results = append(results, evaluationToWire(action, resource, e, sources))
		}
	}
	page, next, err := awsproto.Paginate(pages, results, awsproto.ByOffset[wireEvaluationResult](), in.Marker, in.MaxItems, defaultMaxItems)
	if err != nil {
		return nil, err
	}
	return &simulateOutput{EvaluationResults: page, truncation: truncation{IsTruncated: next != nil, Marker: next}}, nil
}

func evaluationToWire(action, resource string, e iampolicy.Explanation, sources []sourcePolicy) wireEvaluationResult {
	w := wireEvaluationResult{
		EvalActionName: action, EvalResourceName: resource, EvalDecision: e.Result.Decision.String(),
		MatchedStatements: list[wireStatement]{}, MissingContextValues: slices.Clone(e.MissingKeys),
	}
	for _, m := range e.Matched {
		src := sources[m.Policy]
		st := src.policy.Statements[m.Statement]
		ws := wireStatement{SourcePolicyID: src.id, SourcePolicyType: src.typ}
		if st.Start.Line > 0 {
			ws.StartPosition = &wirePosition{Line: st.Start.Line, Column: st.Start.Column}
			ws.EndPosition = &wirePosition{Line: st.End.Line, Column: st.End.Column}
		}
		w.MatchedStatements = append(w.MatchedStatements, ws)
	}
	return w
}

type contextKeysInput struct {
	PolicySourceArn *string  `query:"PolicySourceArn"`
	PolicyInputList []string `query:"PolicyInputList"`
}

type contextKeysOutput struct {
	ContextKeyNames list[string] `xml:"ContextKeyNames"`
}

// getContextKeysForPrincipalPolicy lists the condition keys of the policies of a user (its
// groups' too), group or role, and of any given.
func (a *API) getContextKeysForPrincipalPolicy(ctx context.Context, in *contextKeysInput) (*contextKeysOutput, error) {
	s, err := a.principalWithInputs(ctx, in.PolicySourceArn, in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return contextKeys(s.policies), nil
}

// getContextKeysForCustomPolicy lists the condition keys of the policies given.
func (a *API) getContextKeysForCustomPolicy(_ context.Context, in *contextKeysInput) (*contextKeysOutput, error) {
	if in.PolicyInputList == nil {
		return nil, errdefs.InvalidArgument("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null")
	}
	sources, err := inputPolicies(in.PolicyInputList)
	if err != nil {
		return nil, err
	}
	return contextKeys(sources), nil
}

func contextKeys(sources []sourcePolicy) *contextKeysOutput {
	return &contextKeysOutput{ContextKeyNames: iampolicy.ConditionKeys(policiesOf(sources)...)}
}

func policiesOf(sources []sourcePolicy) []iampolicy.Policy {
	policies := make([]iampolicy.Policy, len(sources))
	for i, s := range sources {
		policies[i] = s.policy
	}
	return policies
}
