package wiretest

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

// Any is the value of a member in a Defaults rule that accepts whatever value the member has
// (ARNs with generated ids, timestamps): the rule is then only that the member is there.
const Any = "*"

// Defaults reports as errors of t how the JSON object obj, a member of an answer named name,
// differs from want: the members an answer must carry, each with its JSON value (or Any). A
// member that want does not list must not be there, so that a member AWS leaves out is left
// out (docs/wire-defaults.md): a tool that diffs a resource against its local definition shows
// every extra or missing member as a change.
func Defaults(t testing.TB, name string, obj json.RawMessage, want map[string]string) {
	t.Helper()
	got := Has(t, name, obj, want)
	for _, member := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[member]; !ok {
			t.Errorf("%s has %s = %s, which AWS leaves out here", name, member, got[member])
		}
	}
}

// Has reports as errors of t the members of want that the JSON object obj lacks or carries
// with another value (Any accepts any), and returns obj's members. Members want does not list
// are not checked.
func Has(t testing.TB, name string, obj json.RawMessage, want map[string]string) map[string]json.RawMessage {
	t.Helper()
	var got map[string]json.RawMessage
	if err := json.Unmarshal(obj, &got); err != nil {
		t.Fatalf("%s: %v in %s", name, err, obj)
	}
	for _, member := range slices.Sorted(maps.Keys(want)) {
		v, ok := got[member]
		switch {
		case !ok:
			t.Errorf("%s.%s is missing, want %s", name, member, want[member])
		case want[member] != Any && !SameJSON(v, want[member]):
			t.Errorf("%s.%s = %s, want %s", name, member, v, want[member])
		}
	}
	return got
}

// SameJSON reports whether a and b are the same JSON value, whatever their spacing and the
// order of object members.
func SameJSON(a json.RawMessage, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return bytes.Equal(a, []byte(b))
	}
	xb, _ := json.Marshal(x) // maps marshal with sorted keys
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
