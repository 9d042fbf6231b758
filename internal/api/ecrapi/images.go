package ecrapi

import (
	"context"
	"slices"

	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/ecr"
	"github.com/fargohq/fargo/internal/errdefs"
)

// maxBatch is how many image ids or layer digests a batch call takes.
const maxBatch = 100

type describeImagesInput struct {
	RegistryID     *string                   `json:"registryId"`
	RepositoryName *string                   `json:"repositoryName"`
	ImageIds       []wireImageIdentifier     `json:"imageIds"`
	NextToken      *string                   `json:"nextToken"`
	MaxResults     *int32                    `json:"maxResults"`
	Filter         *wireDescribeImagesFilter `json:"filter"`
}

// wireDescribeImagesFilter is the model's DescribeImagesFilter and ListImagesFilter.
type wireDescribeImagesFilter struct {
	TagStatus   *string `json:"tagStatus,omitempty"`
	ImageStatus *string `json:"imageStatus,omitempty"`
}

type describeImagesOutput struct {
	ImageDetails []wireImageDetail `json:"imageDetails"`
	NextToken    *string           `json:"nextToken,omitempty"`
}

// wireImageDetail is the model's ImageDetail.
type wireImageDetail struct {
	RegistryID             *string       `json:"registryId,omitempty"`
	RepositoryName         *string       `json:"repositoryName,omitempty"`
	ImageDigest            *string       `json:"imageDigest,omitempty"`
	ImageTags              []string      `json:"imageTags,omitempty"`
	ImageSizeInBytes       *int64        `json:"imageSizeInBytes,omitempty"`
	ImagePushedAt          *epochSeconds `json:"imagePushedAt,omitempty"`
	ImageManifestMediaType *string       `json:"imageManifestMediaType,omitempty"`
	ArtifactMediaType      *string       `json:"artifactMediaType,omitempty"`
	SubjectManifestDigest  *string       `json:"subjectManifestDigest,omitempty"`
	ImageStatus            *string       `json:"imageStatus,omitempty"`
}

type listImagesInput struct {
	RegistryID     *string                   `json:"registryId"`
	RepositoryName *string                   `json:"repositoryName"`
	NextToken      *string                   `json:"nextToken"`
	MaxResults     *int32                    `json:"maxResults"`
	Filter         *wireDescribeImagesFilter `json:"filter"`
}

type listImagesOutput struct {
	ImageIds  []*wireImageIdentifier `json:"imageIds"`
	NextToken *string                `json:"nextToken,omitempty"`
}

type batchGetImageInput struct {
	RegistryID         *string               `json:"registryId"`
	RepositoryName     *string               `json:"repositoryName"`
	ImageIds           []wireImageIdentifier `json:"imageIds"`
	AcceptedMediaTypes []string              `json:"acceptedMediaTypes"`
}

type batchGetImageOutput struct {
	Images   []wireImage        `json:"images"`
	Failures []wireImageFailure `json:"failures"`
}

type batchDeleteImageInput struct {
	RegistryID     *string               `json:"registryId"`
	RepositoryName *string               `json:"repositoryName"`
	ImageIds       []wireImageIdentifier `json:"imageIds"`
}

type batchDeleteImageOutput struct {
	ImageIds []*wireImageIdentifier `json:"imageIds"`
	Failures []wireImageFailure     `json:"failures"`
}

type putImageInput struct {
	RegistryID             *string `json:"registryId"`
	RepositoryName         *string `json:"repositoryName"`
	ImageManifest          *string `json:"imageManifest"`
	ImageManifestMediaType *string `json:"imageManifestMediaType"`
	ImageTag               *string `json:"imageTag"`
	ImageDigest            *string `json:"imageDigest"`
}

type putImageOutput struct {
	Image *wireImage `json:"image,omitempty"`
}

type batchCheckLayerAvailabilityInput struct {
	RegistryID     *string  `json:"registryId"`
	RepositoryName *string  `json:"repositoryName"`
	LayerDigests   []string `json:"layerDigests"`
}

type batchCheckLayerAvailabilityOutput struct {
	Layers   []wireLayer        `json:"layers"`
	Failures []wireLayerFailure `json:"failures"`
}

// wireLayer is the model's Layer.
type wireLayer struct {
	LayerDigest       *string `json:"layerDigest,omitempty"`
	LayerAvailability *string `json:"layerAvailability,omitempty"`
	LayerSize         *int64  `json:"layerSize,omitempty"`
}

// wireLayerFailure is the model's LayerFailure.
type wireLayerFailure struct {
	LayerDigest   *string `json:"layerDigest,omitempty"`
	FailureCode   *string `json:"failureCode,omitempty"`
	FailureReason *string `json:"failureReason,omitempty"`
}

// imageStatusActive is the status of every image: fargo archives none.
const imageStatusActive = "ACTIVE"

