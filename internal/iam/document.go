package iam

import (
	"encoding/json"

	"github.com/fargohq/fargo/internal/errdefs"
)

// CheckDocument refuses a policy document that is no policy: it must be a JSON object with a
// Version of 2012-10-17 or 2008-10-17 (or none) and a Statement. The policy language's own
// rules (internal/iampolicy) refine this check.
func CheckDocument(doc string) error {
	var p struct {
		Version   *string         `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return errdefs.Detail(ErrMalformedPolicyDocument, "Syntax errors in policy.")
	}
	if p.Version != nil && *p.Version != "2012-10-17" && *p.Version != "2008-10-17" {
		return errdefs.Detail(ErrMalformedPolicyDocument, "The policy failed legacy parsing")
	}
	if len(p.Statement) == 0 || string(p.Statement) == "null" {
		return errdefs.Detail(ErrMalformedPolicyDocument, "Missing required field Statement")
	}
	var one map[string]json.RawMessage
	var many []map[string]json.RawMessage
	if json.Unmarshal(p.Statement, &one) != nil && json.Unmarshal(p.Statement, &many) != nil {
		return errdefs.Detail(ErrMalformedPolicyDocument, "Syntax errors in policy.")
	}
	return nil
}
