package iampolicy

import (
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/benchtest"
)

// twentyStatementsFile is a policy of the size and mix a team's deploy key carries: read
// access, scoped writes on a few services and repositories, PassRole with its condition, tag
// and region conditions, and denies that every request must be checked against. The daemon's
// benchmark of the front door's path reads it too.
const twentyStatementsFile = "testdata/twenty-statements.json"

// BenchmarkEvaluate20Statements times one authorization decision, ecs:UpdateService allowed by
// the 15th statement of a 20-statement policy and checked against all of its denies: ns/op
// is the mean, p50-ns/eval the median over batches of 100 evaluations.
func BenchmarkEvaluate20Statements(b *testing.B) {
	doc, err := os.ReadFile(twentyStatementsFile)
	if err != nil {
		b.Fatal(err)
	}
	policies := mustParse(b, string(doc))
	if n := len(policies[0].Statements); n != 20 {
		b.Fatalf("%d statements, want 20", n)
	}
	r := &Request{
		Action: "ecs:UpdateService", Resource: "arn:aws:ecs:us-east-1:123456789012:service/prod/web",
		PrincipalARN: "arn:aws:iam::123456789012:user/ci", PrincipalAccount: "123456789012", Username: "ci", UserID: "AIDACI",
		PrincipalTags: map[string]string{"team": "web"}, ResourceTags: map[string]string{"team": "web"},
		Region: "us-east-1", SourceIP: netip.MustParseAddr("203.0.113.9"), SecureTransport: true, CurrentTime: time.Now(),
	}
	if got := Evaluate(r, policies...); got != (Result{Allow, 0, 14}) {
		b.Fatalf("Evaluate = %+v, want the Service statement to allow", got)
	}
	b.ReportAllocs()
	benchtest.PerCall(b, 100, "p50-ns/eval", func() { Evaluate(r, policies...) })
}
