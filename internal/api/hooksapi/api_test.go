package hooksapi_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/hooksapi"
	"github.com/fargohq/fargo/internal/arn"
	"github.com/fargohq/fargo/internal/store"
)

func newEnv(t *testing.T) *apitest.Env {
	t.Helper()
	scope := arn.Scope{Partition: "aws", Region: apitest.Region, AccountID: apitest.AccountID}
	srv := apitest.Start(t, func(st *store.Store) awsproto.Service { return hooksapi.New(st, scope, time.Now).Service() })
	return &apitest.Env{Server: srv}
}

// call sends op with body, signed as the SDKs sign for the lambda service, and returns the
// HTTP status, the error code (empty on success) and the answer decoded into out.
func call(t *testing.T, e *apitest.Env, op, body string, out any) (int, string) {
	t.Helper()
	resp, b := e.RawJSON(t, "lambda", hooksapi.TargetPrefix+"."+op, []byte(body))
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType")
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s answered %s: %v", op, b, err)
		}
	}
	return resp.StatusCode, ""
}

func TestFunctionLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var f hooksapi.FunctionConfiguration
	if _, code := call(t, e, "CreateFunction", `{"FunctionName":"smoke","Url":"http://127.0.0.1:9000/hook","Timeout":120}`, &f); code != "" {
		t.Fatalf("CreateFunction: %s", code)
	}
	want := "arn:aws:lambda:" + apitest.Region + ":" + apitest.AccountID + ":function:smoke"
	if f.FunctionArn != want || f.URL != "http://127.0.0.1:9000/hook" || f.Timeout != 120 || f.LastModified == "" {
		t.Fatalf("created %+v", f)
	}
	var got hooksapi.FunctionConfiguration
	if _, code := call(t, e, "GetFunction", `{"FunctionName":"`+want+`:live"}`, &got); code != "" || got != f {
		t.Fatalf("GetFunction by qualified ARN: %+v %s, want %+v", got, code, f)
	}
	if _, code := call(t, e, "UpdateFunctionConfiguration", `{"FunctionName":"smoke","Url":"https://hooks.example/smoke"}`, &got); code != "" ||
		got.URL != "https://hooks.example/smoke" || got.Timeout != 120 {
		t.Fatalf("UpdateFunctionConfiguration: %+v %s", got, code)
	}
	var list struct {
		Functions []hooksapi.FunctionConfiguration
	}
	if _, code := call(t, e, "ListFunctions", `{}`, &list); code != "" || len(list.Functions) != 1 || list.Functions[0].FunctionName != "smoke" {
		t.Fatalf("ListFunctions: %+v %s", list, code)
	}
	if _, code := call(t, e, "DeleteFunction", `{"FunctionName":"smoke"}`, nil); code != "" {
		t.Fatalf("DeleteFunction: %s", code)
	}
	if status, code := call(t, e, "GetFunction", `{"FunctionName":"smoke"}`, nil); status != http.StatusNotFound || code != "ResourceNotFoundException" {
		t.Fatalf("GetFunction after delete: %d %s", status, code)
	}
}

func TestFunctionErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if _, code := call(t, e, "CreateFunction", `{"FunctionName":"smoke","Url":"http://127.0.0.1:9000/"}`, nil); code != "" {
		t.Fatal(code)
	}
	tests := []struct {
		name, op, body string
		status         int
		code           string
	}{
		{"create twice", "CreateFunction", `{"FunctionName":"smoke","Url":"http://127.0.0.1:9001/"}`, http.StatusConflict, "ResourceConflictException"},
		{"relative URL", "CreateFunction", `{"FunctionName":"other","Url":"/hook"}`, http.StatusBadRequest, "InvalidParameterValueException"},
		{"bad name", "CreateFunction", `{"FunctionName":"no spaces","Url":"http://x/"}`, http.StatusBadRequest, "InvalidParameterValueException"},
		{"timeout too long", "CreateFunction", `{"FunctionName":"other","Url":"http://x/","Timeout":7200}`, http.StatusBadRequest, "InvalidParameterValueException"},
		{"update to a bad URL", "UpdateFunctionConfiguration", `{"FunctionName":"smoke","Url":"ftp://x/"}`, http.StatusBadRequest, "InvalidParameterValueException"},
		{"update a missing one", "UpdateFunctionConfiguration", `{"FunctionName":"ghost","Url":"http://x/"}`, http.StatusNotFound, "ResourceNotFoundException"},
		{"delete a missing one", "DeleteFunction", `{"FunctionName":"ghost"}`, http.StatusNotFound, "ResourceNotFoundException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if status, code := call(t, e, tt.op, tt.body, nil); status != tt.status || code != tt.code {
				t.Fatalf("%d %s, want %d %s", status, code, tt.status, tt.code)
			}
		})
	}
	var f hooksapi.FunctionConfiguration
	if _, code := call(t, e, "GetFunction", `{"FunctionName":"smoke"}`, &f); code != "" || f.URL != "http://127.0.0.1:9000/" {
		t.Fatalf("the function changed after failed calls: %+v %s", f, code)
	}
}
