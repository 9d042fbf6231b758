package iampolicy

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/fargohq/fargo/internal/errdefs"
)

func TestParseAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, p Policy)
	}{
		{
			name: "statement as an object, strings for lists",
			doc:  `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:DescribeServices","Resource":"*"}}`,
			check: func(t *testing.T, p Policy) {
				s := p.Statements[0]
				if s.Effect != EffectAllow || !slices.Equal(s.Actions, []string{"ecs:DescribeServices"}) || !slices.Equal(s.Resources, []string{"*"}) {
					t.Errorf("statement = %+v", s)
				}
			},
		},
		{
			name: "statement array with Sid, NotAction, NotResource and an Id",
			doc: `{"Version":"2012-10-17","Id":"ci","Statement":[
				{"Sid":"Deploy1","Effect":"Allow","Action":["ecs:UpdateService","ecs:DescribeServices"],"Resource":["arn:aws:ecs:us-east-1:000000000000:service/prod/web"]},
				{"Sid":"NoIam","Effect":"Deny","NotAction":"iam:*","NotResource":"arn:aws:iam::000000000000:user/ci"}]}`,
			check: func(t *testing.T, p Policy) {
				if p.ID != "ci" || len(p.Statements) != 2 || p.Statements[1].Sid != "NoIam" || len(p.Statements[1].NotActions) != 1 || len(p.Statements[1].NotResources) != 1 {
					t.Errorf("policy = %+v", p)
				}
			},
		},
		{
			name: "no Version means 2008-10-17 and is accepted",
			doc:  `{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`,
			check: func(t *testing.T, p Policy) {
				if p.Version != "" {
					t.Errorf("Version = %q", p.Version)
				}
			},
		},
		{
			name: "condition values as strings, numbers and booleans, sorted by operator and key",
			doc: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*",
				"Condition":{"StringEquals":{"aws:RequestedRegion":["eu-west-1","us-east-1"]},"Bool":{"aws:SecureTransport":true},"NumericLessThan":{"ecs:count":10}}}]}`,
			check: func(t *testing.T, p Policy) {
				want := []Condition{
					{"Bool", "aws:SecureTransport", []string{"true"}},
					{"NumericLessThan", "ecs:count", []string{"10"}},
					{"StringEquals", "aws:RequestedRegion", []string{"eu-west-1", "us-east-1"}},
				}
				got := p.Statements[0].Conditions
				if len(got) != len(want) {
					t.Fatalf("conditions = %+v", got)
				}
				for i := range want {
					if got[i].Operator != want[i].Operator || got[i].Key != want[i].Key || !slices.Equal(got[i].Values, want[i].Values) {
						t.Errorf("condition %d = %+v, want %+v", i, got[i], want[i])
					}
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, p)
		})
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	t.Parallel()
	const allow = `"Effect":"Allow","Action":"ecs:*","Resource":"*"`
	tests := []struct {
		name, doc, msg string
	}{
		{"not JSON", `{"Version":`, "Syntax errors in policy."},
		{"not an object", `["Statement"]`, "Syntax errors in policy."},
		{"null", `null`, "Syntax errors in policy."},
		{"trailing data", `{"Statement":{` + allow + `}} x`, "Syntax errors in policy."},
		{"unknown top-level element", `{"Statement":{` + allow + `},"Foo":1}`, "Syntax errors in policy."},
		{"unknown statement element", `{"Statement":{` + allow + `,"Actions":"x"}}`, "Syntax errors in policy."},
		{"no Statement", `{"Version":"2012-10-17"}`, "Missing required field Statement"},
		{"statement not an object", `{"Statement":["x"]}`, "Syntax errors in policy."},
		{"bad Version", `{"Version":"2012-10-18","Statement":{` + allow + `}}`, "The policy failed legacy parsing"},
		{"Version not a string", `{"Version":2012,"Statement":{` + allow + `}}`, "Syntax errors in policy."},
		{"no Effect", `{"Statement":{"Action":"ecs:*","Resource":"*"}}`, "Missing required field Effect"},
		{"bad Effect", `{"Statement":{"Effect":"allow","Action":"ecs:*","Resource":"*"}}`, "The policy failed legacy parsing"},
		{"no Action", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, "Policy statement must contain actions."},
		{"empty Action", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, "Policy statement must contain actions."},
		{"Action and NotAction", `{"Statement":{"Effect":"Allow","Action":"ecs:*","NotAction":"iam:*","Resource":"*"}}`, "Syntax errors in policy."},
		{"action without vendor", `{"Statement":{"Effect":"Allow","Action":"UpdateService","Resource":"*"}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"action with two colons", `{"Statement":{"Effect":"Allow","Action":"ecs:Update:Service","Resource":"*"}}`, "Actions/Condition can contain only one colon."},
		{"action list with a number", `{"Statement":{"Effect":"Allow","Action":["ecs:*",1],"Resource":"*"}}`, "Syntax errors in policy."},
		{"no Resource", `{"Statement":{"Effect":"Allow","Action":"ecs:*"}}`, "Policy statement must contain resources."},
		{"Resource and NotResource", `{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*","NotResource":"*"}}`, "Syntax errors in policy."},
		{"resource not an ARN", `{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"web"}}`, `Resource web must be in ARN format or "*".`},
		{"resource ARN too short", `{"Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs"}}`, `Resource arn:aws:ecs must be in ARN format or "*".`},
		{"principal in an identity policy", `{"Statement":{` + allow + `,"Principal":{"AWS":"*"}}}`, "Policy document should not specify a principal."},
		{"NotPrincipal in an identity policy", `{"Statement":{` + allow + `,"NotPrincipal":"*"}}`, "Policy document should not specify a principal."},
		{"Sid with a dash", `{"Statement":{"Sid":"a-b",` + allow + `}}`, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"},
		{"duplicate Sid", `{"Statement":[{"Sid":"A",` + allow + `},{"Sid":"A",` + allow + `}]}`, "Statement IDs (SID) in a single policy must be unique."},
		{"unknown condition operator", `{"Statement":{` + allow + `,"Condition":{"StringEqualz":{"aws:username":"x"}}}}`, "Invalid Condition type : StringEqualz"},
		{"Null with IfExists", `{"Statement":{` + allow + `,"Condition":{"NullIfExists":{"aws:username":"true"}}}}`, "Invalid Condition type : NullIfExists"},
		{"condition key without vendor", `{"Statement":{` + allow + `,"Condition":{"StringEquals":{"username":"x"}}}}`, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."},
		{"condition value an object", `{"Statement":{` + allow + `,"Condition":{"StringEquals":{"aws:username":{"a":1}}}}}`, "Syntax errors in policy."},
		{"condition block a list", `{"Statement":{` + allow + `,"Condition":["x"]}}`, "Syntax errors in policy."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantMalformed(t, tt.doc, tt.msg, Parse)
		})
	}
}

