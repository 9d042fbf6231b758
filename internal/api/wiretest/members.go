package wiretest

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

// ModelMembers reads a members file that internal/api/testdata/gen_members.py writes: the
// members of each model shape, by shape, each with the kind of its value.
func ModelMembers(t testing.TB, path string) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var model struct {
		Shapes map[string]map[string]string `json:"shapes"`
	}
	if err := json.Unmarshal(b, &model); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return model.Shapes
}

// WireMembers returns the JSON names of a wire struct's fields, with those of embedded
// structs, each with the kind of its value in the words of the members files: a pointer to a
// scalar is boxed, as aws-sdk-go-v2 has it, and names gives the model shape of each struct.
func WireMembers(typ reflect.Type, names map[reflect.Type]string) map[string]string {
	out := map[string]string{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		if f.Anonymous {
			for k, v := range WireMembers(f.Type, names) {
				out[k] = v
			}
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		out[name] = kind(f.Type, names)
	}
	return out
}

func kind(t reflect.Type, names map[reflect.Type]string) string {
	if t == reflect.TypeFor[awsproto.EpochSeconds]() {
		return "timestamp"
	}
	switch t.Kind() {
	case reflect.Pointer:
		if s := scalar(t.Elem().Kind()); s != "" {
			return "boxed " + s
		}
		return kind(t.Elem(), names)
	case reflect.Struct:
		return "structure " + names[t]
	case reflect.Slice:
		return "list of " + kind(t.Elem(), names)
	case reflect.Map:
		return "map of " + kind(t.Elem(), names)
	case reflect.String:
		return "string"
	}
	if s := scalar(t.Kind()); s != "" {
		return s
	}
	return t.String()
}

// scalar returns the model's name of a scalar Go kind, "" for others.
func scalar(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "boolean"
	case reflect.Int32:
		return "integer"
	case reflect.Int64:
		return "long"
	case reflect.Float32:
		return "float"
	case reflect.Float64:
		return "double"
	}
	return ""
}

// Check reports as errors of t how the wire struct typ of the model shape name differs from
// members, the shape's members: a JSON name that is no member, a member of another kind, and
// members left out that left does not list. names gives the model shape of each struct.
// own lists members fargo sends of its own (named fargo…), which no SDK reads.
func Check(t testing.TB, name string, typ reflect.Type, members map[string]string, names map[reflect.Type]string, left []string, own ...string) {
	t.Helper()
	got := WireMembers(typ, names)
	var out []string
	for member, k := range members {
		g, ok := got[member]
		switch {
		case !ok:
			out = append(out, member)
		case g != k:
			t.Errorf("%s.%s is %s on the wire, %s in the model", name, member, g, k)
		}
		delete(got, member)
	}
	for member := range got {
		if !slices.Contains(own, member) {
			t.Errorf("%s (%s) has %s, which the model does not", name, typ, member)
		}
	}
	slices.Sort(out)
	if want := slices.Sorted(slices.Values(left)); !slices.Equal(out, want) {
		t.Errorf("%s: members left out %q, listed %q", name, out, want)
	}
}
