package awsproto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
)

// ContentTypeJSON is the content type of awsJson1_1 requests and responses.
const ContentTypeJSON = "application/x-amz-json-1.1"

// CodeSerialization is the code AWS JSON services send for bodies they cannot decode.
const CodeSerialization = "SerializationException"

// DecodeJSON decodes an operation's JSON body into v. An empty body is an empty object. Errors
// are *Error with code SerializationException, as AWS JSON services answer malformed input.
func DecodeJSON(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return serializationError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &Error{Code: CodeSerialization, Message: "Unexpected content after the end of the JSON document."}
	}
	return nil
}

func serializationError(err error) *Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return Errorf(CodeSerialization, "Unexpected value type for member %s: expected %s, got JSON %s.", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		return Errorf(CodeSerialization, "Malformed JSON at offset %d: %s.", syntaxErr.Offset, syntaxErr.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(CodeSerialization, "Malformed JSON: unexpected end of input.")
	default:
		return Errorf(CodeSerialization, "Malformed JSON: %s.", err.Error())
	}
}

// JSON adapts a typed operation to a Handler: it decodes the body into a new In, runs fn and
// returns its output.
func JSON[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) Handler {
	return func(ctx context.Context, req Request) (any, error) {
		in := new(In)
		if err := DecodeJSON(req.Body, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

// WriteJSON sends a successful JSON response. A nil output (or nil pointer, of an operation
// without output members) is sent as {}.
func WriteJSON(w http.ResponseWriter, out any) error {
	var body []byte
	if v := reflect.ValueOf(out); out == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		body = []byte("{}")
	} else {
		b, err := json.Marshal(out)
		if err != nil {
			return fmt.Errorf("encode response: %w", err)
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", ContentTypeJSON)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}

// WriteJSONError sends e in the awsJson1_1 error envelope. The code goes into both __type and
// the x-amzn-ErrorType header, which older clients read. An error of an awsQueryCompatible
// service (one with a Type) names its shape in __type and its Query code and fault in
// x-amzn-query-error, which clients report as the code.
func WriteJSONError(w http.ResponseWriter, e *Error) {
	typ := e.Code
	h := w.Header()
	if e.Type != "" {
		typ = e.Type
		fault := "Sender"
		if e.Fault() {
			fault = "Receiver"
		}
		h.Set("X-Amzn-Query-Error", e.Code+";"+fault)
	}
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{typ, e.Message})
	h.Set("Content-Type", ContentTypeJSON)
	h.Set("X-Amzn-ErrorType", e.Code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.HTTPStatus())
	_, _ = w.Write(body)
}
