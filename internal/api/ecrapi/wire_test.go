package ecrapi

import (
	"maps"
	"reflect"
	"testing"

	"github.com/fargohq/fargo/internal/api/wiretest"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/ecr-members.json, which internal/api/testdata/gen_members.py writes, lists the
// model's members).
var shapes = map[string]reflect.Type{
	"CreateRepositoryRequest":             reflect.TypeFor[createRepositoryInput](),
	"CreateRepositoryResponse":            reflect.TypeFor[repositoryOutput](),
	"DescribeRepositoriesRequest":         reflect.TypeFor[describeRepositoriesInput](),
	"DescribeRepositoriesResponse":        reflect.TypeFor[describeRepositoriesOutput](),
	"DeleteRepositoryRequest":             reflect.TypeFor[deleteRepositoryInput](),
	"DeleteRepositoryResponse":            reflect.TypeFor[repositoryOutput](),
	"Repository":                          reflect.TypeFor[wireRepository](),
	"ImageTagMutabilityExclusionFilter":   reflect.TypeFor[wireImageTagMutabilityExclusionFilter](),
	"ImageScanningConfiguration":          reflect.TypeFor[wireImageScanningConfiguration](),
	"EncryptionConfiguration":             reflect.TypeFor[wireEncryptionConfiguration](),
	"Tag":                                 reflect.TypeFor[wireTag](),
	"GetAuthorizationTokenRequest":        reflect.TypeFor[getAuthorizationTokenInput](),
	"GetAuthorizationTokenResponse":       reflect.TypeFor[getAuthorizationTokenOutput](),
	"AuthorizationData":                   reflect.TypeFor[wireAuthorizationData](),
	"DescribeImagesRequest":               reflect.TypeFor[describeImagesInput](),
	"DescribeImagesResponse":              reflect.TypeFor[describeImagesOutput](),
	"DescribeImagesFilter":                reflect.TypeFor[wireDescribeImagesFilter](),
	"ListImagesFilter":                    reflect.TypeFor[wireDescribeImagesFilter](),
	"ImageDetail":                         reflect.TypeFor[wireImageDetail](),
	"ImageIdentifier":                     reflect.TypeFor[wireImageIdentifier](),
	"ListImagesRequest":                   reflect.TypeFor[listImagesInput](),
	"ListImagesResponse":                  reflect.TypeFor[listImagesOutput](),
	"BatchGetImageRequest":                reflect.TypeFor[batchGetImageInput](),
	"BatchGetImageResponse":               reflect.TypeFor[batchGetImageOutput](),
	"Image":                               reflect.TypeFor[wireImage](),
	"ImageFailure":                        reflect.TypeFor[wireImageFailure](),
	"BatchDeleteImageRequest":             reflect.TypeFor[batchDeleteImageInput](),
	"BatchDeleteImageResponse":            reflect.TypeFor[batchDeleteImageOutput](),
	"PutImageRequest":                     reflect.TypeFor[putImageInput](),
	"PutImageResponse":                    reflect.TypeFor[putImageOutput](),
	"PutImageTagMutabilityRequest":        reflect.TypeFor[putImageTagMutabilityInput](),
	"PutImageTagMutabilityResponse":       reflect.TypeFor[putImageTagMutabilityOutput](),
	"BatchCheckLayerAvailabilityRequest":  reflect.TypeFor[batchCheckLayerAvailabilityInput](),
	"BatchCheckLayerAvailabilityResponse": reflect.TypeFor[batchCheckLayerAvailabilityOutput](),
	"Layer":                               reflect.TypeFor[wireLayer](),
	"LayerFailure":                        reflect.TypeFor[wireLayerFailure](),
	"PutLifecyclePolicyRequest":           reflect.TypeFor[putLifecyclePolicyInput](),
	"PutLifecyclePolicyResponse":          reflect.TypeFor[putLifecyclePolicyOutput](),
	"GetLifecyclePolicyRequest":           reflect.TypeFor[repositoryNameInput](),
	"GetLifecyclePolicyResponse":          reflect.TypeFor[lifecyclePolicyOutput](),
	"DeleteLifecyclePolicyRequest":        reflect.TypeFor[repositoryNameInput](),
	"DeleteLifecyclePolicyResponse":       reflect.TypeFor[lifecyclePolicyOutput](),
	"TagResourceRequest":                  reflect.TypeFor[tagResourceInput](),
	"TagResourceResponse":                 reflect.TypeFor[emptyOutput](),
	"UntagResourceRequest":                reflect.TypeFor[untagResourceInput](),
	"UntagResourceResponse":               reflect.TypeFor[emptyOutput](),
	"ListTagsForResourceRequest":          reflect.TypeFor[resourceInput](),
	"ListTagsForResourceResponse":         reflect.TypeFor[listTagsForResourceOutput](),
}

// notImplemented are the model members fargo neither reads nor sends, by shape. Request
// members left out are accepted and ignored; response members left out are never sent.
// fargo does not scan images, record pulls or archive images; a layer's media type is in the
// manifests that name it, not in the blob store.
var notImplemented = map[string][]string{
	"ImageDetail": {"imageScanFindingsSummary", "imageScanStatus", "lastActivatedAt", "lastArchivedAt", "lastRecordedPullTime"},
	"Layer":       {"mediaType"},
}

// TestWireShapesMatchModel checks every wire struct against the botocore model with the shared
// checker (wiretest.Check): each JSON name is a member of the shape with the Go type its kind
// calls for, and the members left out are exactly those notImplemented lists (so that a new
// member in the model, or a typo, shows up).
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	model := wiretest.ModelMembers(t, "testdata/ecr-members.json")
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, ok := names[typ]; !ok || name < names[typ] {
			names[typ] = name
		}
	}
	filter := reflect.TypeFor[wireDescribeImagesFilter]()
	names[filter] = "DescribeImagesFilter"
	for name, typ := range shapes {
		members, ok := model[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		shapeNames := names
		if name == "ListImagesRequest" {
			// One wire type serves both filter shapes, which have the same members.
			shapeNames = maps.Clone(names)
			shapeNames[filter] = "ListImagesFilter"
		}
		wiretest.Check(t, name, typ, members, shapeNames, notImplemented[name])
	}
}
