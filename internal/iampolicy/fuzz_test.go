package iampolicy

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"testing"
)

var seedDocuments = []string{
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ecs:*","Resource":"*"}}`,
	`{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:iam::*:user/${aws:username}"}]}`,
	`{"Statement":[{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"arn:aws:ecs:us-east-1:000000000000:service/prod/*",
	  "Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["team*"]},"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"},"Null":{"aws:ResourceTag/env":false}}}]}`,
	`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`,
	`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:?et*","Resource":"arn:aws:s3:::b/${*}?","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericEquals":{"x:n":1.5}}}]}`,
	`{"Statement":[]}`,
	`{`,
}

// FuzzParse checks that parsing never panics, that a refusal is always a
// MalformedPolicyDocument, and that a document Parse accepts survives a marshal and parse
// unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range seedDocuments {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for _, parse := range []func([]byte) (Policy, error){Parse, ParseTrust} {
			p, err := parse(doc)
			if err != nil {
				if !errors.Is(err, ErrMalformedPolicyDocument) {
					t.Fatalf("error %v is not ErrMalformedPolicyDocument", err)
				}
				continue
			}
			for _, s := range p.Statements {
				if s.Start.Line < 1 || s.Start.Column < 1 || s.End.Line < s.Start.Line {
					t.Fatalf("statement located at %v-%v", s.Start, s.End)
				}
			}
			first, err := json.Marshal(p)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			again, err := parse(first)
			if err != nil {
				t.Fatalf("parse of marshalled %s: %v", first, err)
			}
			second, err := json.Marshal(again)
			if err != nil || !bytes.Equal(first, second) {
				t.Fatalf("round trip changed the policy:\n%s\n%s (%v)", first, second, err)
			}
		}
	})
}

// FuzzEvaluate checks that evaluation never panics, that the statement a result names exists
// and has the decision's effect, and that a deny of everything always wins.
func FuzzEvaluate(f *testing.F) {
	for _, s := range seedDocuments {
		f.Add([]byte(s), "ecs:UpdateService", "arn:aws:ecs:us-east-1:000000000000:service/prod/web", "ci", "web", "us-east-1", "10.1.2.3")
	}
	f.Add([]byte(regionDeny), "iam:GetUser", "*", "", "", "", "")
	f.Add([]byte(ownerTag), "ecs:UpdateService", "é?*", "${aws:username}", "${*}", "eu-west-1", "::1")
	denyAll := mustParse(f, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)[0]
	f.Fuzz(func(t *testing.T, doc []byte, action, resource, username, tag, region, ip string) {
		p, err := Parse(doc)
		if err != nil {
			return
		}
		addr, _ := netip.ParseAddr(ip)
		r := Request{
			Action: action, Resource: resource, Username: username, PrincipalARN: "arn:aws:iam::000000000000:user/" + username,
			PrincipalTags: map[string]string{"team": tag}, ResourceTags: map[string]string{"Owner": tag}, RequestTags: map[string]string{tag: tag},
			Region: region, SourceIP: addr, Keys: map[string][]string{"ecs:cluster": {tag, region}},
		}
		got := Evaluate(&r, p)
		switch got.Decision {
		case ImplicitDeny:
			if got.Policy != -1 || got.Statement != -1 {
				t.Fatalf("implicit deny names a statement: %+v", got)
			}
		default:
			want := map[Decision]Effect{Allow: EffectAllow, ExplicitDeny: EffectDeny}[got.Decision]
			if got.Policy != 0 || got.Statement >= len(p.Statements) || p.Statements[got.Statement].Effect != want {
				t.Fatalf("result %+v names no statement of effect %s", got, want)
			}
		}
		if d := Evaluate(&r, p, denyAll).Decision; d != ExplicitDeny {
			t.Fatalf("deny of everything gave %v", d)
		}
	})
}
