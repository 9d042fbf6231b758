package ecr_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/ecr"
)

func TestCheckRepositoryName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"demo", true},
		{"team/web-app", true},
		{"a.b_c__d--e/f", true},
		{"ab", true},
		{"a", false},
		{"Demo", false},
		{"-demo", false},
		{"demo-", false},
		{"demo//x", false},
		{"demo/", false},
		{"de mo", false},
		{"a___b", false},
		{strings.Repeat("a", 256), true},
		{strings.Repeat("a", 257), false},
	} {
		err := ecr.CheckRepositoryName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckRepositoryName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ecr.ErrInvalidParameter) {
			t.Errorf("CheckRepositoryName(%q) = %v, not ErrInvalidParameter", tc.name, err)
		}
	}
}

func TestNewRepositoryDefaultsAndChecks(t *testing.T) {
	t.Parallel()
	r, err := ecr.NewRepository("demo", ecr.Settings{}, time.Unix(10, 0))
	if err != nil {
		t.Fatal(err)
	}
	if r.TagMutability != ecr.MutabilityMutable || r.EncryptionType != ecr.EncryptionAES256 {
		t.Fatalf("defaults: %+v", r)
	}
	for _, tc := range []struct {
		name string
		s    ecr.Settings
		want error
	}{
		{"unknown mutability", ecr.Settings{TagMutability: "SOMETIMES"}, ecr.ErrInvalidParameter},
		{"filters without exclusion", ecr.Settings{TagMutability: ecr.MutabilityImmutable, MutabilityExclusions: []ecr.TagFilter{{Type: ecr.FilterWildcard, Filter: "dev*"}}}, ecr.ErrInvalidParameter},
		{"exclusion without filters", ecr.Settings{TagMutability: ecr.MutabilityImmutableWithExclusion}, ecr.ErrInvalidParameter},
		{"bad filter", ecr.Settings{TagMutability: ecr.MutabilityImmutableWithExclusion, MutabilityExclusions: []ecr.TagFilter{{Type: ecr.FilterWildcard, Filter: "a b"}}}, ecr.ErrInvalidParameter},
		{"unknown encryption", ecr.Settings{EncryptionType: "ROT13"}, ecr.ErrInvalidParameter},
		{"kms key with AES256", ecr.Settings{KMSKey: "k"}, ecr.ErrInvalidParameter},
		{"reserved tag", ecr.Settings{Tags: []ecr.Tag{{Key: "aws:x", Value: "v"}}}, ecr.ErrInvalidTagParameter},
		{"duplicate tag", ecr.Settings{Tags: []ecr.Tag{{Key: "k"}, {Key: "k"}}}, ecr.ErrInvalidTagParameter},
		{"too many tags", ecr.Settings{Tags: make([]ecr.Tag, 51)}, ecr.ErrTooManyTags},
	} {
		if _, err := ecr.NewRepository("demo", tc.s, time.Unix(10, 0)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestTagImmutable(t *testing.T) {
	t.Parallel()
	filters := []ecr.TagFilter{{Type: ecr.FilterWildcard, Filter: "dev-*"}, {Type: ecr.FilterWildcard, Filter: "*-rc*"}}
	for _, tc := range []struct {
		mutability string
		tag        string
		want       bool
	}{
		{ecr.MutabilityMutable, "latest", false},
		{ecr.MutabilityImmutable, "latest", true},
		{ecr.MutabilityImmutableWithExclusion, "latest", true},
		{ecr.MutabilityImmutableWithExclusion, "dev-1", false},
		{ecr.MutabilityImmutableWithExclusion, "v1-rc2", false},
		{ecr.MutabilityImmutableWithExclusion, "xdev-1", true},
		{ecr.MutabilityMutableWithExclusion, "latest", false},
		{ecr.MutabilityMutableWithExclusion, "dev-", true},
	} {
		var exclusions []ecr.TagFilter
		if strings.HasSuffix(tc.mutability, "_WITH_EXCLUSION") {
			exclusions = filters
		}
		r, err := ecr.NewRepository("demo", ecr.Settings{TagMutability: tc.mutability, MutabilityExclusions: exclusions}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got := r.TagImmutable(tc.tag); got != tc.want {
			t.Errorf("%s %q: immutable %v, want %v", tc.mutability, tc.tag, got, tc.want)
		}
		err = r.CheckTagPush(tc.tag, true)
		if got := errors.Is(err, ecr.ErrImageTagAlreadyExists); got != tc.want {
			t.Errorf("%s %q: CheckTagPush of an existing tag = %v", tc.mutability, tc.tag, err)
		}
		if err := r.CheckTagPush(tc.tag, false); err != nil {
			t.Errorf("%s %q: a new tag is refused: %v", tc.mutability, tc.tag, err)
		}
	}
}
