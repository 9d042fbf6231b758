package ecrapi

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// shapes maps the botocore shapes of the operations fargo serves to their wire types
// (testdata/ecr-members.json lists the model's members).
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

// TestWireShapesMatchModel checks every wire struct against the botocore model: each JSON name
// is a member of the shape with the Go type its kind calls for, and the members left out are
// exactly those notImplemented lists (so that a new member in the model, or a typo, shows up).
func TestWireShapesMatchModel(t *testing.T) {
	t.Parallel()
	var model struct {
		Shapes map[string]map[string]string `json:"shapes"`
	}
	b, err := os.ReadFile("testdata/ecr-members.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &model); err != nil {
		t.Fatal(err)
	}
	names := map[reflect.Type]string{}
	for name, typ := range shapes {
		if _, ok := names[typ]; !ok || name < names[typ] {
			names[typ] = name
		}
	}
	names[reflect.TypeFor[wireDescribeImagesFilter]()] = "DescribeImagesFilter" // ListImagesFilter has the same members
	for name, typ := range shapes {
		members, ok := model.Shapes[name]
		if !ok {
			t.Errorf("wire type %s maps to %s, which the model does not reach", typ, name)
			continue
		}
		checkShape(t, name, typ, members, names)
	}
}

func checkShape(t *testing.T, name string, typ reflect.Type, members map[string]string, names map[reflect.Type]string) {
	t.Helper()
	got := wireMembers(typ, names)
	var left []string
	for member, kind := range members {
		g, ok := got[member]
		switch {
		case !ok:
			left = append(left, member)
		case g != kind && !sameShape(g, kind):
			t.Errorf("%s.%s is %s on the wire, %s in the model", name, member, g, kind)
		}
		delete(got, member)
	}
	for member := range got {
		t.Errorf("%s (%s) has %s, which the model does not", name, typ, member)
	}
	sort.Strings(left)
	want := slices.Clone(notImplemented[name])
	sort.Strings(want)
	if !slices.Equal(want, left) {
		t.Errorf("%s: members left out %v, listed %v", name, left, want)
	}
}

// sameShape accepts one wire type serving two model shapes with the same members
// (ListImagesFilter and DescribeImagesFilter).
func sameShape(wire, model string) bool {
	return strings.ReplaceAll(model, "ListImagesFilter", "DescribeImagesFilter") == wire
}

// wireMembers returns the JSON names of a wire struct, with those of embedded structs, and
// the model kind of each field.
func wireMembers(typ reflect.Type, names map[reflect.Type]string) map[string]string {
	out := map[string]string{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous {
			for k, v := range wireMembers(f.Type, names) {
				out[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = goKind(f.Type, names)
	}
	return out
}

// goKind is the model kind a Go type carries: pointers to scalars are boxed, plain scalars
// have the model's default.
func goKind(t reflect.Type, names map[reflect.Type]string) string {
	switch t.Kind() {
	case reflect.Pointer:
		switch e := t.Elem(); {
		case e == reflect.TypeFor[epochSeconds]():
			return "timestamp"
		case e.Kind() == reflect.Bool:
			return "boxed boolean"
		default:
			return goKind(e, names)
		}
	case reflect.Struct:
		return "structure " + names[t]
	case reflect.Slice:
		return "list of " + goKind(t.Elem(), names)
	case reflect.Int32:
		return "integer"
	case reflect.Int64:
		return "long"
	case reflect.Float64:
		return "double"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	}
	return t.String()
}
