package iampolicy

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// kind tells which rules a document must follow beyond the grammar every policy shares.
type kind uint8

const (
	identityPolicy kind = iota // attached to users, groups and roles: no principal, resources
	trustPolicy                // a role's trust policy: a principal, no resources, STS actions
)

// Parse parses an identity-based policy document (a managed or inline policy of a user, group
// or role). A document that is not valid JSON, breaks the grammar or names a principal is
// refused with an error that matches ErrMalformedPolicyDocument and carries AWS's message.
func Parse(doc []byte) (Policy, error) { return parse(doc, identityPolicy) }

// ParseTrust parses a role's trust policy (AssumeRolePolicyDocument): every statement names a
// Principal or NotPrincipal, no resources, and only STS AssumeRole actions.
func ParseTrust(doc []byte) (Policy, error) { return parse(doc, trustPolicy) }

func parse(doc []byte, k kind) (Policy, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil || top == nil {
		return Policy{}, malformed(msgSyntax)
	}
	var p Policy
	var rawStatements json.RawMessage
	for name, raw := range top {
		var err error
		switch name {
		case "Version":
			err = decodeString(raw, &p.Version)
		case "Id":
			err = decodeString(raw, &p.ID)
		case "Statement":
			rawStatements = raw
		default:
			err = malformed(msgSyntax)
		}
		if err != nil {
			return Policy{}, err
		}
	}
	if p.Version != "" && p.Version != Version2012 && p.Version != Version2008 {
		return Policy{}, malformed(msgLegacy)
	}
	if rawStatements == nil {
		return Policy{}, malformedf(fmtMissingField, "Statement")
	}
	statements, err := oneOrMany(rawStatements)
	if err != nil {
		return Policy{}, err
	}
	for _, raw := range statements {
		s, err := parseStatement(raw, k, p.Version == Version2012)
		if err != nil {
			return Policy{}, err
		}
		p.Statements = append(p.Statements, s)
	}
	if err := checkSids(p.Statements); err != nil {
		return Policy{}, err
	}
	locateStatements(doc, p.Statements)
	return p, nil
}

// oneOrMany splits an element that is either one JSON object or an array of them.
func oneOrMany(raw json.RawMessage) ([]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return []json.RawMessage{trimmed}, nil
	}
	var many []json.RawMessage
	if err := json.Unmarshal(trimmed, &many); err != nil || many == nil {
		return nil, malformed(msgSyntax)
	}
	return many, nil
}

func checkSids(statements []Statement) error {
	seen := make(map[string]bool, len(statements))
	for _, s := range statements {
		if s.Sid == "" {
			continue
		}
		if seen[s.Sid] {
			return malformed(msgSidUnique)
		}
		seen[s.Sid] = true
	}
	return nil
}

// parseStatement decodes one statement, checks it against the rules of k and compiles it.
func parseStatement(raw json.RawMessage, k kind, variables bool) (Statement, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return Statement{}, malformed(msgSyntax)
	}
	var s Statement
	// In a fixed order, so that a statement with several faults always gets the same message.
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if err := s.decodeField(name, fields[name]); err != nil {
			return Statement{}, err
		}
	}
	if err := s.check(k); err != nil {
		return Statement{}, err
	}
	c, err := compileStatement(&s, variables)
	if err != nil {
		return Statement{}, err
	}
	s.compiled = c
	return s, nil
}

func (s *Statement) decodeField(name string, value json.RawMessage) error {
	switch name {
	case "Sid":
		return decodeString(value, &s.Sid)
	case "Effect":
		var e string
		err := decodeString(value, &e)
		s.Effect = Effect(e)
		return err
	case "Action":
		return decodeStrings(value, &s.Actions)
	case "NotAction":
		return decodeStrings(value, &s.NotActions)
	case "Resource":
		return decodeStrings(value, &s.Resources)
	case "NotResource":
		return decodeStrings(value, &s.NotResources)
	case "Principal":
		return decodePrincipal(value, &s.Principal)
	case "NotPrincipal":
		return decodePrincipal(value, &s.NotPrincipal)
	case "Condition":
		return decodeConditions(value, &s.Conditions)
	}
	return malformed(msgSyntax)
}

