package authz

import (
	"testing"

	"github.com/fargohq/fargo/internal/benchtest"
	"github.com/fargohq/fargo/internal/iampolicy"
)

// BenchmarkCheckRegisterTaskDefinition times the authorization of the deploy workflow's
// heaviest call under the actions' least-privilege policy: ecs:RegisterTaskDefinition on the
// new revision and iam:PassRole on its two roles; p50-ns/check is the median over batches of 100 checks.
func BenchmarkCheckRegisterTaskDefinition(b *testing.B) {
	p, err := iampolicy.Parse([]byte(deployPolicy))
	if err != nil {
		b.Fatal(err)
	}
	policies := []iampolicy.Policy{p}
	call := ciCall("ecs", "RegisterTaskDefinition", "arn:aws:ecs:ap-northeast-2:123456789012:task-definition/web:4")
	call.PassRoles = []string{"arn:aws:iam::123456789012:role/web-task", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"}
	if d, err := Check(call, policies); err != nil || !d.Allowed {
		b.Fatalf("Check = %+v, %v", d, err)
	}
	b.ReportAllocs()
	benchtest.PerCall(b, 100, "p50-ns/check", func() { _, _ = Check(call, policies) })
}
