package iam

import "github.com/fargohq/fargo/internal/iampolicy"

// CheckDocument refuses an identity-based policy document (managed or inline) that breaks the
// policy grammar, with IAM's MalformedPolicyDocument message for the rule it breaks.
func CheckDocument(doc string) error {
	_, err := iampolicy.Parse([]byte(doc))
	return err
}

// checkTrustDocument refuses a role's trust policy that breaks the grammar of trust policies.
func checkTrustDocument(doc string) error {
	_, err := iampolicy.ParseTrust([]byte(doc))
	return err
}