// check applies the grammar's rules, and those of k, to a decoded statement.
func (s *Statement) check(k kind) error {
	if strings.Trim(s.Sid, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != "" {
		return malformed(msgSidChars)
	}
	switch s.Effect {
	case EffectAllow, EffectDeny:
	case "":
		return malformedf(fmtMissingField, "Effect")
	default:
		// IAM refuses "allow" (any Effect but the two) with its generic message, not S3's
		// "Invalid effect".
		return malformed(msgLegacy)
	}
	if err := checkActions(s.Actions, s.NotActions); err != nil {
		return err
	}
	if k == trustPolicy {
		return s.checkTrust()
	}
	if !s.Principal.IsZero() || !s.NotPrincipal.IsZero() {
		return malformed(msgNoPrincipal)
	}
	return checkResources(s.Resources, s.NotResources)
}

func checkActions(actions, notActions []string) error {
	if len(actions) == 0 && len(notActions) == 0 {
		return malformed(msgNeedActions)
	}
	if len(actions) > 0 && len(notActions) > 0 {
		return malformed(msgSyntax)
	}
	for _, a := range slices.Concat(actions, notActions) {
		switch {
		case a == "*":
		case !hasVendor(a):
			return malformed(msgVendor)
		case strings.Count(a, ":") > 1:
			return malformed(msgActionColons)
		}
	}
	return nil
}

// hasVendor reports whether name is "vendor:rest", as actions and condition keys must be.
func hasVendor(name string) bool {
	vendor, rest, ok := strings.Cut(name, ":")
	if !ok || vendor == "" || rest == "" {
		return false
	}
	return strings.Trim(vendor, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == ""
}

func checkResources(resources, notResources []string) error {
	if len(resources) == 0 && len(notResources) == 0 {
		return malformed(msgNeedResources)
	}
	if len(resources) > 0 && len(notResources) > 0 {
		return malformed(msgSyntax)
	}
	for _, r := range slices.Concat(resources, notResources) {
		if !isResourceARN(r) {
			return malformedf(fmtResourceARN, r)
		}
	}
	return nil
}

// isResourceARN reports whether r may name resources: "*", an ARN with its six parts, or the
// start of one that a wildcard completes ("arn:aws:ecs:*").
func isResourceARN(r string) bool {
	return r == "*" || strings.HasPrefix(r, "arn:") && (strings.Count(r, ":") >= 5 || strings.Contains(r, "*"))
}

// stsActions are the actions a trust policy may allow, in lower case.
var stsActions = []string{
	"sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
	"sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
}

func (s *Statement) checkTrust() error {
	if s.Principal.IsZero() && s.NotPrincipal.IsZero() {
		return malformed(msgMissingPrincipal)
	}
	if len(s.Resources) > 0 || len(s.NotResources) > 0 {
		return malformed(msgTrustResource)
	}
	for _, a := range slices.Concat(s.Actions, s.NotActions) {
		la := strings.ToLower(a)
		if !slices.Contains(stsActions, la) && la != "*" && !(strings.HasPrefix(la, "sts:") && strings.ContainsAny(la, "*?")) {
			return malformed(msgTrustActions)
		}
	}
	if err := s.Principal.check(); err != nil {
		return err
	}
	return s.NotPrincipal.check()
}

// check refuses principals AWS would not resolve: an AWS principal is "*", an account id or an
// ARN; the other types need a name.
func (p Principal) check() error {
	for _, typ := range slices.Sorted(maps.Keys(p.IDs)) {
		for _, id := range p.IDs[typ] {
			if !validPrincipal(typ, id) {
				return malformedf(fmtInvalidPrincipal, typ, id)
			}
		}
	}
	return nil
}

func validPrincipal(typ, id string) bool {
	switch typ {
	case "AWS":
		return id == "*" || isAccountID(id) || (strings.HasPrefix(id, "arn:") && strings.Count(id, ":") >= 5)
	case "Service", "Federated", "CanonicalUser":
		return id != "" && !strings.ContainsAny(id, " \t\n")
	}
	return false
}

func isAccountID(s string) bool {
	return len(s) == 12 && strings.Trim(s, "0123456789") == ""
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func decodeString(raw json.RawMessage, dst *string) error {
	if isNull(raw) || json.Unmarshal(raw, dst) != nil {
		return malformed(msgSyntax)
	}
	return nil
}

// decodeStrings decodes an element that is a string or an array of strings.
func decodeStrings(raw json.RawMessage, dst *[]string) error {
	if isNull(raw) {
		return malformed(msgSyntax)
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		*dst = []string{one}
		return nil
	}
	var many []string
	if json.Unmarshal(raw, &many) != nil {
		return malformed(msgSyntax)
	}
	*dst = many
	return nil
}

// decodePrincipal decodes "*" or an object of types to a string or an array of strings.
func decodePrincipal(raw json.RawMessage, dst *Principal) error {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return malformedf(fmtInvalidPrincipal, "AWS", star)
		}
		dst.Any = true
		return nil
	}
	var byType map[string]json.RawMessage
	if json.Unmarshal(raw, &byType) != nil || byType == nil {
		return malformed(msgSyntax)
	}
	dst.IDs = make(map[string][]string, len(byType))
	for typ, ids := range byType {
		var list []string
		if err := decodeStrings(ids, &list); err != nil {
			return err
		}
		dst.IDs[typ] = list
	}
	return nil
}

// decodeConditions decodes a Condition block, {"Operator": {"key": value or [values]}},
// into conditions sorted by operator and key. Values may be strings, numbers or booleans.
func decodeConditions(raw json.RawMessage, dst *[]Condition) error {
	var block map[string]map[string]json.RawMessage
	if isNull(raw) || json.Unmarshal(raw, &block) != nil {
		return malformed(msgSyntax)
	}
	var out []Condition
	for op, keys := range block {
		for key, rawValues := range keys {
			values, err := decodeScalars(rawValues)
			if err != nil {
				return err
			}
			out = append(out, Condition{Operator: op, Key: key, Values: values})
		}
	}
	slices.SortFunc(out, func(a, b Condition) int {
		if c := strings.Compare(a.Operator, b.Operator); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	*dst = out
	return nil
}

// decodeScalars decodes a condition value: a string, number or boolean, or an array of them;
// numbers keep their text.
func decodeScalars(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, malformed(msgSyntax)
	}
	items, isList := v.([]any)
	if !isList {
		items = []any{v}
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		switch x := item.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case bool:
			out = append(out, boolText(x))
		default:
			return nil, malformed(msgSyntax)
		}
	}
	return out, nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
