package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"path"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/fargohq/fargo"

// allowed lists, for each package pattern, the fargo packages it may import. A pattern ending
// in "/..." covers a package and everything below it; the most specific pattern wins. Standard
// library and third-party imports are not restricted here.
var allowed = map[string][]string{
	"internal/arn":                     {"internal/errdefs"},
	"internal/errdefs":                 {},
	"internal/fsutil":                  {},
	"internal/loadtest":                {"internal/errdefs"},
	"internal/credentials":             {"internal/errdefs", "internal/fsutil"},
	"internal/reconcile":               {"internal/errdefs"},
	"internal/embedetcd/...":           {"internal/errdefs", "internal/embedetcd"},
	"internal/tagset":                  {"internal/errdefs"},
	"internal/ecs":                     {"internal/arn", "internal/errdefs", "internal/tagset"},
	"internal/elb":                     {"internal/arn", "internal/errdefs", "internal/tagset"},
	"internal/codedeploy":              {"internal/arn", "internal/errdefs"},
	"internal/ecr":                     {"internal/arn", "internal/errdefs", "internal/tagset"},
	"internal/registry":                {"internal/store/...", "internal/ecr", "internal/errdefs"},
	"internal/store/kv":                {"internal/errdefs"},
	"internal/store/kv/...":            {"internal/store/kv", "internal/errdefs", "internal/embedetcd/..."},
	"internal/store":                   {"internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/store/kv", "internal/arn", "internal/errdefs"},
	"internal/store/...":               {"internal/store/...", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/arn", "internal/errdefs"},
	"internal/runtime":                 {"internal/errdefs"},
	"internal/runtime/...":             {"internal/runtime", "internal/errdefs", "internal/fsutil"},
	"internal/lb/...":                  {"internal/lb/...", "internal/errdefs"},
	"internal/scheduler":               {"internal/store/...", "internal/ecs", "internal/elb", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/deployer":                {"internal/store/...", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/agent":                   {"internal/store/...", "internal/ecs", "internal/runtime", "internal/reconcile", "internal/arn", "internal/errdefs"},
	"internal/lbsync":                  {"internal/store/...", "internal/elb", "internal/ecs", "internal/lb/...", "internal/reconcile", "internal/errdefs"},
	"internal/api/awsquery":            {"internal/errdefs"},
	"internal/api/awsproto":            {"internal/api/awsquery", "internal/errdefs"},
	"internal/api/sigv4":               {"internal/errdefs"},
	"internal/api/ecsapi":              {"internal/store/...", "internal/ecs", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/elbapi":              {"internal/store/...", "internal/elb", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/codedeployapi":       {"internal/store/...", "internal/codedeploy", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/ecrapi":              {"internal/store/...", "internal/ecr", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/stsapi":              {"internal/api/awsproto", "internal/errdefs"},
	"internal/api/logsapi":             {"internal/store/...", "internal/ecs", "internal/arn", "internal/api/awsproto", "internal/errdefs"},
	"internal/api/apitest":             {"internal/..."},
	"internal/registry/registrytest":   {"internal/..."},
	"internal/api/logsapi/logsapitest": {"internal/..."},
	"internal/api":                     {"internal/api/...", "internal/errdefs"},
	"internal/console":                 {"internal/store/...", "internal/ecs", "internal/elb", "internal/codedeploy", "internal/ecr", "internal/arn"},
	"internal/daemon":                  {"internal/..."},
	"internal/cli":                     {"internal/daemon", "internal/credentials", "internal/errdefs", "internal/arn", "internal/runtime/process/...", "internal/lb/...", "internal/loadtest"},
	"internal/archtest":                {},
	"cmd/fargo":                        {"internal/cli"},
	"examples/...":                     {},
	"test/...":                         {"internal/...", "test/..."},
}

type pkg struct {
	ImportPath string
	Imports    []string
}

func TestImportRules(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var violations []string
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		violations = append(violations, check(p)...)
	}
	sort.Strings(violations)
	for _, v := range violations {
		t.Error(v)
	}
}

func check(p pkg) []string {
	rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
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
