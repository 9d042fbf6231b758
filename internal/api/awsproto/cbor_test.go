package awsproto

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

func TestCBORToJSON(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 12, 7, 10, 0, 0, 500_000_000, time.UTC)
	body, err := cborEnc.Marshal(map[string]any{"AlarmName": "a", "Period": 60, "Threshold": 1.5, "StartTime": when,
		"Dimensions": []any{map[string]any{"Name": "TargetGroup", "Value": "targetgroup/x/1"}}})
	if err != nil {
		t.Fatal(err)
	}
	js, err := CBORToJSON(body)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		AlarmName  string
		Period     int
		Threshold  float64
		StartTime  time.Time
		Dimensions []struct{ Name, Value string }
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	if got.AlarmName != "a" || got.Period != 60 || got.Threshold != 1.5 || !got.StartTime.Equal(when) || got.Dimensions[0].Value != "targetgroup/x/1" {
		t.Fatalf("transcoded %s", js)
	}
	for name, bad := range map[string][]byte{
		"not a map":      {0x01},
		"truncated":      body[:len(body)-2],
		"integer keys":   mustCBOR(t, map[int]string{1: "a"}),
		"duplicate keys": {0xa2, 0x61, 'a', 0x01, 0x61, 'a', 0x02},
		"NaN":            mustCBOR(t, map[string]float64{"x": nan()}),
	} {
		if _, err := CBORToJSON(bad); err == nil {
			t.Errorf("%s: no error", name)
		} else if e := (*Error)(nil); !errors.As(err, &e) || e.Code != CodeSerialization {
			t.Errorf("%s: %v", name, err)
		}
	}
	if js, err := CBORToJSON(nil); err != nil || string(js) != "{}" {
		t.Fatalf("empty body: %s, %v", js, err)
	}
}

func TestWriteCBORError(t *testing.T) {
	t.Parallel()
	w := httptest.NewRecorder()
	WriteCBORError(w, &Error{Code: "ResourceNotFound", Type: "com.amazonaws.cloudwatch#ResourceNotFound", Message: "gone", Status: 404})
	var body map[string]string
	if err := cbor.Unmarshal(w.Body.Bytes(), &body); err != nil {
		t.Fatal(err)
	}
	if w.Code != 404 || body["__type"] != "com.amazonaws.cloudwatch#ResourceNotFound" || body["message"] != "gone" ||
		w.Header().Get("X-Amzn-Query-Error") != "ResourceNotFound;Sender" || w.Header().Get("Content-Type") != ContentTypeCBOR {
		t.Fatalf("%d %v %v", w.Code, w.Header(), body)
	}
}

func FuzzCBORToJSON(f *testing.F) {
	for _, seed := range [][]byte{{0xa0}, {0xa1, 0x61, 'a', 0xc1, 0x1a, 0, 0, 0, 1}, {0xbf, 0x61, 'a', 0x9f, 0x01, 0xff, 0xff}, {0xd8, 0x20, 0x61, 'x'}} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		js, err := CBORToJSON(body)
		if err == nil && !json.Valid(js) {
			t.Fatalf("invalid JSON %s from %x", js, body)
		}
	})
}

func mustCBOR(t *testing.T, v any) []byte {
	t.Helper()
	b, err := cbor.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func nan() float64 {
	var zero float64
	return zero / zero
}
