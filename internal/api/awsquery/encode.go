package awsquery

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Encode flattens the struct v (or pointer to one) into query parameters, the inverse of
// Decode. Nil pointers, slices and maps are left out; empty slices and maps are sent as
// "Name=", as the SDKs do. Action and Version are the caller's to add.
func Encode(v any) (url.Values, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("awsquery: encode %T: need a struct or a pointer to one", v)
	}
	out := url.Values{}
	return out, encodeStruct(out, rv, "")
}

func encodeValue(out url.Values, v reflect.Value, name string) error {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		return encodeValue(out, v.Elem(), name)
	}
	switch kindOf(v.Type()) {
	case structKind:
		return encodeStruct(out, v, name)
	case listKind:
		return encodeList(out, v, name)
	case mapKind:
		return encodeMap(out, v, name)
	default:
		s, err := encodeScalar(v, name)
		if err == nil {
			out.Set(name, s)
		}
		return err
	}
}

func encodeStruct(out url.Values, v reflect.Value, prefix string) error {
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
		if err := encodeValue(out, v.Field(i), name); err != nil {
			return err
		}
	}
	return nil
}

func encodeList(out url.Values, v reflect.Value, name string) error {
	if v.IsNil() {
		return nil
	}
	if v.Len() == 0 {
		out.Set(name, "")
	}
	for i := range v.Len() {
		if err := encodeValue(out, v.Index(i), name+".member."+strconv.Itoa(i+1)); err != nil {
			return err
		}
	}
	return nil
}

// encodeMap numbers the entries in key order, so the output is deterministic.
func encodeMap(out url.Values, v reflect.Value, name string) error {
	if v.IsNil() {
		return nil
	}
	if v.Len() == 0 {
		out.Set(name, "")
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		return strings.Compare(a.String(), b.String())
	})
	for i, k := range keys {
		entry := name + ".entry." + strconv.Itoa(i+1)
		out.Set(entry+".key", k.String())
		if err := encodeValue(out, v.MapIndex(k), entry+".value"); err != nil {
			return err
		}
	}
	return nil
}

func encodeScalar(v reflect.Value, name string) (string, error) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()), nil
	case reflect.Struct: // time.Time; other structs never get here
		return v.Interface().(time.Time).UTC().Format(time.RFC3339Nano), nil
	default:
		return "", fmt.Errorf("awsquery: member %s has unsupported type %s", name, v.Type())
	}
}
