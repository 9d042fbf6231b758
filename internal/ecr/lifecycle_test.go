package ecr_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecr"
)

func policy(rules ...string) string {
	out := `{"rules":[`
	for i, r := range rules {
		if i > 0 {
			out += ","
		}
		out += r
	}
	return out + `]}`
}

func rule(priority int, selection string) string {
	return fmt.Sprintf(`{"rulePriority":%d,"description":"r","selection":{%s},"action":{"type":"expire"}}`, priority, selection)
}

func TestParseLifecyclePolicy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		text string
		ok   bool
	}{
		{"untagged count", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3`)), true},
		{"untagged age", policy(rule(1, `"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14`)), true},
		{"tagged prefix then any", policy(rule(1, `"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":3`),
			rule(2, `"tagStatus":"any","countType":"imageCountMoreThan","countNumber":30`)), true},
		{"not JSON", "rules", false},
		{"no rules", `{"rules":[]}`, false},
		{"unknown member", policy(`{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"},"extra":1}`), false},
		{"same priority", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1`), rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2`)), false},
		{"any not last", policy(rule(1, `"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1`), rule(2, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2`)), false},
		{"tagged without prefix", policy(rule(1, `"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1`)), false},
		{"untagged with prefix", policy(rule(1, `"tagStatus":"untagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1`)), false},
		{"age without unit", policy(rule(1, `"tagStatus":"untagged","countType":"sinceImagePushed","countNumber":1`)), false},
		{"count with unit", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":1`)), false},
		{"zero count", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":0`)), false},
		{"unknown count type", policy(rule(1, `"tagStatus":"untagged","countType":"sometimes","countNumber":1`)), false},
		{"no priority", policy(`{"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}`), false},
		{"unknown action", policy(`{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"keep"}}`), false},
	} {
		_, err := ecr.ParseLifecyclePolicy(tc.text)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ecr.ErrInvalidParameter) {
			t.Errorf("%s: %v is not ErrInvalidParameter", tc.name, err)
		}
	}
}

func TestExpire(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	images := []ecr.Image{
		{Digest: "sha256:01", PushedAt: now.Add(-10 * day)},
		{Digest: "sha256:02", PushedAt: now.Add(-5 * day)},
		{Digest: "sha256:03", PushedAt: now.Add(-1 * day)},
		{Digest: "sha256:04", PushedAt: now.Add(-30 * day), Tags: []string{"v1"}},
		// An index and the platform image it refers to: the platform image is untagged but
		// belongs to the index.
		{Digest: "sha256:05", PushedAt: now.Add(-40 * day)},
		{Digest: "sha256:06", PushedAt: now.Add(-40 * day), Tags: []string{"multi"}, References: []string{"sha256:05"}},
	}
	for _, tc := range []struct {
		name string
		text string
		want []string
	}{
		{"keep the newest two", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":2`)), []string{"sha256:01"}},
		{"keep all", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5`)), nil},
		{"older than four days", policy(rule(1, `"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":4`)), []string{"sha256:01", "sha256:02"}},
		{"first untagged rule wins", policy(rule(1, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":3`),
			rule(2, `"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1`)), nil},
		{"tagged rules are not carried out", policy(rule(1, `"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":1`)), nil},
		{"any rules are not carried out", policy(rule(1, `"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1`)), nil},
	} {
		p, err := ecr.ParseLifecyclePolicy(tc.text)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := p.Expire(images, now); !slices.Equal(got, tc.want) {
			t.Errorf("%s: expire %v, want %v", tc.name, got, tc.want)
		}
	}
}
