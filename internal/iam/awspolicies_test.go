package iam_test

import (
	"testing"

	"github.com/fargohq/fargo/internal/iam"
)

// TestAWSPoliciesParse checks that every embedded AWS managed policy is a valid policy that
// its ARN finds.
func TestAWSPoliciesParse(t *testing.T) {
	t.Parallel()
	ps := iam.AWSPolicies()
	if len(ps) != 17 {
		t.Fatalf("%d AWS managed policies, want 17", len(ps))
	}
	for _, p := range ps {
		if err := iam.CheckDocument(p.Default().Document); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		ref, err := iam.ParsePolicyARN(p.ARN())
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := iam.AWSPolicy(ref); !ok || got.ID != p.ID {
			t.Errorf("%s: not found by its ARN %s", p.Name, p.ARN())
		}
	}
}

func TestParsePolicyARN(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		arn  string
		want iam.PolicyRef
		ok   bool
	}{
		{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", iam.PolicyRef{Account: "aws", Path: "/service-role/", Name: "AmazonECSTaskExecutionRolePolicy"}, true},
		{"arn:aws:iam::000000000000:policy/deploy", iam.PolicyRef{Account: "000000000000", Path: "/", Name: "deploy"}, true},
		{"arn:aws:iam::000000000000:user/deploy", iam.PolicyRef{}, false},
		{"arn:aws:iam::000000000000:policy/", iam.PolicyRef{}, false},
		{"deploy", iam.PolicyRef{}, false},
	} {
		got, err := iam.ParsePolicyARN(tc.arn)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s: %+v, %v", tc.arn, got, err)
		}
	}
}
