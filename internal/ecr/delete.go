package ecr

import "slices"

// ImageFailure is an image a batch operation could not handle, with ECR's code and reason.
type ImageFailure struct {
	ID     ImageID
	Code   string
	Reason string
}

// DeletePlan is what BatchDeleteImage does to a repository's images.
type DeletePlan struct {
	// Untag are the tags to remove from images that stay.
	Untag []string
	// Delete are the digests of the images to delete with all their tags.
	Delete []string
	// Deleted are the image ids the client is told were deleted: one per tag of a deleted
	// image (the digest alone for an untagged one), one per removed tag.
	Deleted  []ImageID
	Failures []ImageFailure
}

// PlanDelete decides, as ECR does, what deleting ids does to images. An id with a digest
// deletes the image with all its tags; an id with a tag only removes that tag, and the image
// with it when it was the image's last tag. An image that an index still refers to is not
// deleted, and an id that names nothing (any more) fails.
func PlanDelete(images []Image, ids []ImageID) DeletePlan {
	live := make([]Image, len(images))
	for i, img := range images {
		live[i] = img
		live[i].Tags = slices.Clone(img.Tags)
	}
	var plan DeletePlan
	for _, id := range ids {
		img, code := Find(live, id)
		if code != "" {
			plan.Failures = append(plan.Failures, ImageFailure{ID: id, Code: code, Reason: FailureReason(code)})
			continue
		}
		i := slices.IndexFunc(live, func(l Image) bool { return l.Digest == img.Digest })
		if id.Digest == "" && len(img.Tags) > 1 {
			live[i].Tags = slices.DeleteFunc(live[i].Tags, func(t string) bool { return t == id.Tag })
			plan.Untag = append(plan.Untag, id.Tag)
			plan.Deleted = append(plan.Deleted, ImageID{Digest: img.Digest, Tag: id.Tag})
			continue
		}
		if Referenced(slices.Delete(slices.Clone(live), i, i+1))[img.Digest] {
			plan.Failures = append(plan.Failures, ImageFailure{ID: id, Code: FailureReferencedByManifestList, Reason: FailureReason(FailureReferencedByManifestList)})
			continue
		}
		live = slices.Delete(live, i, i+1)
		plan.Delete = append(plan.Delete, img.Digest)
		if len(img.Tags) == 0 {
			plan.Deleted = append(plan.Deleted, ImageID{Digest: img.Digest})
		}
		for _, t := range img.Tags {
			plan.Deleted = append(plan.Deleted, ImageID{Digest: img.Digest, Tag: t})
		}
	}
	return plan
}
