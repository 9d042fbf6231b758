package iampolicy

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Small alphabets, so that generated patterns and requests often meet.
var (
	genService  = rapid.SampledFrom([]string{"ecs", "iam", "ECS"})
	genOpName   = rapid.SampledFrom([]string{"UpdateService", "DescribeServices", "GetUser", "ListUsers", "getuser"})
	genResource = rapid.SampledFrom([]string{svcWeb, svcAPI, "arn:aws:iam::123456789012:user/ci", "*"})
)

func genActionPattern() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0:
			return "*"
		case 1:
			return genService.Draw(t, "svc") + ":*"
		case 2:
			name := genOpName.Draw(t, "op")
			cut := rapid.IntRange(0, len(name)).Draw(t, "cut")
			return genService.Draw(t, "svc") + ":" + name[:cut] + "*"
		}
		return genService.Draw(t, "svc") + ":" + genOpName.Draw(t, "op")
	})
}

func genResourcePattern() *rapid.Generator[string] {
	return rapid.Custom(func(t *rapid.T) string {
		r := genResource.Draw(t, "res")
		if r == "*" || rapid.Bool().Draw(t, "exact") {
			return r
		}
		return r[:rapid.IntRange(4, len(r)).Draw(t, "cut")] + "*"
	})
}

// genStatement draws a statement with an Action or NotAction, a Resource or NotResource, and
// sometimes a region condition.
func genStatement() *rapid.Generator[map[string]any] {
	return rapid.Custom(func(t *rapid.T) map[string]any {
		s := map[string]any{"Effect": rapid.SampledFrom([]string{"Allow", "Deny"}).Draw(t, "effect")}
		actions := rapid.SliceOfN(genActionPattern(), 1, 3).Draw(t, "actions")
		s[rapid.SampledFrom([]string{"Action", "NotAction"}).Draw(t, "actionElem")] = actions
		resources := rapid.SliceOfN(genResourcePattern(), 1, 2).Draw(t, "resources")
		s[rapid.SampledFrom([]string{"Resource", "NotResource"}).Draw(t, "resourceElem")] = resources
		if rapid.Bool().Draw(t, "condition") {
			op := rapid.SampledFrom([]string{"StringEquals", "StringNotEquals", "StringLike"}).Draw(t, "op")
			s["Condition"] = map[string]any{op: map[string]any{"aws:RequestedRegion": rapid.SampledFrom([]string{"us-east-1", "eu-*"}).Draw(t, "region")}}
		}
		return s
	})
}

func genPolicy(t *rapid.T, label string) Policy {
	statements := rapid.SliceOfN(genStatement(), 1, 4).Draw(t, label)
	doc, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(doc)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

func genRequest(t *rapid.T) Request {
	return Request{
		Action:   genService.Draw(t, "reqSvc") + ":" + genOpName.Draw(t, "reqOp"),
		Resource: genResource.Draw(t, "reqRes"),
		Region:   rapid.SampledFrom([]string{"us-east-1", "eu-west-1", ""}).Draw(t, "reqRegion"),
	}
}

// TestPropertyDecisionCombinesStatements checks AWS's combining rule against each statement
// alone: any matching Deny gives ExplicitDeny, else any matching Allow gives Allow, else
// ImplicitDeny; so a deny always wins and the order of policies does not matter.
func TestPropertyDecisionCombinesStatements(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		policies := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Policy { return genPolicy(t, "statements") }), 0, 3).Draw(t, "policies")
		r := genRequest(t)
		want := ImplicitDeny
		for _, p := range policies {
			for _, s := range p.Statements {
				if single := Evaluate(&r, Policy{Statements: []Statement{s}}).Decision; single > want {
					want = single
				}
			}
		}
		if got := Evaluate(&r, policies...).Decision; got != want {
			t.Fatalf("Evaluate = %v, statements one by one say %v", got, want)
		}
		reversed := make([]Policy, len(policies))
		for i, p := range policies {
			reversed[len(policies)-1-i] = p
		}
		if got := Evaluate(&r, reversed...).Decision; got != want {
			t.Fatalf("reversed policies: %v, want %v", got, want)
		}
	})
}

// TestPropertyDenyWins checks that adding a policy whose Deny matches the request denies it,
// whatever else is allowed.
func TestPropertyDenyWins(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy(t, "statements")
		r := genRequest(t)
		deny := mustParse(t, `{"Statement":{"Effect":"Deny","Action":"`+r.Action+`","Resource":"*"}}`)[0]
		if got := Evaluate(&r, p, deny).Decision; got != ExplicitDeny {
			t.Fatalf("with a matching deny: %v", got)
		}
		if got := Evaluate(&r, deny, p).Decision; got != ExplicitDeny {
			t.Fatalf("with a matching deny first: %v", got)
		}
	})
}

