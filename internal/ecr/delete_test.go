package ecr_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/ecr"
)

func TestPlanDelete(t *testing.T) {
	t.Parallel()
	dgA, dgB, dgC, dgD := digestOf("a"), digestOf("b"), digestOf("c"), digestOf("d")
	images := []ecr.Image{
		{Digest: dgA, Tags: []string{"latest", "v1"}},
		{Digest: dgB, Tags: []string{"v0"}},
		{Digest: dgC},
		{Digest: dgD, Tags: []string{"multi"}, References: []string{dgC}},
	}
	for _, tc := range []struct {
		name string
		ids  []ecr.ImageID
		want ecr.DeletePlan
	}{
		{"one of two tags", []ecr.ImageID{{Tag: "v1"}}, ecr.DeletePlan{
			Untag: []string{"v1"}, Deleted: []ecr.ImageID{{Digest: dgA, Tag: "v1"}},
		}},
		{"both tags: the last deletes the image", []ecr.ImageID{{Tag: "v1"}, {Tag: "latest"}}, ecr.DeletePlan{
			Untag: []string{"v1"}, Delete: []string{dgA},
			Deleted: []ecr.ImageID{{Digest: dgA, Tag: "v1"}, {Digest: dgA, Tag: "latest"}},
		}},
		{"by digest takes every tag", []ecr.ImageID{{Digest: dgA}}, ecr.DeletePlan{
			Delete:  []string{dgA},
			Deleted: []ecr.ImageID{{Digest: dgA, Tag: "latest"}, {Digest: dgA, Tag: "v1"}},
		}},
		{"twice", []ecr.ImageID{{Tag: "v0"}, {Tag: "v0"}}, ecr.DeletePlan{
			Delete: []string{dgB}, Deleted: []ecr.ImageID{{Digest: dgB, Tag: "v0"}},
			Failures: []ecr.ImageFailure{{ID: ecr.ImageID{Tag: "v0"}, Code: ecr.FailureImageNotFound, Reason: ecr.FailureReason(ecr.FailureImageNotFound)}},
		}},
		{"referenced by an index", []ecr.ImageID{{Digest: dgC}}, ecr.DeletePlan{
			Failures: []ecr.ImageFailure{{ID: ecr.ImageID{Digest: dgC}, Code: ecr.FailureReferencedByManifestList, Reason: ecr.FailureReason(ecr.FailureReferencedByManifestList)}},
		}},
		{"the index first, then what it referred to", []ecr.ImageID{{Tag: "multi"}, {Digest: dgC}}, ecr.DeletePlan{
			Delete:  []string{dgD, dgC},
			Deleted: []ecr.ImageID{{Digest: dgD, Tag: "multi"}, {Digest: dgC}},
		}},
	} {
		if diff := cmp.Diff(tc.want, ecr.PlanDelete(images, tc.ids)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// digestOf is a sha256 digest of one repeated hex digit.
func digestOf(hexDigit string) string { return "sha256:" + strings.Repeat(hexDigit, 64) }
