package iampolicy

import "github.com/fargohq/fargo/internal/errdefs"

// ErrMalformedPolicyDocument is the error of every policy document that does not parse or
// breaks a rule of the policy grammar; the IAM API answers it as MalformedPolicyDocument.
// Parse details it with the message AWS gives for the rule that was broken.
var ErrMalformedPolicyDocument = errdefs.InvalidArgument("Syntax errors in policy.")

// The messages of the rules, in AWS's words.
const (
	msgSyntax           = "Syntax errors in policy."
	msgLegacy           = "The policy failed legacy parsing"
	msgNoPrincipal      = "Policy document should not specify a principal."
	msgNeedActions      = "Policy statement must contain actions."
	msgNeedResources    = "Policy statement must contain resources."
	msgVendor           = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgActionColons     = "Actions/Condition can contain only one colon."
	msgSidChars         = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgSidUnique        = "Statement IDs (SID) in a single policy must be unique."
	msgMissingPrincipal = "Missing required field Principal"
	msgTrustResource    = "Has prohibited field Resource"
	msgTrustActions     = "AssumeRole policy may only specify STS AssumeRole actions."
	fmtResourceARN      = "Resource %s must be in ARN format or \"*\"."
	fmtConditionType    = "Invalid Condition type : %s"
	fmtInvalidPrincipal = "Invalid principal in policy: \"%s\":\"%s\""
	fmtMissingField     = "Missing required field %s"
)

func malformed(msg string) error {
	return errdefs.Detail(ErrMalformedPolicyDocument, "%s", msg)
}

func malformedf(format string, args ...any) error {
	return errdefs.Detail(ErrMalformedPolicyDocument, format, args...)
}
