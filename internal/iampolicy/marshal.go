package iampolicy

import "encoding/json"

// The document as MarshalJSON writes it: every list as an array, elements in a fixed order.
type (
	documentJSON struct {
		Version   string          `json:"Version,omitempty"`
		ID        string          `json:"Id,omitempty"`
		Statement []statementJSON `json:"Statement"`
	}
	statementJSON struct {
		Sid          string                         `json:"Sid,omitempty"`
		Effect       Effect                         `json:"Effect"`
		Principal    any                            `json:"Principal,omitempty"`
		NotPrincipal any                            `json:"NotPrincipal,omitempty"`
		Action       []string                       `json:"Action,omitempty"`
		NotAction    []string                       `json:"NotAction,omitempty"`
		Resource     []string                       `json:"Resource,omitempty"`
		NotResource  []string                       `json:"NotResource,omitempty"`
		Condition    map[string]map[string][]string `json:"Condition,omitempty"`
	}
)

// MarshalJSON writes the policy as a JSON policy document that Parse reads back to the same
// policy.
func (p Policy) MarshalJSON() ([]byte, error) {
	doc := documentJSON{Version: p.Version, ID: p.ID, Statement: make([]statementJSON, 0, len(p.Statements))}
	for _, s := range p.Statements {
		doc.Statement = append(doc.Statement, statementJSON{
			Sid: s.Sid, Effect: s.Effect,
			Principal: principalJSON(s.Principal), NotPrincipal: principalJSON(s.NotPrincipal),
			Action: s.Actions, NotAction: s.NotActions, Resource: s.Resources, NotResource: s.NotResources,
			Condition: conditionsJSON(s.Conditions),
		})
	}
	return json.Marshal(doc)
}

func principalJSON(p Principal) any {
	switch {
	case p.Any:
		return "*"
	case len(p.IDs) > 0:
		return p.IDs
	}
	return nil
}

func conditionsJSON(conditions []Condition) map[string]map[string][]string {
	if len(conditions) == 0 {
		return nil
	}
	out := map[string]map[string][]string{}
	for _, c := range conditions {
		if out[c.Operator] == nil {
			out[c.Operator] = map[string][]string{}
		}
		out[c.Operator][c.Key] = c.Values
	}
	return out
}
