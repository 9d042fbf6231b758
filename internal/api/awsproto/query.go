package awsproto

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"

	"github.com/fargohq/fargo/internal/api/awsquery"
)

// ContentTypeXML is the content type of Query responses.
const ContentTypeXML = "text/xml"

// Query adapts a typed operation to a Handler for Query services: it decodes the form parameters
// into a new In, runs fn and returns its output. Decode errors are *Error with the service's
// client error code, chosen by the caller through ErrorFor.
func Query[In, Out any](fn func(ctx context.Context, in *In) (*Out, error)) Handler {
	return func(ctx context.Context, req Request) (any, error) {
		in := new(In)
		if err := awsquery.Decode(req.Form, in); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// WriteXML sends a successful Query response: <OpResponse><OpResult>out</OpResult>
// <ResponseMetadata/></OpResponse>. A nil out gives an empty <OpResult/>, as AWS sends for
// operations without output members.
func WriteXML(w http.ResponseWriter, namespace, op, requestID string, out any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, `<%sResponse xmlns="%s">`, op, namespace)
	enc := xml.NewEncoder(&buf)
	result := xml.StartElement{Name: xml.Name{Local: op + "Result"}}
	if out == nil {
		if err := enc.EncodeElement(struct{}{}, result); err != nil {
			return fmt.Errorf("encode response: %w", err)
		}
	} else if err := enc.EncodeElement(out, result); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	if err := enc.Encode(struct {
		XMLName xml.Name `xml:"ResponseMetadata"`
		responseMetadata
	}{responseMetadata: responseMetadata{RequestID: requestID}}); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	fmt.Fprintf(&buf, `</%sResponse>`, op)
	writeXMLBody(w, http.StatusOK, buf.Bytes())
	return nil
}

// WriteXMLError sends e in the Query error envelope.
func WriteXMLError(w http.ResponseWriter, namespace, requestID string, e *Error) {
	typ := "Sender"
	if e.Fault() {
		typ = "Receiver"
	}
	type errorBody struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	resp := struct {
		XMLName   xml.Name  `xml:"ErrorResponse"`
		Xmlns     string    `xml:"xmlns,attr,omitempty"`
		Error     errorBody `xml:"Error"`
		RequestID string    `xml:"RequestId"`
	}{Xmlns: namespace, Error: errorBody{typ, e.Code, e.Message}, RequestID: requestID}
	body, _ := xml.Marshal(resp)
	writeXMLBody(w, e.HTTPStatus(), append([]byte(xml.Header), body...))
}

func writeXMLBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentTypeXML)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
