package awsproto

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// ContentTypeCBOR is the content type of Smithy RPC v2 CBOR requests and responses.
const ContentTypeCBOR = "application/cbor"

// cborPathPrefix begins the path of every RPC v2 CBOR call: /service/<Service>/operation/<Op>.
const cborPathPrefix = "/service/"

// cborDec decodes request bodies: bounded nesting and sizes (a hostile body cannot make the
// server allocate without limit), duplicate map keys refused, maps with string keys.
var cborDec = func() cbor.DecMode {
	m, err := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  32,
		MaxArrayElements: 10000,
		MaxMapPairs:      10000,
		IndefLength:      cbor.IndefLengthAllowed,
		DefaultMapType:   reflect.TypeFor[map[string]any](),
		TimeTag:          cbor.DecTagOptional,
	}.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// cborEnc encodes responses: timestamps as tag 1 (epoch seconds), as RPC v2 CBOR requires.
var cborEnc = func() cbor.EncMode {
	m, err := cbor.EncOptions{Time: cbor.TimeUnixDynamic, TimeTag: cbor.EncTagRequired}.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}()

// CBORPath returns the service and operation that an RPC v2 CBOR request's path names.
func CBORPath(path string) (service, op string, ok bool) {
	rest, found := strings.CutPrefix(path, cborPathPrefix)
	if !found {
		return "", "", false
	}
	service, op, found = strings.Cut(rest, "/operation/")
	if !found || service == "" || op == "" || strings.Contains(op, "/") {
		return "", "", false
	}
	return service, op, true
}

// IsCBOR reports whether r is a Smithy RPC v2 CBOR call.
func IsCBOR(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.EqualFold(r.Header.Get("Smithy-Protocol"), "rpc-v2-cbor") &&
		strings.HasPrefix(r.URL.Path, cborPathPrefix)
}

// CBORToJSON transcodes an RPC v2 CBOR request body to the JSON the operations decode: the
// same members, timestamps (tag 1) as RFC 3339 strings, blobs as base64. An empty body is an
// empty object. Errors are *Error with code SerializationException.
func CBORToJSON(body []byte) ([]byte, error) {
	if len(body) == 0 {
		return []byte("{}"), nil
	}
	var v any
	if err := cborDec.Unmarshal(body, &v); err != nil {
		return nil, Errorf(CodeSerialization, "Malformed CBOR: %s.", err.Error())
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, Errorf(CodeSerialization, "The request body is not a CBOR map.")
	}
	out, err := json.Marshal(jsonable(v))
	if err != nil {
		return nil, Errorf(CodeSerialization, "The request holds a value JSON cannot carry: %s.", err.Error())
	}
	return out, nil
}

// jsonable replaces what encoding/json would send in another form than the operations read.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case cbor.Tag:
		return jsonable(x.Content)
	default:
		return x
	}
}

// WriteCBOR sends a successful RPC v2 CBOR response; a nil output (or nil pointer, of an
// operation without output members) is an empty map, which clients decode as a structure.
func WriteCBOR(w http.ResponseWriter, out any) error {
	body := []byte{0xa0} // {}
	if v := reflect.ValueOf(out); out != nil && (v.Kind() != reflect.Pointer || !v.IsNil()) {
		b, err := cborEnc.Marshal(out)
		if err != nil {
			return fmt.Errorf("encode response: %w", err)
		}
		body = b
	}
	writeCBORBody(w, http.StatusOK, body)
	return nil
}

// WriteCBORError sends e as an RPC v2 CBOR error: __type names the modeled error shape, and,
// for the awsQueryCompatible services, x-amzn-query-error carries the Query error code and
// fault, which clients report as the code.
func WriteCBORError(w http.ResponseWriter, e *Error) {
	typ := e.Type
	if typ == "" {
		typ = e.Code
	}
	body, err := cborEnc.Marshal(map[string]string{"__type": typ, "message": e.Message})
	if err != nil {
		body = []byte{0xa0}
	}
	fault := "Sender"
	if e.Fault() {
		fault = "Receiver"
	}
	w.Header().Set("X-Amzn-Query-Error", e.Code+";"+fault)
	writeCBORBody(w, e.HTTPStatus(), body)
}

func writeCBORBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Smithy-Protocol", "rpc-v2-cbor")
	h.Set("Content-Type", ContentTypeCBOR)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
