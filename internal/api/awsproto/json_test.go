package awsproto_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fargohq/fargo/internal/api/awsproto"
)

type sample struct {
	Name  *string            `json:"name"`
	Count *int32             `json:"count"`
	Items []struct{ A bool } `json:"items"`
	Attrs map[string]string  `json:"attrs"`
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		wantErr bool
	}{
		{"empty body is an empty object", "", false},
		{"whitespace only", "  \n", false},
		{"object", `{"name":"x","count":3,"items":[{"A":true}],"attrs":{"k":"v"}}`, false},
		{"unknown members are ignored", `{"other":1}`, false},
		{"null members", `{"name":null}`, false},
		{"truncated", `{"name":"x"`, true},
		{"wrong type", `{"count":"three"}`, true},
		{"overflow", `{"count":99999999999}`, true},
		{"array at top", `[]`, true},
		{"two documents", `{}{}`, true},
		{"garbage", `}{`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v sample
			err := awsproto.DecodeJSON([]byte(tt.body), &v)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			var aerr *awsproto.Error
			if err != nil && (!errors.As(err, &aerr) || aerr.Code != awsproto.CodeSerialization) {
				t.Fatalf("err = %#v, want SerializationException", err)
			}
		})
	}
}

func TestWriteXMLError(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	awsproto.WriteXMLError(rec, "ns", "req-1", &awsproto.Error{Code: "TargetGroupNotFound", Message: "a <b> & c"})
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ErrorResponse xmlns="ns"><Error><Type>Sender</Type><Code>TargetGroupNotFound</Code><Message>a &lt;b&gt; &amp; c</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`
	if rec.Code != 400 || rec.Body.String() != want {
		t.Fatalf("status %d body\n%s\nwant\n%s", rec.Code, rec.Body.String(), want)
	}
}

func TestWriteXML(t *testing.T) {
	t.Parallel()
	type out struct {
		Names []string `xml:"Names>member"`
	}
	rec := httptest.NewRecorder()
	if err := awsproto.WriteXML(rec, "ns", "ListThings", "req-2", &out{Names: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<ListThingsResponse xmlns="ns"><ListThingsResult><Names><member>a</member><member>b</member></Names></ListThingsResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></ListThingsResponse>`
	if rec.Body.String() != want {
		t.Fatalf("body\n%s\nwant\n%s", rec.Body.String(), want)
	}
	rec = httptest.NewRecorder()
	if err := awsproto.WriteXML(rec, "ns", "Nothing", "req-3", nil); err != nil {
		t.Fatal(err)
	}
	if want := `<NothingResult></NothingResult>`; !strings.Contains(rec.Body.String(), want) {
		t.Fatalf("body %s lacks %s", rec.Body.String(), want)
	}
}

// FuzzDecodeJSON feeds arbitrary bodies to the JSON decoder: it must never panic, and every
// failure must be a SerializationException.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{"", "{}", `{"name":"x","count":1}`, `{"items":[{"A":true}]}`, `{"attrs":{"a":"b"}}`, `[`, `{"count":1e99}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v sample
		err := awsproto.DecodeJSON(body, &v)
		var aerr *awsproto.Error
		if err != nil && (!errors.As(err, &aerr) || aerr.Code != awsproto.CodeSerialization) {
			t.Fatalf("err = %#v", err)
		}
	})
}