// TestPropertyNoPoliciesDeny checks the default: no policy, or only Deny statements, never
// allow.
func TestPropertyNoPoliciesDeny(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		r := genRequest(t)
		if got := Evaluate(&r); got != (Result{ImplicitDeny, -1, -1}) {
			t.Fatalf("no policies: %+v", got)
		}
		p := genPolicy(t, "statements")
		for i := range p.Statements {
			p.Statements[i].Effect = EffectDeny
		}
		if got := Evaluate(&r, p).Decision; got == Allow {
			t.Fatal("deny-only policy allowed")
		}
	})
}

// TestPropertyNotActionComplement checks that Action and NotAction with the same list split
// every action between them, and so do Resource and NotResource.
func TestPropertyNotActionComplement(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		actions, _ := json.Marshal(rapid.SliceOfN(genActionPattern(), 1, 3).Draw(t, "actions"))
		resources, _ := json.Marshal(rapid.SliceOfN(genResourcePattern(), 1, 3).Draw(t, "resources"))
		r := genRequest(t)
		allowed := func(actionElem, actions, resourceElem, resources string) bool {
			doc := `{"Statement":{"Effect":"Allow","` + actionElem + `":` + actions + `,"` + resourceElem + `":` + resources + `}}`
			return Evaluate(&r, mustParse(t, doc)...).Decision == Allow
		}
		if allowed("Action", string(actions), "Resource", `"*"`) == allowed("NotAction", string(actions), "Resource", `"*"`) {
			t.Fatalf("Action and NotAction %s agree on %s", actions, r.Action)
		}
		if allowed("Action", `"*"`, "Resource", string(resources)) == allowed("Action", `"*"`, "NotResource", string(resources)) {
			t.Fatalf("Resource and NotResource %s agree on %s", resources, r.Resource)
		}
	})
}

// TestPropertyWildcardMatchesRegexp checks the glob matcher against a regular expression
// made from the same pattern.
func TestPropertyWildcardMatchesRegexp(t *testing.T) {
	t.Parallel()
	alphabet := []rune{'a', 'b', ':', '/', 'é'}
	rapid.Check(t, func(t *rapid.T) {
		pat := rapid.StringOfN(rapid.SampledFrom(append(alphabet, '*', '?')), 0, 8, -1).Draw(t, "pattern")
		s := rapid.StringOfN(rapid.SampledFrom(alphabet), 0, 10, -1).Draw(t, "s")
		fold := rapid.Bool().Draw(t, "fold")
		var re strings.Builder
		re.WriteString("(?s)^")
		if fold {
			re.WriteString("(?i)")
		}
		for _, c := range pat {
			switch c {
			case '*':
				re.WriteString(".*")
			case '?':
				re.WriteString(".")
			default:
				re.WriteString(regexp.QuoteMeta(string(c)))
			}
		}
		re.WriteString("$")
		want := regexp.MustCompile(re.String()).MatchString(s)
		p := compilePattern(pat, patternOptions{glob: true, fold: fold})
		if got := p.match(s, &Request{}); got != want {
			t.Fatalf("match(%q, %q, fold %v) = %v, regexp says %v", pat, s, fold, got, want)
		}
	})
}

// TestPropertyMarshalKeepsMeaning checks that a policy marshalled and parsed again decides
// every request as the original does.
func TestPropertyMarshalKeepsMeaning(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := genPolicy(t, "statements")
		doc, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again := mustParse(t, string(doc))[0]
		r := genRequest(t)
		if a, b := Evaluate(&r, p), Evaluate(&r, again); a != b {
			t.Fatalf("original %+v, after a round trip %+v (%s)", a, b, doc)
		}
	})
}

// TestPropertyVariableIsItsValue checks that a resource with ${aws:username} matches exactly
// what the resource with the caller's name written in its place matches.
func TestPropertyVariableIsItsValue(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		name := rapid.StringMatching(`[a-z]{1,3}`).Draw(t, "username")
		prefix := rapid.SampledFrom([]string{"arn:aws:s3:::b/", "arn:aws:s3:::b/*/", "arn:aws:s3:::?/"}).Draw(t, "prefix")
		suffix := rapid.SampledFrom([]string{"", "/*", "?"}).Draw(t, "suffix")
		resource := "arn:aws:s3:::b/" + rapid.StringMatching(`[a-z/]{0,6}`).Draw(t, "key")
		doc := func(res string) string {
			return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + res + `"}}`
		}
		r := Request{Action: "s3:GetObject", Resource: resource, Username: name}
		withVar := Evaluate(&r, mustParse(t, doc(prefix+"${aws:username}"+suffix))...).Decision
		literal := Evaluate(&r, mustParse(t, doc(prefix+name+suffix))...).Decision
		if withVar != literal {
			t.Fatalf("%s: with the variable %v, with %q written in %v", resource, withVar, name, literal)
		}
	})
}
