package archtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

const module = "github.com/fargohq/fargo"

// allowed lists, for each package pattern, the fargo packages it may import. A pattern ending
// in "/..." covers a package and everything below it; the most specific pattern wins. Standard
// library and third-party imports are not restricted here.
var allowed = map[string][]string{
	"internal/arn":                       {"internal/errdefs"},
	"internal/errdefs":                   {},
	"internal/fsutil":                    {},
	"internal/pki":                       {"internal/errdefs", "internal/fsutil"},
	"internal/loadtest":                  {"internal/errdefs"},
	"internal/credentials":               {"internal/errdefs", "internal/fsutil"},
	"internal/reconcile":                 {"internal/errdefs"},
	"internal/leader":                    {"internal/store/kv", "internal/errdefs"},
	"internal/embedetcd/...":             {"internal/errdefs", "internal/embedetcd", "internal/pki"},
	"internal/tagset":                    {"internal/errdefs"},
	"internal/clusterquery":              {},
	"internal/placement":                 {"internal/ecs", "internal/clusterquery", "internal/errdefs"},
	"internal/ecs":                       {"internal/arn", "internal/errdefs", "internal/tagset", "internal/clusterquery"},
	"internal/elb":                       {"internal/arn", "internal/errdefs", "internal/tagset"},
	"internal/codedeploy":                {"internal/arn", "internal/errdefs"},
	"internal/logs":                      {"internal/errdefs"},
	"internal/autoscaling":               {"internal/errdefs"},
	"internal/cloudwatch":                {"internal/errdefs"},
	"internal/hooks":                     {"internal/arn", "internal/errdefs"},
	"internal/iam":                       {"internal/iampolicy", "internal/errdefs", "internal/tagset"},
	"internal/identity":                  {"internal/store/...", "internal/iam", "internal/tagset", "internal/errdefs"},
	"internal/store/kv":                  {"internal/errdefs"},
	"internal/store/kv/...":              {"internal/store/kv", "internal/errdefs", "internal/embedetcd/..."},
	"internal/store":                     {"internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/logs", "internal/autoscaling", "internal/cloudwatch", "internal/iam", "internal/hooks", "internal/store/kv", "internal/arn", "internal/errdefs"},
	"internal/store/...":                 {"internal/store/...", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/logs", "internal/autoscaling", "internal/cloudwatch", "internal/iam", "internal/hooks", "internal/arn", "internal/errdefs"},
	"internal/runtime":                   {"internal/errdefs"},
	"internal/logstore":                  {"internal/store/...", "internal/logs", "internal/errdefs", "internal/fsutil"},
	"internal/runtime/...":               {"internal/runtime", "internal/errdefs", "internal/fsutil"},
	"internal/runtime/docker":            {"internal/runtime", "internal/errdefs"},
	"internal/runtime/docker/dockertest": {},
	"internal/runtime/router":            {"internal/runtime", "internal/errdefs"},
	"internal/lb/...":                    {"internal/lb/...", "internal/errdefs"},
	"internal/lb/h1":                     {}, // an HTTP/1.1 server: no routing, no domain
	"internal/scheduler":                 {"internal/store/...", "internal/ecs", "internal/placement", "internal/elb", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/deployer":                  {"internal/store/...", "internal/cloudwatch", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/hooks", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/hookrunner":                {"internal/store/...", "internal/hooks", "internal/ecs", "internal/codedeploy", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/agent":                     {"internal/store/...", "internal/ecs", "internal/logs", "internal/runtime", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/alarms":                    {"internal/store/...", "internal/cloudwatch", "internal/ecs", "internal/elb", "internal/errdefs"},
	"internal/liveness":                  {"internal/store/...", "internal/ecs", "internal/reconcile", "internal/errdefs"},
	"internal/lbsync":                    {"internal/store/...", "internal/elb", "internal/ecs", "internal/lb/...", "internal/reconcile", "internal/errdefs"},
	"internal/dataplane":                 {"internal/lb/...", "internal/lbsync", "internal/leader", "internal/store/...", "internal/fsutil", "internal/pki", "internal/errdefs"}, // the data plane process: its own composition root
	"internal/api/awsquery":              {"internal/errdefs"},
	"internal/api/awsproto":              {"internal/api/awsquery", "internal/errdefs"},
	"internal/api/sigv4":                 {"internal/errdefs"},
	"internal/api/ecsapi":                {"internal/store/...", "internal/ecs", "internal/placement", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/elbapi":                {"internal/store/...", "internal/elb", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/codedeployapi":         {"internal/store/...", "internal/codedeploy", "internal/hooks", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/hooksapi":              {"internal/store/...", "internal/hooks", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/cloudwatchapi":         {"internal/store/...", "internal/cloudwatch", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/autoscalingapi":        {"internal/store/...", "internal/autoscaling", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/stsapi":                {"internal/api/awsproto", "internal/errdefs"},
	"internal/api/iamapi":                {"internal/store/...", "internal/iam", "internal/tagset", "internal/credentials", "internal/api/awsproto", "internal/errdefs", "internal/iampolicy", "internal/authz"}, // the policy simulator evaluates with the enforcing evaluator
	"internal/api/logsapi":               {"internal/store/...", "internal/ecs", "internal/logs", "internal/logstore", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/apitest":               {"internal/..."},
	"internal/api/logsapi/logsapitest":   {"internal/..."},
	"internal/api/wiretest":              {"internal/api/awsproto"},
	"internal/api":                       {"internal/api/...", "internal/arn", "internal/errdefs"}, // arn: region names,
	"internal/benchtest":                 {},
	"internal/ecr":                       {"internal/arn", "internal/errdefs", "internal/tagset"},
	"internal/iampolicy":                 {"internal/errdefs"},
	"internal/authz":                     {"internal/iampolicy", "internal/arn", "internal/errdefs"},
	"internal/registry":                  {"internal/store/...", "internal/ecr", "internal/errdefs"},
	"internal/api/ecrapi":                {"internal/store/...", "internal/ecr", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/registry/registrytest":     {"internal/..."},
	"internal/console":                   {"internal/store/...", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/runtime", "internal/arn", "internal/errdefs"},
	"internal/daemon":                    {"internal/..."},
	"internal/cli":                       {"internal/daemon", "internal/credentials", "internal/pki", "internal/errdefs", "internal/arn", "internal/runtime/process/...", "internal/lb/...", "internal/loadtest", "examples/hello/app", "internal/dataplane"},
	"internal/archtest":                  {},
	"cmd/fargo":                          {"internal/cli"},
	"examples/...":                       {},
	"examples/hello":                     {"examples/hello/app"}, // main only; the program is the app package, which fargo demo-app runs too
	"test/...":                           {"internal/...", "test/..."},
}

type pkg struct {
	ImportPath string
	Imports    []string
}

// packages lists the module's packages and their imports, once for all tests.
var packages = sync.OnceValues(func() ([]pkg, error) {
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	var ps []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			return ps, nil
		} else if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
})

func TestImportRules(t *testing.T) {
	t.Parallel()
	ps, err := packages()
	if err != nil {
		t.Fatal(err)
	}
	var violations []string
	for _, p := range ps {
		violations = append(violations, check(p)...)
	}
	sort.Strings(violations)
	for _, v := range violations {
		t.Error(v)
	}
}

// TestRulesNameExistingPackages checks that every pattern in the table, as a package or as an
// import, covers a package that exists: a planned package gets its row when it lands.
func TestRulesNameExistingPackages(t *testing.T) {
	t.Parallel()
	ps, err := packages()
	if err != nil {
		t.Fatal(err)
	}
	rels := make([]string, len(ps))
	for i, p := range ps {
		rels[i] = relPath(p.ImportPath)
	}
	for _, pattern := range missing(allowed, rels) {
		t.Errorf("%s: no such package; archtest lists only packages that exist", pattern)
	}
}

func TestMissing(t *testing.T) {
	t.Parallel()
	rules := map[string][]string{
		"internal/a":       {"internal/b", "internal/gone/...", "internal/a/..."},
		"internal/b/...":   {"internal/a"},
		"internal/planned": {"internal/a"},
	}
	tests := []struct {
		name string
		rels []string
		want []string
	}{
		{"all exist", []string{"internal/a", "internal/b", "internal/gone/x", "internal/planned"}, nil},
		{"only a pattern covers a package below it", []string{"internal/a", "internal/b/c", "internal/gone", "internal/planned"}, []string{"internal/b"}},
		{"missing row and import", []string{"internal/a", "internal/b"}, []string{"internal/gone/...", "internal/planned"}},
		{"prefix is no package", []string{"internal/ab", "internal/b", "internal/gone", "internal/planned"}, []string{"internal/a", "internal/a/..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := missing(rules, tt.rels); !slices.Equal(got, tt.want) {
				t.Errorf("missing = %q, want %q", got, tt.want)
			}
		})
	}
}

// missing returns the patterns of rules, on either side, that cover none of the packages rels,
// sorted.
func missing(rules map[string][]string, rels []string) []string {
	seen := map[string]bool{}
	var out []string
	for pattern, imports := range rules {
		for _, p := range append([]string{pattern}, imports...) {
			if seen[p] {
				continue
			}
			seen[p] = true
			if !slices.ContainsFunc(rels, func(rel string) bool { return match(p, rel) }) {
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

func relPath(importPath string) string {
	return strings.TrimPrefix(strings.TrimPrefix(importPath, module), "/")
}

func check(p pkg) []string {
	rel := relPath(p.ImportPath)
	rules, ok := rulesFor(rel)
	if !ok {
		return []string{rel + ": no import rule; add the package to archtest's table and DESIGN.md"}
	}
	var bad []string
	for _, imp := range p.Imports {
		if !strings.HasPrefix(imp, module+"/") {
			continue
		}
		target := strings.TrimPrefix(imp, module+"/")
		if isTestHelper(target) && !isTestHelper(rel) {
			// go list reports non-test imports only: xxxtest helpers belong in _test.go files.
			bad = append(bad, rel+" must import "+target+" only from tests")
			continue
		}
		if !matchAny(rules, target) {
			bad = append(bad, rel+" must not import "+target)
		}
	}
	return bad
}

// rulesFor returns the rules of the most specific pattern that covers rel.
func rulesFor(rel string) ([]string, bool) {
	best, bestLen, found := []string(nil), -1, false
	for pattern, rules := range allowed {
		if match(pattern, rel) && len(pattern) > bestLen {
			best, bestLen, found = rules, len(pattern), true
		}
	}
	return best, found
}

func matchAny(patterns []string, rel string) bool {
	for _, p := range patterns {
		if match(p, rel) {
			return true
		}
	}
	return false
}

func match(pattern, rel string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return rel == base || strings.HasPrefix(rel, base+"/")
	}
	return rel == pattern
}

// isTestHelper reports whether a package is a test helper (xxxtest), which only tests may
// import. loadtest is not one: it is the load generator of fargo deploy and fargo bench.
func isTestHelper(rel string) bool {
	base := path.Base(rel)
	return strings.HasSuffix(base, "test") && base != "loadtest"
}
