package ecr_test

import (
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/ecr"
)

func TestFind(t *testing.T) {
	t.Parallel()
	a, b := "sha256:"+strings.Repeat("a", 64), "sha256:"+strings.Repeat("b", 64)
	images := []ecr.Image{{Digest: a, Tags: []string{"latest", "v1"}}, {Digest: b}}
	for _, tc := range []struct {
		name    string
		id      ecr.ImageID
		digest  string
		failure string
	}{
		{"by tag", ecr.ImageID{Tag: "v1"}, a, ""},
		{"by digest", ecr.ImageID{Digest: b}, b, ""},
		{"by both", ecr.ImageID{Digest: a, Tag: "latest"}, a, ""},
		{"tag of another image", ecr.ImageID{Digest: b, Tag: "latest"}, "", ecr.FailureTagDoesNotMatchDigest},
		{"unknown tag", ecr.ImageID{Tag: "v2"}, "", ecr.FailureImageNotFound},
		{"unknown digest", ecr.ImageID{Digest: "sha256:" + strings.Repeat("c", 64)}, "", ecr.FailureImageNotFound},
		{"neither", ecr.ImageID{}, "", ecr.FailureMissingDigestAndTag},
		{"bad digest", ecr.ImageID{Digest: "sha256:xyz"}, "", ecr.FailureInvalidImageDigest},
		{"bad tag", ecr.ImageID{Tag: ".hidden"}, "", ecr.FailureInvalidImageTag},
	} {
		img, failure := ecr.Find(images, tc.id)
		if img.Digest != tc.digest || failure != tc.failure {
			t.Errorf("%s: (%q, %q), want (%q, %q)", tc.name, img.Digest, failure, tc.digest, tc.failure)
		}
	}
}

func TestMatchesTagStatus(t *testing.T) {
	t.Parallel()
	tagged, untagged := ecr.Image{Tags: []string{"x"}}, ecr.Image{}
	if !tagged.MatchesTagStatus(ecr.TagStatusTagged) || tagged.MatchesTagStatus(ecr.TagStatusUntagged) || !tagged.MatchesTagStatus(ecr.TagStatusAny) {
		t.Error("tagged image filtered wrongly")
	}
	if untagged.MatchesTagStatus(ecr.TagStatusTagged) || !untagged.MatchesTagStatus(ecr.TagStatusUntagged) {
		t.Error("untagged image filtered wrongly")
	}
	if _, err := ecr.CheckTagStatus("SOME"); err == nil {
		t.Error("unknown tag status accepted")
	}
}