// filter checks a list filter and returns its tag status and whether images of fargo's one
// status pass it.
func filter(f *wireDescribeImagesFilter) (string, bool, error) {
	if f == nil {
		return ecr.TagStatusAny, true, nil
	}
	status, err := ecr.CheckTagStatus(awsproto.Deref(f.TagStatus))
	if err != nil {
		return "", false, err
	}
	switch s := awsproto.Deref(f.ImageStatus); s {
	case "", "ANY", imageStatusActive:
		return status, true, nil
	case "ARCHIVED", "ACTIVATING":
		return status, false, nil
	default:
		return "", false, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'filter.imageStatus' failed to satisfy constraint: 'Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]'")
	}
}

// images returns the images of a repository that exists.
func (a *API) images(ctx context.Context, registryID, name *string) (string, []ecr.Image, error) {
	it, err := a.repository(ctx, registryID, name)
	if err != nil {
		return "", nil, err
	}
	images, err := a.deps.Images.Images(ctx, it.ID)
	return it.ID, images, err
}

func (a *API) describeImages(ctx context.Context, in *describeImagesInput) (*describeImagesOutput, error) {
	status, active, err := filter(in.Filter)
	if err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	if len(in.ImageIds) > 0 && (in.NextToken != nil || in.MaxResults != nil) {
		return nil, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter: nextToken and maxResults cannot be used with imageIds")
	}
	name, images, err := a.images(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	out := &describeImagesOutput{ImageDetails: []wireImageDetail{}}
	if len(in.ImageIds) > 0 {
		for _, w := range in.ImageIds {
			img, code := ecr.Find(images, idFromWire(w))
			if code != "" {
				return nil, errdefs.Detail(ecr.ErrImageNotFound, "The image with imageId {imageDigest:'%s', imageTag:'%s'} does not exist within the repository with name '%s' in the registry with id '%s'",
					awsproto.Deref(w.ImageDigest), awsproto.Deref(w.ImageTag), name, a.registryID())
			}
			out.ImageDetails = append(out.ImageDetails, a.detail(name, img))
		}
		return out, nil
	}
	var matched []ecr.Image
	var keys []string
	for _, img := range images {
		if active && img.MatchesTagStatus(status) {
			matched, keys = append(matched, img), append(keys, img.Digest)
		}
	}
	pg, next, err := page(matched, keys, in.NextToken, size)
	if err != nil {
		return nil, err
	}
	for _, img := range pg {
		out.ImageDetails = append(out.ImageDetails, a.detail(name, img))
	}
	out.NextToken = next
	return out, nil
}

func (a *API) detail(repo string, img ecr.Image) wireImageDetail {
	return wireImageDetail{
		RegistryID: ptr(a.registryID()), RepositoryName: ptr(repo), ImageDigest: ptr(img.Digest), ImageTags: img.Tags,
		ImageSizeInBytes: ptr(img.SizeBytes), ImagePushedAt: awsproto.Epoch(img.PushedAt),
		ImageManifestMediaType: optional(img.ManifestMediaType), ArtifactMediaType: optional(img.ArtifactMediaType),
		SubjectManifestDigest: optional(img.Subject), ImageStatus: ptr(imageStatusActive),
	}
}

// listImages lists one id per tag, and the digest alone for an untagged image.
func (a *API) listImages(ctx context.Context, in *listImagesInput) (*listImagesOutput, error) {
	status, active, err := filter(in.Filter)
	if err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	_, images, err := a.images(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	var ids []*wireImageIdentifier
	var keys []string
	for _, img := range images {
		if !active || !img.MatchesTagStatus(status) {
			continue
		}
		if !img.Tagged() {
			ids, keys = append(ids, idToWire(ecr.ImageID{Digest: img.Digest})), append(keys, img.Digest)
		}
		for _, t := range img.Tags {
			ids, keys = append(ids, idToWire(ecr.ImageID{Digest: img.Digest, Tag: t})), append(keys, img.Digest+"/"+t)
		}
	}
	pg, next, err := page(ids, keys, in.NextToken, size)
	if err != nil {
		return nil, err
	}
	return &listImagesOutput{ImageIds: append([]*wireImageIdentifier{}, pg...), NextToken: next}, nil
}

func checkBatch(n int, member string) error {
	if n == 0 || n > maxBatch {
		return errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at '%s' failed to satisfy constraint: 'Member must have length between 1 and %d'", member, maxBatch)
	}
	return nil
}

func (a *API) batchGetImage(ctx context.Context, in *batchGetImageInput) (*batchGetImageOutput, error) {
	if err := checkBatch(len(in.ImageIds), "imageIds"); err != nil {
		return nil, err
	}
	name, images, err := a.images(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	out := &batchGetImageOutput{Images: []wireImage{}, Failures: []wireImageFailure{}}
	for _, w := range in.ImageIds {
		id := idFromWire(w)
		img, code := ecr.Find(images, id)
		if code == "" && len(in.AcceptedMediaTypes) > 0 && !slices.Contains(in.AcceptedMediaTypes, img.ManifestMediaType) {
			out.Failures = append(out.Failures, failureToWire(ecr.ImageFailure{ID: id, Code: ecr.FailureImageNotFound,
				Reason: "The image's manifest is of media type " + img.ManifestMediaType + ", which acceptedMediaTypes does not list; fargo does not convert manifests"}))
			continue
		}
		if code != "" {
			out.Failures = append(out.Failures, failureToWire(ecr.ImageFailure{ID: id, Code: code, Reason: ecr.FailureReason(code)}))
			continue
		}
		mediaType, body, err := a.deps.Images.Manifest(ctx, name, img.Digest)
		if err != nil {
			return nil, err
		}
		out.Images = append(out.Images, wireImage{
			RegistryID: ptr(a.registryID()), RepositoryName: ptr(name), ImageID: idToWire(ecr.ImageID{Digest: img.Digest, Tag: id.Tag}),
			ImageManifest: ptr(string(body)), ImageManifestMediaType: ptr(mediaType),
		})
	}
	return out, nil
}

func (a *API) batchDeleteImage(ctx context.Context, in *batchDeleteImageInput) (*batchDeleteImageOutput, error) {
	if err := checkBatch(len(in.ImageIds), "imageIds"); err != nil {
		return nil, err
	}
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	ids := make([]ecr.ImageID, len(in.ImageIds))
	for i, w := range in.ImageIds {
		ids[i] = idFromWire(w)
	}
	plan, err := a.deps.Images.DeleteImages(ctx, it.ID, ids)
	if err != nil {
		return nil, err
	}
	out := &batchDeleteImageOutput{ImageIds: []*wireImageIdentifier{}, Failures: []wireImageFailure{}}
	for _, id := range plan.Deleted {
		out.ImageIds = append(out.ImageIds, idToWire(id))
	}
	for _, f := range plan.Failures {
		out.Failures = append(out.Failures, failureToWire(f))
	}
	return out, nil
}

func (a *API) putImage(ctx context.Context, in *putImageInput) (*putImageOutput, error) {
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if awsproto.Deref(in.ImageManifest) == "" {
		return nil, errdefs.Detail(ecr.ErrInvalidParameter, "Invalid parameter at 'imageManifest' failed to satisfy constraint: 'Member must have length greater than or equal to 1'")
	}
	d, mediaType, err := a.deps.Images.PutImage(ctx, it.ID, awsproto.Deref(in.ImageTag), awsproto.Deref(in.ImageDigest), awsproto.Deref(in.ImageManifestMediaType), []byte(*in.ImageManifest))
	if err != nil {
		return nil, err
	}
	return &putImageOutput{Image: &wireImage{
		RegistryID: ptr(a.registryID()), RepositoryName: ptr(it.ID), ImageID: idToWire(ecr.ImageID{Digest: d, Tag: awsproto.Deref(in.ImageTag)}),
		ImageManifest: in.ImageManifest, ImageManifestMediaType: ptr(mediaType),
	}}, nil
}

// batchCheckLayerAvailability reports each layer as AVAILABLE with its size, or UNAVAILABLE;
// a digest of the wrong form is a failure.
func (a *API) batchCheckLayerAvailability(ctx context.Context, in *batchCheckLayerAvailabilityInput) (*batchCheckLayerAvailabilityOutput, error) {
	if err := checkBatch(len(in.LayerDigests), "layerDigests"); err != nil {
		return nil, err
	}
	it, err := a.repository(ctx, in.RegistryID, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	out := &batchCheckLayerAvailabilityOutput{Layers: []wireLayer{}, Failures: []wireLayerFailure{}}
	var valid []string
	for _, d := range in.LayerDigests {
		switch {
		case d == "":
			out.Failures = append(out.Failures, wireLayerFailure{LayerDigest: ptr(d), FailureCode: ptr("MissingLayerDigest"), FailureReason: ptr("Layer digest is empty")})
		case !ecr.ValidDigest(d):
			out.Failures = append(out.Failures, wireLayerFailure{LayerDigest: ptr(d), FailureCode: ptr("InvalidLayerDigest"), FailureReason: ptr("Invalid layer digest")})
		default:
			valid = append(valid, d)
		}
	}
	layers, err := a.deps.Images.Layers(ctx, it.ID, valid)
	if err != nil {
		return nil, err
	}
	for _, l := range layers {
		if l.Available {
			out.Layers = append(out.Layers, wireLayer{LayerDigest: ptr(l.Digest), LayerAvailability: ptr("AVAILABLE"), LayerSize: ptr(l.Size)})
		} else {
			out.Layers = append(out.Layers, wireLayer{LayerDigest: ptr(l.Digest), LayerAvailability: ptr("UNAVAILABLE")})
		}
	}
	return out, nil
}
