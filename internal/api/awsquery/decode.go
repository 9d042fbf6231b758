package awsquery

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fargohq/fargo/internal/errdefs"
)

// MaxListIndex is the largest N Decode accepts in "Name.member.N" and "Name.entry.N". AWS's
// own list limits are far lower (ELBv2 takes at most 100 targets per call).
const MaxListIndex = 1000

// Decode fills the struct v points to from the flattened parameters in values. When a name
// is sent more than once, its first value counts.
func Decode(values url.Values, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsquery: decode into %T: need a non-nil pointer to a struct", v)
	}
	d := decoder{values: values, names: slices.Sorted(maps.Keys(values))}
	return d.decodeStruct(rv.Elem(), "")
}

// decoder finds the parameters under a dotted prefix by binary search in the sorted names, so
// it needs no tree of its own.
type decoder struct {
	values url.Values
	names  []string
}

func (d *decoder) value(name string) (string, bool) {
	vs := d.values[name]
	if len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// under returns the parameter names that start with prefix.
func (d *decoder) under(prefix string) []string {
	i := sort.SearchStrings(d.names, prefix)
	j := i
	for j < len(d.names) && strings.HasPrefix(d.names[j], prefix) {
		j++
	}
	return d.names[i:j]
}

func (d *decoder) hasUnder(prefix string) bool {
	i := sort.SearchStrings(d.names, prefix)
	return i < len(d.names) && strings.HasPrefix(d.names[i], prefix)
}

// present reports whether the request sends anything for a member of type t named name, so
// that optional pointers stay nil otherwise.
func (d *decoder) present(name string, t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	_, exact := d.value(name)
	switch kindOf(t) {
	case structKind:
		return d.hasUnder(name + ".")
	case listKind:
		return exact || d.hasUnder(name+".member.")
	case mapKind:
		return exact || d.hasUnder(name+".entry.")
	default:
		return exact
	}
}

func (d *decoder) decodeValue(v reflect.Value, name string) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return d.decodeValue(v.Elem(), name)
	}
	switch kindOf(v.Type()) {
	case structKind:
		return d.decodeStruct(v, name)
	case listKind:
		return d.decodeList(v, name)
	case mapKind:
		return d.decodeMap(v, name)
	default:
		s, _ := d.value(name)
		return decodeScalar(v, s, name)
	}
}

func (d *decoder) decodeStruct(v reflect.Value, prefix string) error {
	t := v.Type()
	for i := range t.NumField() {
		wire, ok := fieldName(t.Field(i))
		if !ok {
			continue
		}
		name := wire
		if prefix != "" {
			name = prefix + "." + wire
		}
		if !d.present(name, t.Field(i).Type) {
			continue
		}
		if err := d.decodeValue(v.Field(i), name); err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) decodeList(v reflect.Value, name string) error {
	idx, err := d.indices(name + ".member.")
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return emptyContainer(v, d, name, "list")
	}
	s := reflect.MakeSlice(v.Type(), len(idx), len(idx))
	for i, n := range idx {
		if err := d.decodeValue(s.Index(i), name+".member."+strconv.Itoa(n)); err != nil {
			return err
		}
	}
	v.Set(s)
	return nil
}

func (d *decoder) decodeMap(v reflect.Value, name string) error {
	idx, err := d.indices(name + ".entry.")
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		return emptyContainer(v, d, name, "map")
	}
	m := reflect.MakeMapWithSize(v.Type(), len(idx))
	for _, n := range idx {
		entry := name + ".entry." + strconv.Itoa(n)
		key, ok := d.value(entry + ".key")
		if !ok {
			return invalid("null", entry+".key", "Member must not be null")
		}
		val := reflect.New(v.Type().Elem()).Elem()
		if d.present(entry+".value", val.Type()) {
			if err := d.decodeValue(val, entry+".value"); err != nil {
				return err
			}
		}
		m.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), val)
	}
	v.Set(m)
	return nil
}

// emptyContainer handles a list or map sent without members: "Name=" is an empty one, any
// other value a client error.
func emptyContainer(v reflect.Value, d *decoder, name, what string) error {
	if s, _ := d.value(name); s != "" {
		return invalid(s, name, "Member must be a "+what)
	}
	if v.Kind() == reflect.Slice {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	} else {
		v.Set(reflect.MakeMap(v.Type()))
	}
	return nil
}

// indices returns the distinct N of the names "<prefix>N[.…]", sorted.
func (d *decoder) indices(prefix string) ([]int, error) {
	var idx []int
	for _, k := range d.under(prefix) {
		seg, _, _ := strings.Cut(k[len(prefix):], ".")
		n, err := strconv.Atoi(seg)
		if err != nil || n < 1 || n > MaxListIndex || strconv.Itoa(n) != seg {
			return nil, errdefs.InvalidArgument("1 validation error detected: Parameter '%s' has an invalid index '%s': "+
				"must be a number from 1 to %d", clip(strings.TrimSuffix(prefix, ".")), clip(seg), MaxListIndex)
		}
		idx = append(idx, n)
	}
	slices.Sort(idx)
	return slices.Compact(idx), nil
}

func decodeScalar(v reflect.Value, s, name string) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		if s != "true" && s != "false" {
			return invalid(s, name, "Member must be a boolean (true or false)")
		}
		v.SetBool(s == "true")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return invalid(s, name, numberConstraint(err, "", v.Type().Bits()))
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return invalid(s, name, numberConstraint(err, "unsigned ", v.Type().Bits()))
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return invalid(s, name, "Member must be a finite number")
		}
		v.SetFloat(f)
	case reflect.Struct: // time.Time; other structs never get here
		t, err := time.Parse(time.RFC3339Nano, s)
		// An offset can carry a four-digit year out of range in UTC, where it would not
		// format back to ISO 8601.
		if t = t.UTC(); err != nil || t.Year() < 0 || t.Year() > 9999 {
			return invalid(s, name, "Member must be an ISO 8601 timestamp such as 2024-01-01T00:00:00Z")
		}
		v.Set(reflect.ValueOf(t))
	default:
		return fmt.Errorf("awsquery: member %s has unsupported type %s", name, v.Type())
	}
	return nil
}

func numberConstraint(err error, unsigned string, bits int) string {
	if errors.Is(err, strconv.ErrRange) {
		return fmt.Sprintf("Member must be a number within the %d-bit %sinteger range", bits, unsigned)
	}
	return "Member must be a number"
}

// invalid words a client error as AWS words its validation errors.
func invalid(value, name, constraint string) error {
	return errdefs.InvalidArgument("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s",
		clip(value), clip(name), constraint)
}

// clip shortens client input echoed in a message, so a hostile request cannot make the error
// response large.
func clip(s string) string {
	const maxLen = 128
	if len(s) > maxLen {
		s = s[:maxLen] + "..."
	}
	return strings.ToValidUTF8(s, string(utf8.RuneError))
}
