package iampolicy

// The policy language versions. Policy variables are substituted only in documents of
// Version2012; in older documents (and those without a Version) "${...}" is literal text.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Effect is what a statement does to the requests it matches.
type Effect string

// The two effects.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// Policy is a parsed policy document. The exported fields are the document as written (lists
// in their order, conditions sorted by operator and key); Parse also compiles them for
// Evaluate, so a Policy is built only by Parse or ParseTrust.
type Policy struct {
	Version    string
	ID         string
	Statements []Statement
}

// Statement is one statement of a policy. Exactly one of Actions and NotActions is set; an
// identity policy sets exactly one of Resources and NotResources, a trust policy neither.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    Principal
	NotPrincipal Principal
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	Conditions   []Condition
	// Start and End are where the statement's braces are in the parsed document.
	Start, End Position

	compiled compiledStatement
}

// Principal is the Principal (or NotPrincipal) element of a trust or resource policy: everyone
// ("*"), or identifiers by type ("AWS", "Service", "Federated", "CanonicalUser").
type Principal struct {
	Any bool
	IDs map[string][]string
}

// IsZero reports whether the element is absent.
func (p Principal) IsZero() bool { return !p.Any && len(p.IDs) == 0 }

// Condition is one key of one operator of a Condition block, for example
// {"StringEquals": {"aws:RequestedRegion": ["eu-west-1"]}}: Operator "StringEquals", Key
// "aws:RequestedRegion", Values ["eu-west-1"]. Values hold numbers and booleans as their text.
type Condition struct {
	Operator string
	Key      string
	Values   []string
}
