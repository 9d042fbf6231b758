package awsquery

import (
	"reflect"
	"time"
)

// kind is how a Go type appears on the wire.
type kind int

const (
	scalarKind kind = iota
	structKind
	listKind
	mapKind
)

// kindOf classifies t, which is not a pointer. time.Time is a scalar: one ISO 8601 value.
func kindOf(t reflect.Type) kind {
	switch {
	case t == reflect.TypeFor[time.Time]():
		return scalarKind
	case t.Kind() == reflect.Struct:
		return structKind
	case t.Kind() == reflect.Slice:
		return listKind
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String:
		return mapKind
	default:
		return scalarKind // unsupported kinds are reported by the scalar codecs
	}
}

// fieldName returns the wire name of f, and false when f is not on the wire: unexported, or
// tagged `query:"-"`.
func fieldName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	switch tag := f.Tag.Get("query"); tag {
	case "-":
		return "", false
	case "":
		return f.Name, true
	default:
		return tag, true
	}
}
