package iampolicy

import (
	"bytes"
	"encoding/json"
	"errors"
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