func TestParseTrust(t *testing.T) {
	t.Parallel()
	good := []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root","123456789012"]},"Action":["sts:AssumeRole","sts:TagSession"]}]}`,
		`{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:*","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}}`,
	}
	for _, doc := range good {
		if _, err := ParseTrust([]byte(doc)); err != nil {
			t.Errorf("ParseTrust(%s): %v", doc, err)
		}
	}
	bad := []struct{ name, doc, msg string }{
		{"no principal", `{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`, "Missing required field Principal"},
		{"a resource", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Resource":"*"}}`, "Has prohibited field Resource"},
		{"another action", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"ecs:RunTask"}}`, "AssumeRole policy may only specify STS AssumeRole actions."},
		{"bad AWS principal", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"ci"},"Action":"sts:AssumeRole"}}`, `Invalid principal in policy: "AWS":"ci"`},
		{"unknown principal type", `{"Statement":{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"sts:AssumeRole"}}`, `Invalid principal in policy: "Robot":"x"`},
		{"principal string not *", `{"Statement":{"Effect":"Allow","Principal":"ci","Action":"sts:AssumeRole"}}`, `Invalid principal in policy: "AWS":"ci"`},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantMalformed(t, tt.doc, tt.msg, ParseTrust)
		})
	}
}

func wantMalformed(t *testing.T, doc, msg string, parse func([]byte) (Policy, error)) {
	t.Helper()
	_, err := parse([]byte(doc))
	if !errors.Is(err, ErrMalformedPolicyDocument) || !errors.Is(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("error = %v, want ErrMalformedPolicyDocument", err)
	}
	if got := errdefs.Message(err); got != msg {
		t.Errorf("message = %q, want %q", got, msg)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	doc := `{"Version":"2012-10-17","Id":"x","Statement":[
		{"Sid":"A","Effect":"Allow","Action":"ecs:*","Resource":"arn:aws:ecs:*:*:service/${aws:username}/*",
		 "Condition":{"StringLike":{"aws:PrincipalTag/team":"web*"},"Bool":{"aws:SecureTransport":true}}},
		{"Effect":"Deny","NotAction":["iam:Get*","iam:List*"],"NotResource":"*"}]}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	first, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Action":["ecs:*"],"Resource":["arn:aws:ecs:*:*:service/${aws:username}/*"],"Condition":{"Bool":{"aws:SecureTransport":["true"]},"StringLike":{"aws:PrincipalTag/team":["web*"]}}},{"Effect":"Deny","NotAction":["iam:Get*","iam:List*"],"NotResource":["*"]}]}`
	if string(first) != want {
		t.Errorf("marshal =\n%s\nwant\n%s", first, want)
	}
	again, err := Parse(first)
	if err != nil {
		t.Fatal(err)
	}
	second, err := json.Marshal(again)
	if err != nil || string(second) != string(first) {
		t.Errorf("second marshal = %s, %v", second, err)
	}
}

func TestParseLocatesStatements(t *testing.T) {
	t.Parallel()
	doc := "{\"Version\":\"2012-10-17\",\n \"Statement\": [\n  {\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"},\n" +
		"  {\"Sid\":\"B\",\n   \"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\", \"Condition\":{\"StringEquals\":{\"aws:username\":\"é\"}}}\n ]}"
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]Position{{{3, 3}, {3, 62}}, {{4, 3}, {5, 102}}}
	for i, s := range p.Statements {
		if s.Start != want[i][0] || s.End != want[i][1] {
			t.Errorf("statement %s at %v-%v, want %v-%v", s.Sid, s.Start, s.End, want[i][0], want[i][1])
		}
	}
	one, err := Parse([]byte(`{"Statement" : {"Effect":"Allow","Action":"ecs:*","Resource":"*"}, "Version":"2012-10-17"}`))
	if err != nil {
		t.Fatal(err)
	}
	if s := one.Statements[0]; s.Start != (Position{1, 16}) || s.End != (Position{1, 65}) {
		t.Errorf("single statement at %v-%v", s.Start, s.End)
	}
}
