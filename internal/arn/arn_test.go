package arn_test

import (
	"errors"
	"testing"

	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/errdefs"
)

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, typ, id string
	}{
		{"cluster", "arn:aws:ecs:us-east-1:000000000000:cluster/demo", "cluster", "demo"},
		{"task definition", "arn:aws:ecs:us-east-1:000000000000:task-definition/web:3", "task-definition", "web:3"},
		{"service", "arn:aws:ecs:us-east-1:000000000000:service/demo/web", "service", "demo/web"},
		{"codedeploy", "arn:aws:codedeploy:us-east-1:000000000000:deploymentgroup:app/dg", "deploymentgroup", "app/dg"},
		{"iam", "arn:aws:iam::000000000000:role/x", "role", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := arn.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if a.String() != tt.in || a.ResourceType() != tt.typ || a.ResourceID() != tt.id {
				t.Fatalf("got %q type %q id %q", a.String(), a.ResourceType(), a.ResourceID())
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "demo", "arn:aws:ecs", "arn::ecs:r:a:x", "arn:aws:ecs:r:a:", "urn:aws:ecs:r:a:x"} {
		if _, err := arn.Parse(in); !errors.Is(err, errdefs.ErrInvalidArgument) {
			t.Errorf("Parse(%q) err = %v, want invalid argument", in, err)
		}
	}
}

func TestScopeNew(t *testing.T) {
	t.Parallel()
	s := arn.Scope{Partition: "aws", Region: "eu-west-1", AccountID: "123456789012"}
	if got := s.New("ecs", "cluster/a").String(); got != "arn:aws:ecs:eu-west-1:123456789012:cluster/a" {
		t.Fatal(got)
	}
}
