package codedeploy_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/codedeploy"
)

func TestRevisionKey(t *testing.T) {
	t.Parallel()
	sum := codedeploy.ContentSHA256(appSpec)
	tests := []struct {
		name string
		rev  codedeploy.Revision
		want string
		err  error
	}{
		{"content", codedeploy.Revision{Type: "AppSpecContent", Content: appSpec}, sum, nil},
		{"content and its sha256 in upper case", codedeploy.Revision{Type: "String", Content: appSpec, SHA256: strings.ToUpper(sum)}, sum, nil},
		{"sha256 alone", codedeploy.Revision{Type: "AppSpecContent", SHA256: sum}, sum, nil},
		{"another content's sha256", codedeploy.Revision{Type: "AppSpecContent", Content: appSpec, SHA256: codedeploy.ContentSHA256("x")}, "", codedeploy.ErrInvalidRevision},
		{"no content, no sha256", codedeploy.Revision{Type: "AppSpecContent"}, "", codedeploy.ErrInvalidRevision},
		{"a short sha256", codedeploy.Revision{Type: "AppSpecContent", SHA256: "abc"}, "", codedeploy.ErrInvalidRevision},
		{"S3", codedeploy.Revision{Type: "S3"}, "", codedeploy.ErrInvalidRevision},
		{"GitHub", codedeploy.Revision{Type: "GitHub"}, "", codedeploy.ErrInvalidRevision},
		{"no type", codedeploy.Revision{Content: appSpec}, "", codedeploy.ErrInvalidRevision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := codedeploy.RevisionKey(tt.rev)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("RevisionKey = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

// TestRegisterAndUseRevision follows one revision: registered, registered again with a new
// description, then used by two deployments.
func TestRegisterAndUseRevision(t *testing.T) {
	t.Parallel()
	rev := codedeploy.Revision{Type: "AppSpecContent", Content: appSpec}
	r, err := codedeploy.RegisterRevision(nil, "app", rev, "first", now)
	if err != nil {
		t.Fatal(err)
	}
	if r.Revision.SHA256 != codedeploy.ContentSHA256(appSpec) || !r.RegisterTime.Equal(now) || !r.FirstUsedTime.IsZero() || r.Description != "first" {
		t.Fatalf("registered %+v", r)
	}
	later := now.Add(time.Minute)
	if r, err = codedeploy.RegisterRevision(&r, "app", rev, "", later); err != nil || r.Description != "first" || !r.RegisterTime.Equal(now) {
		t.Fatalf("registered again without a description: %+v, %v", r, err)
	}
	r = codedeploy.UseRevision(&r, "app", rev, later)
	r = codedeploy.UseRevision(&r, "app", rev, later.Add(time.Minute))
	if !r.FirstUsedTime.Equal(later) || !r.LastUsedTime.Equal(later.Add(time.Minute)) || !r.RegisterTime.Equal(now) {
		t.Fatalf("used twice: %+v", r)
	}
	if u := codedeploy.UseRevision(nil, "app", rev, later); !u.RegisterTime.Equal(later) || !u.FirstUsedTime.Equal(later) || u.Revision.SHA256 == "" {
		t.Fatalf("a deployment's revision is registered with it: %+v", u)
	}
	for name, bad := range map[string]struct {
		rev  codedeploy.Revision
		desc string
		err  error
	}{
		"S3":               {codedeploy.Revision{Type: "S3"}, "", codedeploy.ErrInvalidRevision},
		"not an AppSpec":   {codedeploy.Revision{Type: "String", Content: "version: 1"}, "", codedeploy.ErrInvalidRevision},
		"long description": {rev, strings.Repeat("x", 513), codedeploy.ErrDescriptionTooLong},
	} {
		if _, err := codedeploy.RegisterRevision(nil, "app", bad.rev, bad.desc, now); !errors.Is(err, bad.err) {
			t.Errorf("%s: %v, want %v", name, err, bad.err)
		}
	}
}

func TestRevisionQuery(t *testing.T) {
	t.Parallel()
	at := func(m int) time.Time { return now.Add(time.Duration(m) * time.Minute) }
	// a: registered first, never deployed; b and c deployed, c last; b is a group's target.
	revs := []codedeploy.ApplicationRevision{
		{Revision: codedeploy.Revision{SHA256: "c"}, RegisterTime: at(2), FirstUsedTime: at(2), LastUsedTime: at(5)},
		{Revision: codedeploy.Revision{SHA256: "a"}, RegisterTime: at(0)},
		{Revision: codedeploy.Revision{SHA256: "b"}, RegisterTime: at(1), FirstUsedTime: at(3), LastUsedTime: at(4)},
	}
	targets := map[string]bool{"b": true}
	tests := []struct {
		q    codedeploy.RevisionQuery
		want string
	}{
		{codedeploy.RevisionQuery{}, "abc"},
		{codedeploy.RevisionQuery{SortBy: "registerTime"}, "abc"},
		{codedeploy.RevisionQuery{SortBy: "registerTime", SortOrder: "descending"}, "cba"},
		{codedeploy.RevisionQuery{SortBy: "firstUsedTime"}, "acb"},
		{codedeploy.RevisionQuery{SortBy: "lastUsedTime", SortOrder: "descending"}, "cba"},
		{codedeploy.RevisionQuery{Deployed: "include"}, "b"},
		{codedeploy.RevisionQuery{Deployed: "exclude", SortBy: "registerTime", SortOrder: "descending"}, "ca"},
		{codedeploy.RevisionQuery{Deployed: "ignore"}, "abc"},
	}
	for _, tt := range tests {
		if err := tt.q.Check(); err != nil {
			t.Fatal(err)
		}
		var got string
		for _, r := range tt.q.Select(slices.Clone(revs), targets) {
			got += r.Revision.SHA256
		}
		if got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.q, got, tt.want)
		}
	}
	for q, want := range map[codedeploy.RevisionQuery]error{
		{SortBy: "name"}:        codedeploy.ErrInvalidSortBy,
		{SortOrder: "up"}:       codedeploy.ErrInvalidSortOrder,
		{Deployed: "sometimes"}: codedeploy.ErrInvalidDeployedStateFilter,
	} {
		if err := q.Check(); !errors.Is(err, want) {
			t.Errorf("%+v: %v, want %v", q, err, want)
		}
	}
}
